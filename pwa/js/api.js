// Fetch wrapper for the JSON API. Every write sends Content-Type: application/json
// (the backend's CSRF rule) and the session cookie; every request the chosen language as
// Accept-Language, so the server's messages come in it.
import { getLang, t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, message, fields = {}, retryAfter = null) {
    super(message);
    this.status = status; // 0 = network error
    this.fields = fields;
    this.retryAfter = retryAfter; // seconds the server asked us to wait (503), or null
  }
  get isNetwork() {
    return this.status === 0;
  }
}

let unauthorizedHandler = () => {};

// Server time minus this phone's time (ms), from the Date header of our API answers. A
// header has whole seconds only, so small differences are treated as none.
let clockOffset = 0;

/** The server's current time in ms: countdowns to server deadlines use it. */
export const serverNow = () => Date.now() + clockOffset;

function noteServerDate(res, sentAt) {
  const date = Date.parse(res.headers.get("Date") || "");
  if (Number.isNaN(date)) return;
  const offset = date + 500 - (sentAt + Date.now()) / 2;
  clockOffset = Math.abs(offset) > 2000 ? offset : 0;
}

/** Retry-After in seconds (our server sends seconds, never a date), or null. */
function retryAfterOf(res) {
  const seconds = Number.parseInt(res.headers.get("Retry-After") || "", 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** Called on any 401 (except where the caller opts out, e.g. the login form). */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export async function api(method, path, body, { handle401 = true, timeout = 15000 } = {}) {
  const opts = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "Accept-Language": getLang() },
    cache: "no-store",
  };
  if (method !== "GET" && method !== "HEAD") {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body ?? {});
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeout);
  opts.signal = ctrl.signal;

  let res;
  const sentAt = Date.now();
  try {
    res = await fetch(path, opts);
  } catch {
    throw new ApiError(0, t("error.network"));
  } finally {
    clearTimeout(timer);
  }
  noteServerDate(res, sentAt);

  let data = null;
  if (res.status !== 204) {
    const text = await res.text().catch(() => "");
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data?.error || `HTTP ${res.status}`, data?.fields || {},
      retryAfterOf(res));
    if (res.status === 401 && handle401) unauthorizedHandler(err);
    throw err;
  }
  return data;
}

export const get = (path, o) => api("GET", path, undefined, o);
export const post = (path, body, o) => api("POST", path, body, o);
export const put = (path, body, o) => api("PUT", path, body, o);
export const del = (path, body, o) => api("DELETE", path, body, o);
