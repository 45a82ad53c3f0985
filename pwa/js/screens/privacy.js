// The privacy page ("/privacy"): who was given or read my location at my alarms and visits
// (GET /api/me/position-views), and what Veldwacht keeps about people, why, on what ground,
// how long and who sees it (GET /api/privacy). Every word about the data is the server's, in
// the chosen language; this screen only lays it out. Loaded on first use.
import { getLang, t } from "../i18n.js";
import { get } from "../api.js";
import { $, el } from "../dom.js";
import { paths } from "../routes.js";

function moment(iso) {
  return new Intl.DateTimeFormat(getLang() === "en" ? "en-GB" : "nl-NL", {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false,
  }).format(new Date(iso));
}

/** One alarm or visit: a heading, then who got or read the location, in time order. */
function positionItem(item) {
  const id = `privacy-${item.kind}-${item.id}`;
  const kind = item.kind === "visit" ? "privacy.item.visit" : item.test ? "privacy.item.test" : "privacy.item.alarm";
  const title = t(kind, { when: moment(item.at) }) + (item.place ? ` · ${item.place}` : "");
  const section = el("section", { class: "privacy-item", "aria-labelledby": id }, el("h3", { id }, title));
  if (!item.views.length) {
    section.append(el("p", { class: "hint" }, t("privacy.views.nobody")));
    return section;
  }
  const views = item.views.map((v) => el("li", {},
    el("p", { class: "privacy-who" }, t("privacy.views.person", { name: v.person.name, role: v.role_label })),
    el("p", {}, `${v.what_label} · `, el("time", { datetime: v.at }, moment(v.at)))));
  section.append(el("ol", { class: "privacy-views", "aria-labelledby": id }, ...views));
  return section;
}

/** One kind of data: what, why, on what ground, how long, who sees it. */
function processing(p) {
  const id = `privacy-kind-${p.key}`;
  const facts = [
    ["privacy.kind.data", p.data], ["privacy.kind.purpose", p.purpose], ["privacy.kind.ground", p.ground],
    ["privacy.kind.kept", p.kept.text], ["privacy.kind.who", p.who],
  ];
  if (p.roles.length) facts.push(["privacy.kind.roles", p.roles.map((r) => r.label).join(", ")]);
  return el("section", { class: "privacy-kind", "aria-labelledby": id }, el("h3", { id }, p.title),
    el("dl", { class: "privacy-facts" }, ...facts.flatMap(([label, text]) => [el("dt", {}, t(label)), el("dd", {}, text)])));
}

class PrivacyScreen {
  constructor() {
    this.nav = null;
    this.showing = false;
    this.asked = 0; // the latest load: an older answer (another language) is not drawn over it
  }

  configure(me, nav) {
    if (!this.nav) $("privacy-back").addEventListener("click", () => this.nav.up(paths.account()));
    this.nav = nav;
  }

  enter() {
    this.showing = true;
    this.load();
    return true;
  }

  async load() {
    const asked = ++this.asked;
    $("privacy-status").textContent = t("loading");
    try {
      const [statement, mine] = await Promise.all([get("/api/privacy"), get("/api/me/position-views")]);
      if (asked !== this.asked) return;
      this.render(statement, mine.items);
      $("privacy-status").textContent = "";
    } catch (err) {
      if (asked === this.asked) $("privacy-status").textContent = err.isNetwork ? t("screen.unavailable") : err.message;
    }
  }

  render(statement, items) {
    $("privacy-promise").textContent = statement.promise;
    $("privacy-views").replaceChildren(...items.map(positionItem));
    $("privacy-views-empty").hidden = items.length > 0;
    $("privacy-controller").textContent = t("privacy.controller", { name: statement.controller });
    $("privacy-processings").replaceChildren(...statement.processings.map(processing));
    $("privacy-rights").textContent = statement.rights;
  }

  leave() {
    this.showing = false;
  }

  refreshTexts() {
    if (this.showing) this.load();  // the server's words, in the new language
  }

  stop() {
    this.leave();
    this.asked += 1;
    for (const id of ["privacy-views", "privacy-processings"]) $(id).replaceChildren();
    for (const id of ["privacy-promise", "privacy-controller", "privacy-rights", "privacy-status"]) $(id).textContent = "";
  }
}

export const screen = new PrivacyScreen();
