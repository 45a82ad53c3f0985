// One position fix from the browser, never waiting long: the alarm and the visit check-in
// must not be held back by a phone that cannot find its position.

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
