// The worker's risk card as far as the server allows what comes next (`visit.can`): on
// "Niet gaan" the way to ask permission (with a reason) and to call the manager, never
// "Inchecken" until a manager has allowed it for today; what changed in the register since
// the planning; and the confirmation to go alone where the advice is not to.
import { t } from "../i18n.js";
import { $, telHref } from "./common.js";

function statusText(p) {
  if (!p) return t("visit.permission.needed");
  const vars = { name: p.decided_by?.name || "", reason: p.decision_reason || "" };
  const key = `visit.permission.${p.state}`;
  const text = t(key, vars);
  return text === key ? p.label || "" : text;
}

/** Rewritten only when it changes: a role="alert" region is announced on each change. */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
  node.hidden = !text;
}

function renderCall(me, show) {
  const call = $("visit-call-manager");
  const m = me?.manager;
  call.hidden = !(show && m?.phone);
  if (m?.phone) {
    call.href = telHref(m.phone);
    call.textContent = t("visit.permission.call", { name: m.name });
  }
}

/** The parts of the risk card that follow `can`, the permission and the register change. */
export function render(visit, me) {
  const can = visit.can || {};
  const p = visit.permission;
  const asking = !can.check_in;
  setText($("visit-register-change"), visit.register_change?.message || "");
  $("visit-checkin").hidden = !can.check_in;
  $("visit-permission").hidden = !asking && !p;
  setText($("visit-permission-status"), asking || p ? statusText(p) : "");
  $("visit-permission-form").hidden = !can.request_permission;
  renderCall(me, asking);
  const alone = can.check_in && visit.alone_needs_confirmation;
  if ($("visit-alone-field").hidden === alone) $("visit-alone").checked = false;
  $("visit-alone-field").hidden = !alone;
}

/** The body's "alone_confirmed", or null when it is asked for and not ticked (shown). */
export function aloneConfirmation() {
  const field = $("visit-alone-field");
  $("visit-alone-error").textContent = "";
  $("visit-alone").removeAttribute("aria-invalid");
  if (field.hidden) return false;
  if ($("visit-alone").checked) return true;
  markAlone(t("visit.alone.required"));
  return null;
}

function markAlone(message) {
  $("visit-alone-error").textContent = message;
  $("visit-alone").setAttribute("aria-invalid", "true");
  $("visit-alone").focus();
}

function reasonError(message) {
  const input = $("visit-permission-reason");
  $("visit-permission-reason-error").textContent = message;
  if (message) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  } else {
    input.removeAttribute("aria-invalid");
  }
}

/** "Vraag toestemming": `send(reason, button)` posts it (and shows what goes wrong). */
export function bind(send) {
  $("visit-permission-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = $("visit-permission-reason");
    const reason = input.value.trim();
    reasonError("");
    if (!reason) return reasonError(t("visit.permission.error"));
    try {
      await send(reason, $("visit-permission-ask"));
      input.value = "";
    } catch (err) {
      if (err.fields && "reason" in err.fields) reasonError(t("visit.permission.error"));
    }
  });
}
