// Managers and the coordinator: a worker asks permission for a "niet gaan" visit. The live
// event puts a banner on every screen; `openOverrideRequest(visitId)` (also called from
// "Te doen") shows the request — the visit, the worker, the reason and the register's reason —
// and the decision, with a required reason. The request comes from the server each time it
// is opened (reading the register's reason is logged there); nothing is kept on the device.
import { t } from "../i18n.js";
import { get, post } from "../api.js";
import * as conn from "../connection.js";
import { $, el, placeText, formatClock } from "./common.js";

// The page's one dialog and banner: who decides, the request in the dialog and the banner as
// last drawn (it is rebuilt only when its words change). Nothing else is kept on the device.
const requests = { me: null, shown: null, bannerKey: "" };
const asking = new Map();    // visit id -> visit whose worker asks permission (banner)

export function configure(profile) {
  requests.me = profile;
}

/* ---------- the banner ---------- */

function renderBanner() {
  const box = $("visit-request-banner");
  const key = JSON.stringify([t("visit.request.open"), ...[...asking.values()].map((v) => [v.id, v.worker?.name, placeText(v)])]);
  if (key === requests.bannerKey) return;
  requests.bannerKey = key;
  const rows = [...asking.values()].map((v) => el("div", { class: "visit-request-row", dataset: { visitId: String(v.id) } },
    el("p", {}, t("visit.request.banner", { name: v.worker?.name || "", place: placeText(v) })),
    el("button", { type: "button", class: "btn btn-light btn-small", dataset: { openRequest: String(v.id) } },
      t("visit.request.open"))));
  box.replaceChildren(...rows);
  box.hidden = rows.length === 0;
}

/** A visit.override_requested event: someone I decide for asks permission. */
export function requested(visit) {
  if (visit.worker?.id === requests.me?.id) return;
  asking.set(visit.id, visit);
  renderBanner();
}

/** A decision (mine or another manager's): the request is gone. */
export function decided(visit) {
  asking.delete(visit.id);
  renderBanner();
  if (requests.shown?.visit.id === visit.id && !$("override-form").hidden) showGone();
}

/* ---------- the dialog ---------- */
function detail(term, value) {
  return value ? [el("dt", {}, term), el("dd", {}, value)] : [];
}

function renderRequest(request) {
  const v = request.visit;
  $("override-details").replaceChildren(
    ...detail(t("override.worker"), v.worker?.name),
    ...detail(t("override.place"), placeText(v)),
    ...detail(t("override.risk"), v.risk_label),
    ...detail(t("override.asked"), formatClock(request.requested_at)),
    ...detail(t("override.why"), request.reason),
    ...detail(t("override.register"), request.register_reason));
  $("override-form").hidden = false;
}

function showGone() {
  $("override-details").replaceChildren();
  $("override-form").hidden = true;
  $("override-status").textContent = t("override.gone");
}

function reset() {
  $("override-form").reset();
  $("override-reason-error").textContent = "";
  $("override-reason").removeAttribute("aria-invalid");
  $("override-status").textContent = t("override.loading");
  $("override-details").replaceChildren();
  $("override-form").hidden = true;
}

/** Show the request for this visit with approve / refuse (a reason is required). */
export async function openOverrideRequest(visitId) {
  const dialog = $("override-dialog");
  reset();
  requests.shown = null;
  if (!dialog.open) dialog.showModal();
  $("override-title").focus();
  try {
    const data = await get("/api/visits/override-requests", { timeout: 10000 });
    conn.setReachable(true);
    requests.shown = (data?.requests || []).find((r) => r.visit?.id === visitId) || null;
    if (!requests.shown) {
      asking.delete(visitId);
      renderBanner();
      return showGone();
    }
    $("override-status").textContent = "";
    renderRequest(requests.shown);
  } catch (err) {
    if (err.isNetwork) conn.setReachable(false);
    $("override-status").textContent = err.message;
  }
}

async function decide(e) {
  e.preventDefault();
  if (!requests.shown) return;
  const approve = e.submitter?.value === "approve";
  const input = $("override-reason");
  const reason = input.value.trim();
  $("override-reason-error").textContent = "";
  input.removeAttribute("aria-invalid");
  if (!reason) return reasonError();
  const buttons = [$("override-approve"), $("override-refuse")];
  for (const b of buttons) b.disabled = true;
  try {
    const data = await post(`/api/visits/${requests.shown.visit.id}/override`, { approve, reason }, { timeout: 10000 });
    conn.setReachable(true);
    const name = data?.visit?.worker?.name || requests.shown.visit.worker?.name || "";
    asking.delete(requests.shown.visit.id);
    renderBanner();
    $("override-form").hidden = true;
    $("override-status").textContent = t(approve ? "override.approved" : "override.refused", { name });
    $("override-close").focus();
  } catch (err) {
    if (err.isNetwork) conn.setReachable(false);
    if (err.fields && "reason" in err.fields) reasonError();
    else $("override-status").textContent = err.message;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function reasonError() {
  $("override-reason-error").textContent = t("override.error");
  $("override-reason").setAttribute("aria-invalid", "true");
  $("override-reason").focus();
}

export function bind() {
  $("visit-request-banner").addEventListener("click", (e) => {
    const b = e.target.closest("[data-open-request]");
    if (b) openOverrideRequest(Number(b.dataset.openRequest));
  });
  $("override-form").addEventListener("submit", decide);
  $("override-close").addEventListener("click", () => $("override-dialog").close());
}

export function refreshTexts() {
  requests.bannerKey = "";
  renderBanner();
}

export function stop() {
  asking.clear();
  requests.shown = null;
  if ($("override-dialog").open) $("override-dialog").close();
  renderBanner();
}
