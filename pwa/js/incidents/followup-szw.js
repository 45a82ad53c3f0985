// Inspectie SZW (§9): a serious incident is reported by phone within 24 hours, then in
// writing. A countdown to the deadline, the number to call, recording the phone report, then
// the written report with its own due date; and the days of absence (more than three: the
// accident register).
import { t } from "../i18n.js";
import { serverNow } from "../api.js";
import { el } from "../dom.js";
import { localInput, withOffset } from "./gir-fields.js";
import { control, form, momentEl, valueOf } from "./followup-ui.js";

const PHONE = "0800-5151";
const pad = (n) => String(n).padStart(2, "0");

/** {overdue, text}: "Nog 23:41 uur om te melden" or "TE LAAT …", in words, not only colour. */
function countdown(deadline) {
  const left = Date.parse(deadline) - serverNow();
  if (left <= 0) return { overdue: true, text: t("fu.szw.late") };
  const minutes = Math.floor(left / 60000);
  return { overdue: false, text: t("fu.szw.left", { time: `${Math.floor(minutes / 60)}:${pad(minutes % 60)}` }) };
}

/** Called every few seconds; the text (and so the announcement) changes once a minute. */
export function tickCountdown(root, data) {
  const box = root.querySelector("#fu-szw-countdown");
  if (!box || !data.inspectorate.deadline) return;
  const { overdue, text } = countdown(data.inspectorate.deadline);
  if (box.textContent !== text) box.textContent = text;
  box.classList.toggle("is-overdue", overdue);
}

/** The phone report (`way` "phone") or the written one ("written"): when, and its reference. */
function reportForm(way, ui) {
  const id = way === "phone" ? "fu-szw" : "fu-szw-written";
  const done = way === "phone" ? "fu-szw-done" : "fu-szw-written-done";
  const submit = (node) => ui.act(node, { method: "PUT", path: way === "phone" ? "/inspectorate" : "/inspectorate/written", body: {
    reported_at: withOffset(valueOf(node, "reported_at")), reference: valueOf(node, "reference") } },
  { done: t(`fu.szw.${way}.saved`), focus: () => document.getElementById(done) });
  return form({ id: `${id}-form`, legend: t(`fu.szw.${way}.form`), submit: t(`fu.szw.${way}.submit`), onSubmit: submit },
    control({ id: `${id}-at`, field: "reported_at", type: "datetime-local", label: t("fu.szw.at"),
      value: localInput(new Date(serverNow()).toISOString()) }),
    control({ id: `${id}-reference`, field: "reference", label: t("fu.szw.reference"), limit: "inspectorate_reference" }));
}

function reported(szw) {
  const onTime = szw.state === "reported";
  return el("p", { class: `fu-szw-done${onTime ? "" : " is-late"}`, id: "fu-szw-done", tabindex: "-1", dataset: { state: szw.state } },
    el("span", { "aria-hidden": "true" }, onTime ? "✓ " : "⚠ "),
    `${t("fu.szw.phone.reportedOn")} `, momentEl(szw.reported_at), ` (${t(onTime ? "fu.szw.onTime" : "fu.szw.tooLate")})`,
    szw.reference ? ` — ${t("fu.szw.reference")}: ${szw.reference}` : "");
}

/** After the call: the written report, due a few days later (the server says when). */
function written(szw, ui) {
  const w = szw.written;
  if (w.state === "reported") {
    return [el("p", { class: "fu-szw-done", id: "fu-szw-written-done", tabindex: "-1", dataset: { state: w.state } },
      el("span", { "aria-hidden": "true" }, "✓ "), `${t("fu.szw.written.reportedOn")} `, momentEl(w.reported_at),
      w.reference ? ` — ${t("fu.szw.reference")}: ${w.reference}` : "")];
  }
  const late = w.state === "overdue";
  return [el("p", { class: `fu-szw-written-due${late ? " fu-warning" : ""}`, id: "fu-szw-written-due" },
    late ? el("span", { "aria-hidden": "true" }, "⚠ ") : null,
    `${t("fu.szw.written.due")} `, momentEl(w.due_at), late ? ` — ${t("fu.late")}` : ""),
  reportForm("written", ui)];
}

function inspectorate(data, ui) {
  const szw = data.inspectorate;
  const criteria = el("p", { class: "fu-szw-serious" }, el("strong", {}, `${t("gir.serious")}: `), szw.criteria.join(", "));
  if (szw.state === "reported" || szw.state === "reported_late") return [criteria, reported(szw), ...written(szw, ui)];
  const { overdue, text } = countdown(szw.deadline);
  return [criteria,
    el("p", { class: `fu-countdown${overdue ? " is-overdue" : ""}`, id: "fu-szw-countdown", role: "timer",
      "aria-live": "polite", "aria-atomic": "true" }, text),
    el("p", {}, `${t("fu.szw.deadline")} `, momentEl(szw.deadline)),
    el("a", { class: "btn btn-secondary fu-call", href: `tel:${PHONE.replace("-", "")}` }, t("fu.szw.call", { phone: PHONE })),
    el("p", { class: "hint" }, t("fu.szw.writing")),
    reportForm("phone", ui)];
}

function absenceForm(data, ui) {
  const submit = (node) => {
    const days = valueOf(node, "days");
    ui.act(node, { method: "PUT", path: "/absence", body: { days: days === "" ? null : Number(days) } },
      { done: t("fu.absence.saved") });
  };
  const over = data.accident_register;
  return form({ id: "fu-absence-form", legend: t("fu.absence.legend"), submit: t("fu.absence.submit"), onSubmit: submit },
    control({ id: "fu-absence-days", field: "days", type: "number", label: t("fu.absence.days"), limit: "absence_days",
      inputmode: "numeric", value: data.absence_days ?? "", hint: t("fu.absence.hint") }),
    over ? el("p", { class: "fu-warning" }, el("span", { "aria-hidden": "true" }, "⚠ "), t("fu.absence.register")) : null);
}

export function szwPart(data, ui) {
  return [
    ...(data.inspectorate.required ? inspectorate(data, ui) : [el("p", { class: "hint" }, t("fu.szw.notRequired"))]),
    absenceForm(data, ui),
  ];
}
