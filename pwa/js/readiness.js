// Whether phones received their last test alarm: my own, and my teams' for managers.
// A phone that cannot receive alarms is shown with the reason, so it is fixed in time.
import { t } from "./i18n.js";
import { get } from "./api.js";

const REFRESH_MS = 30_000;
let timer = null;

async function render() {
  const list = document.getElementById("readiness-list");
  let people;
  try {
    ({ people } = await get("/api/alarm-readiness"));
  } catch {
    return; // offline: keep what is shown
  }
  list.replaceChildren(...people.map((p) => {
    const li = document.createElement("li");
    li.dataset.status = p.status;
    const name = document.createElement("strong");
    name.textContent = p.user.name;
    const state = document.createElement("span");
    state.textContent = ` — ${t(`readiness.${p.status}`)}`;
    li.append(name, state);
    if (p.status === "unreachable") {
      const why = document.createElement("p");
      why.className = "hint";
      why.textContent = p.reason;
      li.append(why);
    }
    return li;
  }));
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
