// Whether phones received their last test alarm: my own, and my teams' for managers.
// A phone that cannot receive alarms is shown with the reason, so it is fixed in time.
import { t } from "./i18n.js";
import { get } from "./api.js";
import { $, el } from "./dom.js";

const REFRESH_MS = 30_000;
let timer = null;

async function render() {
  const list = $("readiness-list");
  let people;
  try {
    ({ people } = await get("/api/alarm-readiness"));
  } catch {
    return; // offline: keep what is shown
  }
  list.replaceChildren(...people.map((p) => el("li", { dataset: { status: p.status } },
    el("strong", {}, p.user.name),
    el("span", {}, ` — ${t(`readiness.${p.status}`)}`),
    p.status === "unreachable" ? el("p", { class: "hint" }, p.reason) : null)));
}

export function startReadiness() {
  render();
  clearInterval(timer);
  timer = setInterval(render, REFRESH_MS);
}

export function stopReadiness() {
  clearInterval(timer);
  timer = null;
}
