// Tiny dictionary-based i18n. Dutch is the default; English is optional.
const DICT = {
  nl: {
    skip: "Naar de inhoud",
    language: "Taal",
    loading: "Laden…",
    "login.title": "Inloggen",
    "login.username": "Gebruikersnaam",
    "login.password": "Wachtwoord",
    "login.remember": "Ingelogd blijven op dit apparaat",
    "login.submit": "Inloggen",
    "login.busy": "Bezig met inloggen…",
    "login.missing": "Vul je gebruikersnaam en wachtwoord in.",
    "login.failed": "Inloggen is mislukt.",
    "login.offline": "Geen verbinding. Inloggen kan alleen met verbinding.",
    "offline.banner": "Geen verbinding — je werkt offline. Live alarmen komen pas binnen als je weer verbinding hebt.",
    "home.title": "Overzicht",
    "who.heading": "Jouw gegevens",
    "who.role": "Rol",
    "who.team": "Team",
    "who.function": "Functie",
    "who.manager": "Leidinggevende",
    "who.call": "Bel",
    "status.heading": "Status",
    "conn.open": "Live verbonden",
    "conn.connecting": "Verbinding maken…",
    "conn.offline": "Offline — wacht op verbinding",
    "conn.closed": "Niet verbonden",
    "duty.on": "In dienst",
    "duty.off": "Niet in dienst",
    "duty.failed": "Dienststatus wijzigen is mislukt.",
    "notify.button": "Meldingen aanzetten",
    "notify.on": "Meldingen staan aan op dit apparaat.",
    "notify.denied": "Meldingen zijn geblokkeerd. Zet ze aan in de instellingen van je browser.",
    "notify.unsupported": "Dit apparaat of deze browser ondersteunt geen pushmeldingen.",
    "notify.ios": "Op iPhone en iPad werken meldingen alleen als je de app aan je beginscherm toevoegt (Deel → Zet op beginscherm).",
    "notify.busy": "Meldingen aanzetten…",
    "notify.failed": "Meldingen aanzetten is mislukt.",
    "notify.off": "Meldingen staan uit.",
    "notify.test": "Testmelding sturen",
    "notify.test.sent": "Testmelding verstuurd. Komt hij niet binnen, dan kan dit apparaat geen alarmen ontvangen.",
    "message.heading": "Bericht sturen",
    "message.to": "Aan",
    "message.text": "Bericht",
    "message.send": "Versturen",
    "message.sending": "Versturen…",
    "message.sent": "Bericht verstuurd.",
    "message.failed": "Versturen is mislukt.",
    "message.empty": "Schrijf eerst een bericht.",
    "message.noRecipient": "Kies een ontvanger.",
    "message.offline": "Geen verbinding. Je bericht is niet verstuurd.",
    "message.choose": "Kies een ontvanger…",
    "message.teams": "Teams",
    "message.people": "Personen",
    "message.team": "Team {name}",
    "feed.heading": "Meldingen",
    "feed.empty": "Nog geen meldingen.",
    "feed.urgent": "Urgent",
    logout: "Uitloggen",
    "error.network": "Geen verbinding met de server.",
  },
  en: {
    skip: "Skip to content",
    language: "Language",
    loading: "Loading…",
    "login.title": "Sign in",
    "login.username": "Username",
    "login.password": "Password",
    "login.remember": "Keep me signed in on this device",
    "login.submit": "Sign in",
    "login.busy": "Signing in…",
    "login.missing": "Enter your username and password.",
    "login.failed": "Sign-in failed.",
    "login.offline": "No connection. You can only sign in while online.",
    "offline.banner": "No connection — you are working offline. Live alarms will only arrive once you are back online.",
    "home.title": "Overview",
    "who.heading": "Your details",
    "who.role": "Role",
    "who.team": "Team",
    "who.function": "Function",
    "who.manager": "Manager",
    "who.call": "Call",
    "status.heading": "Status",
    "conn.open": "Live connected",
    "conn.connecting": "Connecting…",
    "conn.offline": "Offline — waiting for a connection",
    "conn.closed": "Not connected",
    "duty.on": "On duty",
    "duty.off": "Off duty",
    "duty.failed": "Could not change duty status.",
    "notify.button": "Turn on notifications",
    "notify.on": "Notifications are on for this device.",
    "notify.denied": "Notifications are blocked. Allow them in your browser settings.",
    "notify.unsupported": "This device or browser does not support push notifications.",
    "notify.ios": "On iPhone and iPad notifications only work after you add the app to your home screen (Share → Add to Home Screen).",
    "notify.busy": "Turning on notifications…",
    "notify.failed": "Could not turn on notifications.",
    "notify.off": "Notifications are off.",
    "notify.test": "Send a test notification",
    "notify.test.sent": "Test notification sent. If it does not arrive, this device cannot receive alarms.",
    "message.heading": "Send a message",
    "message.to": "To",
    "message.text": "Message",
    "message.send": "Send",
    "message.sending": "Sending…",
    "message.sent": "Message sent.",
    "message.failed": "Sending failed.",
    "message.empty": "Write a message first.",
    "message.noRecipient": "Choose a recipient.",
    "message.offline": "No connection. Your message was not sent.",
    "message.choose": "Choose a recipient…",
    "message.teams": "Teams",
    "message.people": "People",
    "message.team": "Team {name}",
    "feed.heading": "Notifications",
    "feed.empty": "No notifications yet.",
    "feed.urgent": "Urgent",
    logout: "Sign out",
    "error.network": "Cannot reach the server.",
  },
};

const KEY = "veldwacht.lang";
const listeners = new Set();
let lang = "nl";
try {
  const saved = localStorage.getItem(KEY);
  if (saved && DICT[saved]) lang = saved;
} catch { /* storage unavailable */ }

export function getLang() {
  return lang;
}

export function t(key, vars = {}) {
  const s = DICT[lang][key] ?? DICT.nl[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : ""));
}

/** Translate every element carrying data-i18n="key" under root. */
export function applyTranslations(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
}

export function setLang(next) {
  if (!DICT[next] || next === lang) return;
  lang = next;
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
  applyTranslations();
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
}
