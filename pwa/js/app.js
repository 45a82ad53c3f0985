// Boot, login, and which screen is on view. The router says which screen the URL means; the
// app shows it, loading the code of the screens a field worker never needs (the register,
// follow-up, Te doen, the team, the editors) on first use, and keeps the worker's own open
// alarm on top of whatever route is shown.
import { getLang, loadLanguage, setLang, t, translatePage } from "./i18n.js";
import { get, post, onUnauthorized } from "./api.js";
import { cachedProfile, saveProfile, forgetProfile } from "./store.js";
import * as conn from "./connection.js";
import { Router } from "./router.js";
import { paths } from "./routes.js";
import { TabBar } from "./tab-bar.js";
import { announcer } from "./announcer.js";
import * as login from "./screens/login.js";
import { $ } from "./dom.js";

/** Screen name -> its element, its title, and its code: `session` for one of the signed-in
 * session's (session.js), or `load` for one fetched on first use, whose `screen` has configure,
 * enter, leave, refreshTexts, stop. */
const SCREENS = {
  login: { id: "login-screen", title: "login.title" },
  alarm: { id: "alarm-screen", title: "alarm.screen.title" },
  home: { id: "home-screen", title: "home.title", session: true },
  visit: { id: "visit-screen", title: "visit.screen.title", session: true },
  incident: { id: "incident-screen", title: "incident.title", session: true },
  gir: { id: "gir-screen", title: "gir.title", load: () => import("./incidents/gir.js") },
  register: { id: "register-screen", title: "air.title", load: () => import("./screens/register.js") },
  checklists: { id: "checklist-editor", title: "cl.title", load: () => import("./screens/checklists.js") },
  admin: { id: "admin-screen", title: "admin.title", load: () => import("./admin/screen.js") },
  todo: { id: "todo-screen", title: "todo.heading", load: () => import("./incidents/todo.js") },
  team: { id: "team-screen", title: "team.title", load: () => import("./visits/team-list.js") },
  account: { id: "account-screen", title: "account.title", load: () => import("./screens/account.js") },
  privacy: { id: "privacy-screen", title: "privacy.title", load: () => import("./screens/privacy.js") },
  audit: { id: "audit-screen", title: "audit.title", load: () => import("./screens/audit.js") },
  reports: { id: "reports-screen", title: "reports.title", load: () => import("./screens/reports.js") },
  learning: { id: "learning-screen", title: "learning.title", load: () => import("./screens/learning.js") },
};

class App {
  constructor() {
    this.me = null;
    this.session = null;      // session.js, once someone is signed in
    this.route = null;        // the route the URL means
    this.screen = null;       // the screen of that route once shown
    this.shown = null;        // the screen on view (the alarm or login may stand in for it)
    this.ownAlarm = false;    // my own open alarm covers every route
    this.forced = false;      // a password someone else chose must be changed before all else
    this.loaded = new Map();  // lazy screen name -> its module
    this.router = new Router({ show: (route) => this.show(route), canLeave: (path) => this.canLeave(path) });
    this.tabs = new TabBar();
    this.nav = {
      go: (path, options) => this.router.go(path, options),
      up: (parent) => this.router.up(parent),
      replaceFrom: (previous, path) => this.router.replaceFrom(previous, path),
    };
  }

  /* ---------- screens ---------- */
  /** The code of a screen fetched on first use (`load`), configured for the user. */
  async load(name) {
    const { screen: code } = await SCREENS[name].load();
    code.configure(this.me, this.nav);
    this.loaded.set(name, code);
    return code;
  }

  codeOf(name) {
    return SCREENS[name].session ? this.session?.screens[name] : this.loaded.get(name);
  }

  /** A session screen's code arrives with the session's start (visits and capture after the
   * alarm's); any other is fetched now. */
  async codeFor(name) {
    if (!SCREENS[name].session) return this.load(name);
    await this.session?.started();
    return this.codeOf(name);
  }

  /** A route on screen: at once when its code is here (the screen can then take the focus
   * as it draws), else once fetched. */
  async show(route) {
    this.route = route;
    if (this.forced) { this.display("account"); return; }
    if (!this.me) { this.display("login"); return; }
    const code = this.codeOf(route.screen) ?? await this.codeFor(route.screen).catch(() => null);
    if (this.route !== route || !this.me) return;  // a newer navigation, or logged out meanwhile
    if (!code) {
      announcer.say(t("screen.unavailable"));
      this.router.go(paths.home(), { replace: true });
      return;
    }
    if (this.screen && this.screen !== route.screen) this.codeOf(this.screen)?.leave?.();
    this.screen = route.screen;
    const allowed = code.enter(route.params);
    if (this.route !== route) return;  // entering sent us on (a planned visit opens as itself)
    if (allowed === false) { this.router.go(paths.home(), { replace: true }); return; }
    this.display(route.screen);
  }

  canLeave(path) {
    return this.codeOf(this.screen)?.canLeave?.(path) ?? true;
  }

  /** Show one screen; the own alarm stands in for any route. The alarm bar is on every
   * logged-in screen but the alarm's own, the tab bar too. */
  display(name = this.screen) {
    const visible = this.forced ? "account" : name === "login" ? "login" : this.ownAlarm ? "alarm" : name;
    $("booting").hidden = true;
    for (const [screen, { id }] of Object.entries(SCREENS)) $(id).hidden = screen !== visible;
    this.showBars(!this.forced && visible !== "login" && visible !== "alarm", visible);
    if (this.shown !== visible) {
      // The new screen's heading, unless the screen put the focus somewhere already (a field).
      // Not the app's first screen: a page that has just opened keeps the focus at its start
      // (where a screen reader begins and the skip link is), and is laid out once, not twice.
      const element = $(SCREENS[visible].id);
      const moved = this.shown !== null;
      this.shown = visible;
      if (moved && !element.contains(document.activeElement)) element.querySelector("h1")?.focus({ preventScroll: false });
      document.title = `${t(SCREENS[visible].title)} — Veldwacht`;
    }
  }

  showBars(on, visible) {
    $("alarm-bar").hidden = !on;
    document.body.classList.toggle("has-alarm-bar", on);
    this.tabs.show(on ? this.me : null, visible);
  }

  /** The alarm works (the session's first part has started) while the rest of the start
   * follows: its bar at once over "Laden…", and home once drawn when that is where the app
   * opens (also right after the login) — unless the user is on a screen already. */
  alarmReady(homeDrawn) {
    const opening = () => this.me && (this.shown === null || this.shown === "login");
    if (!opening()) return Promise.resolve();
    if (this.shown === null) this.showBars(true, null);
    if (this.router.route()?.screen !== "home") return Promise.resolve();
    // After the bar's first paint: a tap on it is not held up by laying out home.
    const showHome = () => { if (opening()) this.display("home"); };
    return homeDrawn.then(() => new Promise((resolve) => {
      requestAnimationFrame(() => setTimeout(() => { showHome(); resolve(); }));
    }));
  }

  /** The alarm module: my own alarm is open (its screen covers every route) or over. */
  setOwnAlarm(open) {
    this.ownAlarm = open;
    if (open || this.screen === "home") this.display();
    else this.router.go(paths.home());  // the card after the alarm is on the home screen
  }

  /* ---------- session ---------- */
  hooks() {
    return { ...this.nav, currentScreen: () => this.shown, setOwnAlarm: (open) => this.setOwnAlarm(open),
      alarmReady: (homeDrawn) => this.alarmReady(homeDrawn) };
  }

  /** The signed-in part of the app; false when it cannot be fetched (offline, never cached). */
  async loadSession() {
    try {
      this.session ??= await import("./session.js");
      return true;
    } catch {
      return false;
    }
  }

  async startSession(me) {
    const step = me.must_change_password ? "password"
      : me.second_factor?.set_up_first ? "second_factor" : null;
    if (step) { await this.forceAccountStep(me, step); return; }
    if (!(await this.loadSession())) { this.endSession(t("screen.unavailable")); return; }
    this.me = me;
    await this.session.start(me, this.nav, this.hooks());
    if (this.me === me) this.router.render();  // unless logged out meanwhile
  }

  /** A password someone else chose (a one-time password), or a second factor still to set
   * up: that is all the app offers, then the session starts as after any login. */
  async forceAccountStep(me, step) {
    this.forced = true;
    const { force } = await import("./screens/account.js");
    force(me, {
      step,
      onChanged: async () => {
        const fresh = await refreshProfile();
        this.forced = false;
        if (fresh) await this.startSession(fresh);
        else this.endSession(fresh === null ? t("login.offline") : "");
      },
      onLogout: () => this.logout(),
      show: () => this.display("account"),
    });
  }

  /** A fresh profile from /api/me: every part follows (a role or team may have changed). */
  updateSession(me) {
    this.me = me;
    this.session.update(me);
    for (const module of this.loaded.values()) module.configure(me, this.nav);
    this.display();
  }

  endSession(message = "") {
    if (this.me) {
      for (const module of this.loaded.values()) module.stop();
      this.session.stop();
    }
    this.me = null;
    this.screen = null;
    this.ownAlarm = false;
    this.forced = false;
    login.show((me, failed) => this.loggedIn(me, failed), message);
    this.display("login");
  }

  async loggedIn(me, failedAttempts) {
    await saveProfile(me);
    login.showFailedAttempts(failedAttempts);
    await this.startSession(me);
  }

  async sessionLost() {
    if (!this.me) return;
    conn.stop();
    await forgetProfile();
    this.endSession();
  }

  async logout() {
    const btn = $("logout");
    btn.disabled = true;
    try {
      await this.session?.disablePush();
      await post("/api/auth/logout", {}, { handle401: false }).catch(() => {});
    } finally {
      btn.disabled = false;
      conn.stop();
      await forgetProfile();
      this.endSession();
    }
  }

  refreshTexts() {
    if (this.shown) document.title = `${t(SCREENS[this.shown].title)} — Veldwacht`;
    this.session?.refreshTexts();
    for (const module of this.loaded.values()) module.refreshTexts();
  }

  /* ---------- boot ---------- */
  bind() {
    const langSel = $("lang");
    langSel.value = getLang();
    langSel.addEventListener("change", async () => {
      if (await setLang(langSel.value)) this.refreshTexts();
      else {
        // English is fetched the first time it is chosen: offline, Dutch stays.
        langSel.value = getLang();
        announcer.say(t("language.unavailable"));
      }
    });
    $("logout").addEventListener("click", () => this.logout());
    onUnauthorized(() => this.sessionLost());
    conn.onUnauthorizedClose(() => this.sessionLost());
    // The outbox and the card after an alarm open a report the register has received.
    window.addEventListener("veldwacht:open-incident", (e) => {
      if (Number(e.detail?.id)) this.router.go(paths.gir(Number(e.detail.id)));
    });
    // A notification's link, from the service worker (sw.js openLink).
    navigator.serviceWorker?.addEventListener("message", (e) => {
      if (e.data?.type === "open-link" && typeof e.data.path === "string") this.router.go(e.data.path);
    });
    // Once the page has loaded: the precache then finds the shell in the HTTP cache rather
    // than competing with the first start for a slow connection.
    const register = () => navigator.serviceWorker?.register("/sw.js", { scope: "/" }).catch((err) => {
      console.warn("Service worker registration failed", err);
    });
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register, { once: true });
  }

  async boot() {
    // Side by side, not one after the other: the server's word on the session, the session's
    // code when someone is signed in here (the server preloads it then), and the texts.
    const fresh = refreshProfile();
    const cached = cachedProfile();
    if (cached || document.querySelector('link[rel="modulepreload"][href$="/js/session.js"]')) {
      this.loadSession();
    }
    await loadLanguage();  // the chosen language's texts before anything renders
    translatePage();
    this.bind();
    this.router.start();
    if (cached) {
      // Offline-first: the cached profile at once, then the server's.
      const me = (await Promise.all([fresh, this.startSession(cached)]))[0];
      if (!this.me) return;  // the session's code could not be had
      if (me === false) await this.sessionLost();
      else if (me) this.updateSession(me);
      return;
    }
    const me = await fresh;
    if (me) await this.startSession(me);
    // null = network error: say why logging in will not work right now
    else this.endSession(me === null ? t("login.offline") : "");
  }
}

/** The profile from the server; false when the session is gone, null offline. */
async function refreshProfile() {
  try {
    const me = await get("/api/me", { handle401: false });
    conn.setReachable(true);
    await saveProfile(me);
    return me;
  } catch (err) {
    if (err.status === 401) return false;
    if (err.isNetwork) {
      conn.setReachable(false);
      return null; // offline: keep what we have
    }
    return undefined; // server trouble: keep what we have
  }
}

const app = new App();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => app.boot());
else app.boot();
