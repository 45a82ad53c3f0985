// Hold-to-confirm for the alarm button: a press only counts after `duration` ms, so a
// pocket tap or a brush does not raise an alarm. Pointer (mouse, touch, pen) and keyboard
// (holding Space or Enter). Releasing, leaving the button or a cancelled pointer stops it.

/**
 * @param {HTMLButtonElement} button
 * @param {{duration?: number, onProgress?: (fraction: number) => void,
 *          onFire: () => void, onCancel?: () => void}} opts
 */
export function holdToConfirm(button, { duration = 1500, onProgress = () => {}, onFire, onCancel = () => {} }) {
  let started = 0;
  let frame = 0;
  let timer = 0;
  let holding = false;

  function tick() {
    if (!holding) return;
    onProgress(Math.min(1, (performance.now() - started) / duration));
    frame = requestAnimationFrame(tick);
  }

  function begin() {
    if (holding || button.disabled) return;
    holding = true;
    started = performance.now();
    onProgress(0);
    frame = requestAnimationFrame(tick);
    // The timer, not the animation frame, decides: it also runs when frames are throttled.
    timer = setTimeout(fire, duration);
  }

  function stopTimers() {
    holding = false;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  }

  function fire() {
    if (!holding) return;
    stopTimers();
    onProgress(1);
    onFire();
  }

  function release() {
    if (!holding) return;
    stopTimers();
    onProgress(0);
    onCancel();
  }

  button.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    e.preventDefault(); // no text selection, no focus-steal delay, no emulated mouse events
    begin();
  });
  for (const type of ["pointerup", "pointerleave", "pointercancel"]) button.addEventListener(type, release);
  // A long press must not open the context menu (Android) or the callout (iOS).
  button.addEventListener("contextmenu", (e) => e.preventDefault());

  button.addEventListener("keydown", (e) => {
    if (e.key !== " " && e.key !== "Enter") return;
    e.preventDefault(); // no click on Enter, no page scroll on Space
    if (!e.repeat) begin();
  });
  button.addEventListener("keyup", (e) => {
    if (e.key !== " " && e.key !== "Enter") return;
    e.preventDefault();
    release();
  });
  button.addEventListener("blur", release);
  // A plain click (assistive tech "activate") never raises: it only explains the hold.
  return { cancel: release };
}
