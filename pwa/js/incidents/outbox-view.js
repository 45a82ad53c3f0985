// The home card's view of this phone's outbox: a plain status line and one item per report
// of the logged-in user — waiting, received by the register, or rejected (correct / delete).
// State is always spelled out in words and a symbol, never by colour alone.
import { t, getLang } from "../i18n.js";
import { $, el } from "../dom.js";
import { alreadyReported } from "../alarm/after.js";
import { knownLabel } from "../vocabulary.js";

const SYMBOL = { waiting: "⏳", received: "✓", rejected: "✗" };

function formatWhen(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  const locale = getLang() === "en" ? "en-GB" : "nl-NL";
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(d);
}

/** "D — bedreiging, intimidatie · 25 nov. 09:12 · Molenweg 3" */
function summaryText(p) {
  const type = knownLabel("behaviour_types", p.behaviour_type);
  return [type, formatWhen(p.occurred_at), p.location].filter(Boolean).join(" · ");
}

function stateText(entry) {
  if (entry.state === "received") return t("incident.outbox.received", { number: entry.number || "" });
  if (entry.state === "rejected") return t("incident.outbox.rejected", { reason: entry.error || "" });
  return entry.attempts
    ? t("incident.outbox.waitingTries", { n: entry.attempts })
    : t("incident.outbox.waiting");
}

function button(key, cls, onClick, extra = {}) {
  const b = el("button", { type: "button", class: `btn btn-small ${cls}`, ...extra }, t(key));
  b.addEventListener("click", onClick);
  return b;
}

function actions(entry, handlers) {
  if (entry.state === "received" && entry.incident_id !== null && entry.incident_id !== undefined) {
    // The register screen (gir.js) listens and opens the report.
    const open = () => window.dispatchEvent(new CustomEvent("veldwacht:open-incident", { detail: { id: entry.incident_id } }));
    return [button("incident.outbox.open", "btn-secondary outbox-open", open,
      { "aria-label": t("incident.outbox.openLabel", { number: entry.number || "" }) })];
  }
  if (entry.state !== "rejected") return [];
  const remove = button("incident.outbox.delete", "btn-quiet outbox-delete", () => handlers.remove(entry));
  // A second report of one alarm cannot be corrected into a first: the card after the alarm
  // leads to the one the register has.
  if (alreadyReported(entry)) return [remove];
  return [button("incident.outbox.correct", "btn-primary outbox-correct", () => handlers.correct(entry)), remove];
}

function item(entry, handlers) {
  return el("li", { class: "outbox-item", dataset: { state: entry.state, clientId: entry.client_id } },
    el("p", { class: "outbox-summary" }, summaryText(entry.payload || {})),
    el("p", { class: "outbox-state" }, el("span", { "aria-hidden": "true" }, `${SYMBOL[entry.state] || ""} `),
      stateText(entry)),
    el("div", { class: "outbox-actions" }, ...actions(entry, handlers)));
}

/** The status line's parts: what happened to the report saved last, and what waits. */
function statusText(entries, last, notice) {
  const count = (state) => entries.filter((e) => e.state === state).length;
  const waiting = count("waiting");
  const rejected = count("rejected");
  const lastEntry = entries.find((e) => e.client_id === last);
  const about = notice || (lastEntry && lastEntry.state !== "rejected" ? t(`incident.saved.${lastEntry.state}`) : "");
  return [
    about,
    waiting === 1 ? t("incident.outbox.waitingOne") : waiting ? t("incident.outbox.waitingMany", { n: waiting }) : "",
    rejected === 1 ? t("incident.outbox.rejectedOne") : rejected ? t("incident.outbox.rejectedMany", { n: rejected }) : "",
  ].filter(Boolean).join(" ");
}

/**
 * Draw the card. entries: this user's outbox, oldest first; last: client_id saved last on this
 * screen; notice: a one-off message; handlers: {correct(entry), remove(entry)}.
 */
export function render(entries, { last = null, notice = "", handlers }) {
  // The card speaks of incident reports; the outbox carries other kinds too (js/learning/).
  const reports = entries.filter((e) => self.VeldwachtOutbox.kindOf(e) === "incident");
  const status = $("outbox-status");
  const text = statusText(reports, last, notice);
  if (status.textContent !== text) status.textContent = text; // unchanged text is not announced again
  $("outbox-list").replaceChildren(...[...reports].reverse().map((e) => item(e, handlers)));
}

export function clear() {
  $("outbox-status").textContent = "";
  $("outbox-list").replaceChildren();
}
