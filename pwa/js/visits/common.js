// Small helpers shared by the worker and team sides of visits.
import { t, getLang } from "../i18n.js";
import { serverNow } from "../api.js";

export { $, el } from "../dom.js";

// The statuses and the visit of an event are the controller's (no DOM, tested in Node).
export { LATE, ALERTED, isOpen, isActive, visitOf } from "./visit-core.js";

/** "Kerkstraat 7, Demodorp (3e verdieping)" */
export function placeText(visit) {
  if (!visit) return "";
  return visit.floor_room ? `${visit.address} (${visit.floor_room})` : visit.address || "";
}

/** Status label in the current language; the server's label for anything unknown. */
export function statusText(visit) {
  const key = `visit.status.${visit?.status}`;
  const s = t(key);
  return s === key ? visit?.status_label || "" : s;
}

/** Milliseconds until due_at by the server's clock (negative: over time), or null. */
function msLeft(visit) {
  const due = visit?.due_at ? Date.parse(visit.due_at) : NaN;
  return Number.isNaN(due) ? null : due - serverNow();
}

function clockText(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** "nog 12:34" / "te laat: 01:05" (empty when there is no deadline). */
export function timeLeftText(visit) {
  const ms = msLeft(visit);
  if (ms === null) return "";
  return ms >= 0 ? t("visit.time.left", { time: clockText(ms) }) : t("visit.time.over", { time: clockText(ms) });
}

export function formatClock(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  const locale = getLang() === "en" ? "en-GB" : "nl-NL";
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
}

/** "Anouk Visser gaat kijken · Lisa de Vries belt": who answered the overdue alert. */
export function responsesText(visit) {
  return (visit?.responses || []).map((r) => {
    const key = `visit.response.${r.response}`;
    const s = t(key, { name: r.user?.name || "" });
    return s === key ? `${r.user?.name || ""} ${r.response_label || ""}` : s;
  }).join(" · ");
}

/** The server's label for going alone, in the current language. */
export function aloneText(visit) {
  return visit?.alone_label ? t("visit.alone.label") : "";
}

export function telHref(phone) {
  return `tel:${String(phone || "").replace(/[^\d+]/g, "")}`;
}
