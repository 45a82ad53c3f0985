// Leren ("/leren", issue 18): for everyone their questionnaire, profile and learning goals
// (learning/me.js); for managers and the coordinator the teams they may see, each with its
// picture and plan ("/leren/team/3", learning/team.js); for the coordinator the organisation's
// picture beside the incident trends ("/leren/organisatie", learning/organisation.js). What
// shows is what the `can` flags and the server's answers say. Loaded on first use, and by
// home once it is on view (prepare), so the questionnaire opens later without a network.
import { t } from "../i18n.js";
import { get } from "../api.js";
import { $, el } from "../dom.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";
import { ready as vocabularyReady } from "../vocabulary.js";
import { MyLearning } from "../learning/me.js";
import { refreshInstruments } from "../learning/instruments.js";

const outbox = self.VeldwachtOutbox;
const VIEWS = { me: "learning-me", team: "learning-team", organisation: "learning-org" };

/** Home's card: the questionnaire fetched for an offline form, and what waits to be sent. */
class HomeCard {
  me = null;
  listening = false;

  prepare(me) {
    this.me = me;
    refreshInstruments();
    if (!this.listening) {
      this.listening = true;
      outbox.onChange(() => this.draw());
    }
    this.draw();
  }

  async draw() {
    if (!this.me) return;
    const waiting = (await outbox.list(this.me.id, "learning_response").catch(() => []))
      .filter((e) => e.state === "waiting").length;
    const text = waiting ? t("learning.card.waiting") : "";
    const line = $("learning-card-status");
    if (line.textContent !== text) line.textContent = text;
  }

  stop() {
    this.me = null;
    $("learning-card-status").textContent = "";
  }
}

const card = new HomeCard();

/** Called by home once it is on view. */
export const prepare = (me) => card.prepare(me);

class LearningScreen {
  me = null;
  nav = null;
  view = null;
  mine = null;
  parts = {};  // "team", "organisation": their modules' views, once loaded

  configure(me, nav) {
    const first = this.nav === null;
    [this.me, this.nav] = [me, nav];
    if (!first) return;
    this.mine = new MyLearning($("learning-me"));
    $("learning-back").addEventListener("click", () => this.nav.up(this.view === "me" ? paths.home() : paths.learning()));
  }

  enter({ view = "me", id = null } = {}) {
    if (!can(this.me, this.flagFor(view))) return false;
    vocabularyReady().catch(() => {});
    this.switchTo(view);
    $("learning-error").textContent = "";
    if (view === "me") this.showMe();
    else this.showPart(view, id);
    return true;
  }

  flagFor(view) {
    return { me: "learning", team: "team_learning", organisation: "learning_organisation" }[view];
  }

  switchTo(view) {
    if (this.view && this.view !== view) this.leaveView(this.view);
    this.view = view;
    for (const [name, id] of Object.entries(VIEWS)) $(id).hidden = name !== view;
  }

  async showMe() {
    await this.mine.show(this.me);
    if (this.view === "me") this.drawLinks();
  }

  /** Managers: their teams; the coordinator also the organisation. */
  async drawLinks() {
    if (!can(this.me, "team_learning")) return;
    const box = el("section", { class: "card learning-teams", "aria-labelledby": "learning-teams-heading" },
      el("h2", { id: "learning-teams-heading" }, t("learning.teams.heading")),
      can(this.me, "learning_organisation")
        ? el("a", { class: "btn btn-secondary btn-block", href: paths.learningOrganisation(), id: "learning-org-open" }, t("learning.org.open"))
        : null);
    $("learning-me").append(box);
    try {
      const { teams } = await get("/api/learning/teams");
      box.append(el("ul", { class: "learning-team-list" }, ...teams.map((team) => el("li", {},
        el("a", { href: paths.learningTeam(team.id), class: "learning-team-link", dataset: { team: String(team.id) } }, team.name),
        " ", el("span", { class: "hint" }, t("learning.teams.respondents", { n: team.respondents, members: team.members }))))));
    } catch (err) {
      if (err.status !== 401) box.append(el("p", { class: "hint" }, err.isNetwork ? t("learning.offline.live") : err.message));
    }
  }

  async showPart(view, id) {
    const load = view === "team" ? () => import("../learning/team.js") : () => import("../learning/organisation.js");
    try {
      this.parts[view] ??= new (await load()).View($(VIEWS[view]));
    } catch {
      $("learning-error").textContent = t("learning.offline.live");
      return;
    }
    if (this.view === view) this.parts[view].show(this.me, id);
  }

  leaveView(view) {
    if (view === "me") this.mine?.leave();
    else this.parts[view]?.leave();
  }

  leave() {
    if (this.view) this.leaveView(this.view);
    this.view = null;
    $("learning-status").textContent = "";
  }

  refreshTexts() {
    if (!this.view) return;
    const view = this.view;
    this.view = null;
    this.enter(view === "me" ? { view } : { view, id: this.parts[view]?.id ?? null });
  }

  stop() {
    this.leave();
    card.stop();
    this.me = null;
  }
}

export const screen = new LearningScreen();
