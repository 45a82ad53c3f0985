// Navigation with the history API: every screen has its URL (routes.js), back returns to the
// previous screen, and an app opened at an inner screen (a link, a notification) gets home
// put behind it, so back never leaves the app from inside it (from home it may: Android's way).
import { parse, fromHash, paths } from "./routes.js";

const OURS = "veldwacht";
const here = () => location.pathname + location.search;

export class Router {
  /** show(route) draws a route; canLeave(path) may keep the user on a screen with unsaved work. */
  constructor({ show, canLeave = () => true }) {
    this.show = show;
    this.canLeave = canLeave;
    this.current = null;     // the path on screen
    this.replaceNext = null; // replaceFrom(): the path that takes the place of the entry we go back to
    this.asked = false;      // canLeave() was asked already for the step back under way
  }

  start() {
    window.addEventListener("popstate", () => this.popped());
    window.addEventListener("hashchange", () => this.followHash());
    document.addEventListener("click", (e) => this.clicked(e));
    this.settle();
  }

  /** On start: an old hash link becomes its path; an inner screen gets home behind it. */
  settle() {
    const path = fromHash(location.hash) || (parse(location.pathname, location.search) ? here() : paths.home());
    if (history.state?.app === OURS) {
      history.replaceState(history.state, "", path);
    } else if (path === paths.home()) {
      history.replaceState(this.entry(0, null), "", path);
    } else {
      history.replaceState(this.entry(0, null), "", paths.home());
      history.pushState(this.entry(1, paths.home()), "", path);
    }
  }

  entry(depth, from) {
    return { app: OURS, depth, from };
  }

  /** Open a screen; replace: instead of the one on screen (its work is done, or a redirect). */
  go(path, { replace = false } = {}) {
    if (!replace && path !== here() && !this.canLeave(path)) return;
    const state = history.state?.app === OURS ? history.state : this.entry(0, null);
    if (replace) history.replaceState(state, "", path);
    else if (path !== here()) history.pushState(this.entry(state.depth + 1, here()), "", path);
    this.render();
  }

  /** A screen's own back button: up to `parent`, back in history when we came from there. */
  up(parent) {
    if (!this.canLeave(parent)) return;
    if (history.state?.from === parent) this.back();
    else this.go(parent, { replace: true });
  }

  back() {
    this.asked = true;
    history.back();
  }

  /** Back to `previous` when we came from there, with `path` in its place; else `path` here. */
  replaceFrom(previous, path) {
    if (history.state?.from !== previous) { this.go(path, { replace: true }); return; }
    this.replaceNext = path;
    this.back();
  }

  /** The phone's back button, or ours: the guard asks unless it was asked already. */
  popped() {
    const asked = this.asked;
    this.asked = false;
    if (this.replaceNext) {
      history.replaceState(history.state, "", this.replaceNext);
      this.replaceNext = null;
    } else if (!asked && this.current && !this.canLeave(here())) {
      history.pushState(this.entry((history.state?.depth ?? 0) + 1, here()), "", this.current);
      return;
    }
    this.render();
  }

  followHash() {
    const path = fromHash(location.hash);
    if (path) this.go(path, { replace: true });
  }

  /** Links to our screens navigate in the page ("/gir/17" from Te doen, "/melden?alarm=7"). */
  clicked(e) {
    const a = e.target.closest?.("a[href]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (a.target || a.hasAttribute("download") || a.origin !== location.origin) return;
    const href = a.getAttribute("href");
    const path = href.startsWith("#") ? fromHash(href) : parse(a.pathname, a.search) && a.pathname + a.search;
    if (!path) return;
    e.preventDefault();
    this.go(path);
  }

  /** The route the URL means, or null for a path that is no screen of ours. */
  route() {
    return parse(location.pathname, location.search);
  }

  /** Draw what the URL says; a path that is no screen of ours is home. */
  render() {
    const route = this.route();
    if (!route) { this.go(paths.home(), { replace: true }); return; }
    this.current = here();
    this.show(route);
  }
}
