// The alarm's timeline (managers, coordinator, administrator): who was alerted, what was
// delivered and seen, who responded, how it ended. A modal <dialog> above everything.
import { t } from "../i18n.js";
import { get } from "../api.js";
import { $, el, formatClock } from "./common.js";

// The alarm whose timeline is open: a late answer about another one is dropped. One dialog
// per page, so one object.
const dialogState = { openId: null, bound: false };

async function load(id) {
  const list = $("alarm-timeline");
  const status = $("alarm-timeline-status");
  status.classList.remove("is-error");
  status.textContent = t("alarm.timeline.loading");
  try {
    const data = await get(`/api/alarms/${id}`, { timeout: 10000 });
    if (dialogState.openId !== id) return;
    const entries = Array.isArray(data?.timeline) ? data.timeline : null;
    if (!entries) {
      status.textContent = t("alarm.timeline.none");
      list.replaceChildren();
      return;
    }
    status.textContent = "";
    list.replaceChildren(...entries.map((e) => el("li", { dataset: { kind: e.kind || "" } },
      el("time", { datetime: e.at }, formatClock(e.at)), ` — ${e.label}`)));
  } catch (err) {
    if (err.status === 401 || dialogState.openId !== id) return;
    status.classList.add("is-error");
    status.textContent = err.isNetwork ? t("error.network") : err.message || t("alarm.timeline.failed");
  }
}

export function open(id) {
  const dialog = $("alarm-timeline-dialog");
  dialogState.openId = id;
  $("alarm-timeline").replaceChildren();
  if (!dialog.open) dialog.showModal();
  load(id);
}

export function close() {
  dialogState.openId = null;
  const dialog = $("alarm-timeline-dialog");
  if (dialog.open) dialog.close();
}

export function bind() {
  if (dialogState.bound) return;
  dialogState.bound = true;
  $("alarm-timeline-close").addEventListener("click", close);
  $("alarm-timeline-dialog").addEventListener("close", () => { dialogState.openId = null; });
}
