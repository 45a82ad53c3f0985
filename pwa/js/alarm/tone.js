// The responder's alarm tone and vibration: bursts every 3 s for about 30 s, then the screen
// stays. Browsers only allow sound after a gesture: the context is unlocked on the first one.

let audio = null;
let toneTimer = 0;

function audioContext() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
  } catch { audio = null; }
  return audio;
}

function unlockAudio() {
  const ctx = audioContext();
  ctx?.resume?.().catch(() => {});
}

function beepBurst() {
  const ctx = audioContext();
  if (!ctx || ctx.state !== "running") { ctx?.resume?.().catch(() => {}); return; }
  try {
    const start = ctx.currentTime + 0.05;
    for (let i = 0; i < 6; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "square";
      osc.frequency.value = i % 2 ? 660 : 960;
      gain.gain.value = 0.25;
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + i * 0.3);
      osc.stop(start + i * 0.3 + 0.25);
    }
  } catch { /* sound is a bonus */ }
}

export function startAlerting() {
  try { navigator.vibrate?.([500, 200, 500, 200, 500]); } catch { /* ignore */ }
  stopTone();
  beepBurst();
  let bursts = 1;
  toneTimer = setInterval(() => {
    if (++bursts > 10) return stopTone();
    beepBurst();
  }, 3000);
}

export function stopTone() {
  clearInterval(toneTimer);
  toneTimer = 0;
}

let bound = false;
export function bindTone() {
  if (bound) return;
  bound = true;
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, unlockAudio, { capture: true, passive: true });
  }
}
