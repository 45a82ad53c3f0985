// The content of the responder's full-screen alert, drawn from the server's view of the alarm
// in the order a responder needs it: who (tap to call), where (the place as the headline, the
// kind of visit), how long ago, the last position with its accuracy and age or why there is
// none, navigation links, then the map. The place, the reason a position is missing and the
// navigation labels are the server's words; this module only lays them out.
import { t } from "../i18n.js";
import { $, el, ackText, telHref, agoText, formatClock } from "./common.js";
import { entries, onVocabulary, word } from "../vocabulary.js";
import { can } from "../capabilities.js";
import { showOnMap, tilesFailed } from "./map.js";
import { myAck } from "./responder-core.js";

const known = (pos) => pos && typeof pos.lat === "number" && typeof pos.lon === "number";

function renderWarnings(a) {
  $("alarm-alert-duress").hidden = a.duress !== true;
  const pin = $("alarm-alert-pin");
  const failures = Number(a.pin_failures) || 0;
  pin.hidden = !a.pin_locked && failures === 0;
  pin.classList.toggle("is-locked", !!a.pin_locked);
  pin.textContent = a.pin_locked ? t("alarm.alert.pinLocked") : failures ? t("alarm.alert.pinWrong", { n: failures }) : "";
}

function renderWho(a) {
  const w = a.worker || {};
  $("alarm-alert-worker").textContent = w.team?.name ? `${w.name} (${w.team.name})` : (w.name || "");
  const call = $("alarm-alert-call");
  call.hidden = !w.phone;
  if (w.phone) {
    call.href = telHref(w.phone);
    call.textContent = t("alarm.alert.call", { name: w.name, phone: w.phone });
  }
}

function renderPlace(a) {
  $("alarm-alert-place").textContent = a.place || t("alarm.position.unknown");
  const v = a.visit;
  const about = [v?.kind_label, v?.buddy?.name ? t("alarm.alert.buddy", { name: v.buddy.name }) : null]
    .filter(Boolean).join(" · ");
  const line = $("alarm-alert-visit");
  line.textContent = about;
  line.hidden = !about;
}

function positionText(a) {
  const pos = a.position;
  if (!known(pos)) return a.position_status_label || t("alarm.position.unknown");
  const accuracy = Math.round(Number(pos.accuracy) || 0);
  return pos.at
    ? t("alarm.alert.position", { accuracy, ago: agoText(pos.at) })
    : t("alarm.alert.positionNoAge", { accuracy });
}

/** The parts that age: when it was raised, how old the last position is. Called every second. */
export function renderTimes(a) {
  $("alarm-alert-ago").textContent = t("alarm.alert.raised", { ago: agoText(a.raised_at), time: formatClock(a.raised_at) });
  const position = positionText(a);
  const line = $("alarm-alert-position");
  if (line.textContent !== position) line.textContent = position;
  line.dataset.state = known(a.position) ? "shared" : a.position_status || "unknown";
}

function navItem(n) {
  return el("li", { class: "alarm-nav-item", dataset: { kind: n.kind || "" } },
    el("p", { class: "alarm-nav-label" }, n.label),
    el("div", { class: "alarm-nav-links" },
      el("a", { class: "btn btn-nav", href: n.geo, "aria-label": `${n.label}: ${t("alarm.nav.app")}` }, t("alarm.nav.app")),
      el("a", { class: "btn btn-nav", href: n.map, target: "_blank", rel: "noopener",
        "aria-label": `${n.label}: ${t("alarm.nav.map")}` }, t("alarm.nav.map"))));
}

function renderNavigation(a) {
  const links = Array.isArray(a.navigation) ? a.navigation.filter((n) => n?.geo && n?.map) : [];
  const key = JSON.stringify([t("alarm.nav.app"), links]);
  const nav = $("alarm-alert-nav");
  if (nav.dataset.drawn === key) return; // a link in use is not swapped for an equal one
  nav.dataset.drawn = key;
  nav.replaceChildren(...links.map(navItem));
  nav.hidden = links.length === 0;
}

/** Tiles that cannot load leave a grey square: say so, and point back to the place. */
export function renderMapStatus(a) {
  const failing = known(a?.position) && tilesFailed();
  $("alarm-map-status").textContent = failing ? t(a.visit ? "alarm.map.failed.address" : "alarm.map.failed") : "";
}

function renderMap(a) {
  // A region, not an image: Leaflet puts zoom buttons and links inside the map.
  $("alarm-map").setAttribute("aria-label", t("alarm.map.label"));
  showOnMap($("alarm-map"), a.position);
  renderMapStatus(a);
}

function renderOutcomes(alarm) {
  const sel = $("alarm-outcome");
  sel.dataset.test = alarm.test ? "true" : "";
  const previous = sel.value;
  sel.replaceChildren(el("option", { value: "" }, t("alarm.outcome.choose")),
    ...entries("outcomes").map(({ code, label }) => el("option", { value: code }, label)));
  if (previous && entries("outcomes").some((o) => o.code === previous)) sel.value = previous;
  else if (alarm.test) sel.value = word("test_outcome");
}

// The outcomes are the server's words: drawn again when they arrive or change language.
onVocabulary(() => renderOutcomes({ test: $("alarm-outcome").dataset.test === "true" }));

function renderResponses(a, me) {
  const acks = a.acknowledgements || [];
  $("alarm-alert-acks").replaceChildren(...acks.map((k) => el("li", {}, ackText(k))));
  if (!acks.length) $("alarm-alert-acks").append(el("li", { class: "hint" }, t("alarm.acks.none")));
  const my = myAck(a, me);
  $("ack-coming").setAttribute("aria-pressed", my?.response === "coming" ? "true" : "false");
  $("ack-112").setAttribute("aria-pressed", my?.response === "calling_112" ? "true" : "false");
}

/** Draw the whole alert for alarm `a` as `me` sees it. */
/** What moves with the worker: the place, the position and its age, the links and the map. */
export function renderWhereabouts(a) {
  renderPlace(a);
  renderTimes(a);
  renderNavigation(a);
  renderMap(a);
}

export function renderAlert(a, me) {
  const box = $("alarm-alert");
  box.dataset.alarmId = String(a.id);
  box.classList.toggle("is-test", !!a.test);
  $("alarm-alert-title").textContent = a.test ? t("alarm.alert.title.test") : t("alarm.alert.title");
  $("alarm-alert-test").hidden = !a.test;
  renderWarnings(a);
  renderWho(a);
  renderWhereabouts(a);
  renderResponses(a, me);
  renderOutcomes(a);
  $("alarm-timeline-button").hidden = !can(me, "alarm_timeline");
}
