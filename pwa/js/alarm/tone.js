// The responder's alarm tone and vibration: bursts every 3 s for about 30 s, then the screen
// stays. Browsers only allow sound after a gesture: the context is unlocked on the first one.

/** The page's one audio context and the bursts under way (a singleton: one tone at a time). */
class AlarmTone {
  constructor() {
    this.audio = null;
    this.timer = 0;
    this.bound = false;
  }

  context() {
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!this.audio && Ctx) this.audio = new Ctx();
    } catch { this.audio = null; }
    return this.audio;
  }

  unlock() {
    this.context()?.resume?.().catch(() => {});
  }

  burst() {
    const ctx = this.context();
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

  start() {
    try { navigator.vibrate?.([500, 200, 500, 200, 500]); } catch { /* ignore */ }
    this.stop();
    this.burst();
    let bursts = 1;
    this.timer = setInterval(() => {
      if (++bursts > 10) return this.stop();
      this.burst();
    }, 3000);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
  }

  bind() {
    if (this.bound) return;
    this.bound = true;
    for (const type of ["pointerdown", "keydown"]) {
      document.addEventListener(type, () => this.unlock(), { capture: true, passive: true });
    }
  }
}

const tone = new AlarmTone();
export const startAlerting = () => tone.start();
export const stopTone = () => tone.stop();
export const bindTone = () => tone.bind();
