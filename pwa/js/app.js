// Boot + router between the login and home screens.
import { applyTranslations, getLang, setLang, t } from "./i18n.js";
import { get, post, onUnauthorized } from "./api.js";
import { cachedProfile, saveProfile, forgetProfile } from "./store.js";
import * as conn from "./connection.js";
import { disablePush } from "./push.js";
import * as login from "./screens/login.js";
import * as home from "./screens/home.js";
import * as alarm from "./alarm/index.js";
import * as visits from "./visits/index.js";
import * as register from "./screens/register.js";
import * as checklists from "./screens/checklists.js";
import * as capture from "./incidents/capture.js";
import * as gir from "./incidents/gir.js";
import * as todo from "./incidents/todo.js";

import { $ } from "./dom.js";
let current = null;

const TITLES = {
  login: "login.title", home: "home.title", alarm: "alarm.screen.title", visit: "visit.screen.title",
  register: "air.title", checklists: "cl.title", incident: "incident.title", gir: "gir.title",
};
// Screen name -> its element.
const SCREENS = {
  login: "login-screen", home: "home-screen", alarm: "alarm-screen", visit: "visit-screen",
  register: "register-screen", checklists: "checklist-editor",
  incident: "incident-screen", gir: "gir-screen",
};

// Screens: "login", "home", "visit" (plan, check in, the visit under way), "alarm" (my
// own open alarm), "register" (the AIR, managers and the coordinator) and "checklists" (the
// coordinator's editor). The alarm button's bar is on every logged-in screen except the
// alarm screen itself.
function showScreen(name) {
  $("booting").hidden = true;
  for (const [screen, id] of Object.entries(SCREENS)) $(id).hidden = name !== screen;
  // The register's details leave the page with its screen (my own alarm may take over).
  if (name !== "register") register.close();
  if (name !== "checklists") checklists.close();
  if (name !== "gir") gir.close();
  if (name === "home") todo.refresh();
  const bar = name !== "login" && name !== "alarm";
  $("alarm-bar").hidden = !bar;
  document.body.classList.toggle("has-alarm-bar", bar);
  if (current !== name) {
    current = name;
    const h1 = $(SCREENS[name]).querySelector("h1");
    h1?.focus({ preventScroll: false });
    document.title = `${t(TITLES[name])} — Veldwacht`;
  }
}

/** The home screen's management buttons follow the role. */
function configureManagement(me) {
  register.configure(me, { showScreen });
  checklists.configure(me, { showScreen });
  gir.configure(me, { showScreen });
  todo.start(me);
  $("manage-card").hidden = !register.canUse(me) && !checklists.canUse(me);
}

function goHome(me) {
  home.show(me);
  configureManagement(me);
  alarm.start(me, { showScreen });
  // The alarm module may have put my own open alarm on screen already.
  if (current !== "alarm") showScreen("home");
  visits.start(me, {
    showScreen,
    currentScreen: () => current,
    showOwnAlarm: alarm.showOwnAlarm,
    ownAlarmOpen: alarm.ownAlarmOpen,
  });
  capture.start(me, { showScreen, currentScreen: () => current });
}

function goLogin(message = "") {
  if (current && current !== "login") {
    register.stop();
    checklists.stop();
    gir.stop();
    todo.stop();
    capture.stop();
    $("manage-card").hidden = true;
    visits.stop();
    alarm.stop();
    home.hide();
  }
  login.show(onLoggedIn, message);
  showScreen("login");
}

async function onLoggedIn(me) {
  await saveProfile(me);
  goHome(me);
}

async function sessionLost() {
  if (current === "login") return;
  conn.stop();
  await forgetProfile();
  goLogin();
}

async function logout() {
  const btn = $("logout");
  btn.disabled = true;
  try {
    await disablePush();
    await post("/api/auth/logout", {}, { handle401: false }).catch(() => {});
  } finally {
    btn.disabled = false;
    conn.stop();
    await forgetProfile();
    goLogin();
  }
}

/** Refresh the profile from the server; returns false when the session is gone. */
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

async function boot() {
  applyTranslations();
  const langSel = $("lang");
  langSel.value = getLang();
  langSel.addEventListener("change", () => {
    setLang(langSel.value);
    if (current) document.title = `${t(TITLES[current])} — Veldwacht`;
    alarm.refreshTexts();
    visits.refreshTexts();
    capture.refreshTexts();
    gir.refreshTexts();
  });
  $("logout").addEventListener("click", logout);
  onUnauthorized(sessionLost);
  conn.onUnauthorizedClose(sessionLost);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((err) => {
      console.warn("Service worker registration failed", err);
    });
  }

  const cached = cachedProfile();
  if (cached) {
    // Offline-first: show the cached home screen at once, then refresh.
    goHome(cached);
    const me = await refreshProfile();
    if (me === false) await sessionLost();
    else if (me) { home.update(me); configureManagement(me); alarm.update(me); visits.update(me); capture.update(me); }
    return;
  }

  const me = await refreshProfile();
  if (me) goHome(me);
  // null = network error: say why logging in will not work right now
  else goLogin(me === null ? t("login.offline") : "");
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", boot);
} else {
  boot();
}
