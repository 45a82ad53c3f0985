// Positions from the browser, never waiting long: the alarm and the visit check-in must not be
// held back by a phone that cannot find its position, and when there is none the phone must
// know why (responders are told: look at the visit address, or call).

function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

/** {lat, lon, accuracy} from a GeolocationPosition, or null. */
export function toPosition(p) {
  const c = p?.coords;
  if (!c || !Number.isFinite(c.latitude) || !Number.isFinite(c.longitude)) return null;
  return {
    lat: clamp(c.latitude, -90, 90),
    lon: clamp(c.longitude, -180, 180),
    accuracy: clamp(Number.isFinite(c.accuracy) ? c.accuracy : 100000, 0, 100000),
  };
}

/** One fix, or null after timeoutMs (no permission, no fix, no geolocation at all). */
export function currentPosition(timeoutMs = 3000) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    const give = setTimeout(() => resolve(null), timeoutMs + 200);
    try {
      navigator.geolocation.getCurrentPosition(
        (p) => { clearTimeout(give); resolve(toPosition(p)); },
        () => { clearTimeout(give); resolve(null); },
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30000 });
    } catch {
      clearTimeout(give);
      resolve(null);
    }
  });
}

// GeolocationPositionError codes: 1 permission denied, 2 position unavailable, 3 timeout.
const MISSING = { 1: "denied", 2: "unavailable", 3: "unavailable" };

/**
 * A running watchPosition: `latest` is the last fix ({lat, lon, accuracy}) and `missing` says
 * why there is none ("denied", "unavailable", "unsupported"), as the server's
 * position-missing reasons name them. onChange() runs after each change of either.
 */
export class PositionWatch {
  constructor(onChange = () => {}) {
    this.onChange = onChange;
    this.id = null;
    this.latest = null;
    this.missing = null;
    this.waiters = [];
  }

  start() {
    if (this.id !== null) return;
    if (!navigator.geolocation) return this.failed("unsupported");
    try {
      this.id = navigator.geolocation.watchPosition((p) => this.found(p),
        (e) => this.failed(MISSING[e?.code] || "unavailable"),
        { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
    } catch {
      this.failed("unsupported");
    }
  }

  stop() {
    if (this.id !== null) navigator.geolocation.clearWatch(this.id);
    this.id = null;
    this.latest = null;
    this.missing = null;
    this.settle();
  }

  /** Resolves once there is a fix or a reason why not, or after `ms`, whichever is first. */
  settled(ms) {
    if (this.latest || this.missing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  found(p) {
    const position = toPosition(p);
    if (!position) return;
    this.latest = position;
    this.missing = null;
    this.changed();
  }

  failed(reason) {
    if (this.latest && reason === "unavailable") return; // a slow fix after a good one: keep it
    this.missing = reason;
    this.changed();
  }

  changed() {
    this.settle();
    this.onChange();
  }

  settle() {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}
