// Small helpers shared by the worker and responder sides of the alarm.
import { t, getLang } from "../i18n.js";
import { get, post, serverNow } from "../api.js";
import { kvGet, kvSet } from "../store.js";

export { $, el } from "../dom.js";


/** The alarm an event is about, as an id (events from a push only carry alarm_id). */
export function alarmIdOf(ev) {
  const id = ev?.data?.alarm?.id ?? ev?.data?.alarm_id;
  return typeof id === "number" ? id : null;
}

export { closedForResponder } from "./responder-core.js";

export function telHref(phone) {
  return `tel:${String(phone || "").replace(/[^\d+]/g, "")}`;
}

/** "20 s geleden", "2 min geleden", by the server's clock (the times are the server's). */
export function agoText(iso) {
  const at = Date.parse(iso || "");
  if (Number.isNaN(at)) return "";
  const seconds = Math.max(0, Math.floor((serverNow() - at) / 1000));
  if (seconds < 60) return t("time.ago.seconds", { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t("time.ago.minutes", { n: minutes });
  return t("time.ago.hours", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export function formatClock(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || isNaN(d)) return "";
  const locale = getLang() === "en" ? "en-GB" : "nl-NL";
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }).format(d);
}

/** "Lisa de Vries komt eraan" */
export function ackText(ack) {
  const label = ack.response === "calling_112" ? t("alarm.ack.label.112") : t("alarm.ack.label.coming");
  return `${ack.user?.name || ""} ${label}`.trim();
}

/** Delivery receipts feed the timeline; best effort, failures ignored. */
export function sendReceipt(alarmId, state, channel) {
  return post(`/api/alarms/${alarmId}/receipts`, { state, channel }, { handle401: false, timeout: 10000 })
    .catch(() => {});
}

// The server's settings, fetched once per page: a cache of a true singleton, not screen state.
let settings = null;
/** Map tile settings from the server, cached for offline use. */
export async function loadSettings() {
  if (settings) return settings;
  try {
    settings = await get("/api/settings", { handle401: false, timeout: 5000 });
    kvSet("settings", settings).catch(() => {});
  } catch {
    settings = (await kvGet("settings").catch(() => null)) || null;
  }
  return settings;
}

/** A random id for an idempotent raise (crypto.randomUUID needs a secure context). */
export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}
