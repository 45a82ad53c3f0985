// The app's URLs: one Dutch path per screen, built and read here only. The server serves
// index.html for each of them (app/pwa.py) and links to them from push messages.

// A report's follow-up part in the path ("/gir/17/politie") and the server's key for it.
const PARTS = { szw: "szw", reaction: "reactie", police: "politie", aftercare: "nazorg",
  analysis: "analyse", letters: "brieven" };
const PART_OF_SLUG = Object.fromEntries(Object.entries(PARTS).map(([key, slug]) => [slug, key]));

/** `path` with the non-empty values of `params` as its query ("/gir?from=2026-10-01"). */
function withQuery(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== "") query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export const paths = {
  home: () => "/",
  visit: (id = null) => (id === null ? "/bezoek" : `/bezoek/${id}`),
  checklist: () => "/bezoek/checklist",
  incident: (alarmId = null) => (alarmId === null ? "/melden" : `/melden?alarm=${alarmId}`),
  gir: (id = null, part = null) => (id === null ? "/gir" : `/gir/${id}${part ? `/${PARTS[part] || part}` : ""}`),
  /** The register's list with filters in its query (a report's figure drills down to it). */
  girList: (filters = {}) => withQuery("/gir", filters),
  register: () => "/register",
  checklists: () => "/checklists",
  admin: () => "/beheer",
  todo: () => "/te-doen",
  team: () => "/team",
  account: () => "/account",
  privacy: () => "/privacy",
  audit: () => "/inzagelog",
  /** Reports: the period and filters asked for are the query ("?preset=last_quarter&team=3"). */
  reports: (query = {}) => withQuery("/rapportages", query),
  alarm: (id) => `/alarm/${id}`,
  /** Leren: my questionnaire and profile; a team's picture and plan; the organisation's. */
  learning: () => "/leren",
  learningTeam: (id) => `/leren/team/${id}`,
  learningOrganisation: () => "/leren/organisatie",
};

const id = (text) => (/^\d+$/.test(text || "") ? Number(text) : null);

/** {screen, params} for a path and query ("/gir/17/politie"), or null for no screen of ours. */
export function parse(pathname, search = "") {
  const [first = "", second, third, extra] = pathname.split("/").filter(Boolean);
  if (extra !== undefined) return null;
  const query = new URLSearchParams(search);
  switch (first) {
    case "":
      return { screen: "home", params: {} };
    case "bezoek":
      if (third !== undefined) return null;
      if (second === "checklist") return { screen: "visit", params: { step: "checklist" } };
      if (second === undefined) return { screen: "visit", params: { step: "plan" } };
      return id(second) === null ? null : { screen: "visit", params: { id: id(second) } };
    case "melden":
      return second === undefined ? { screen: "incident", params: { alarm: id(query.get("alarm")) } } : null;
    case "gir":
      if (second === undefined) return { screen: "gir", params: { query: Object.fromEntries(query) } };
      if (id(second) === null) return null;
      return { screen: "gir", params: { id: id(second), part: third === undefined ? null : PART_OF_SLUG[third] || third } };
    case "rapportages":
      return second === undefined ? { screen: "reports", params: { query: Object.fromEntries(query) } } : null;
    case "leren":
      if (second === undefined) return { screen: "learning", params: { view: "me" } };
      if (second === "organisatie" && third === undefined) return { screen: "learning", params: { view: "organisation" } };
      return second === "team" && id(third) !== null ? { screen: "learning", params: { view: "team", id: id(third) } } : null;
    case "alarm":
      return id(second) === null || third !== undefined ? null : { screen: "home", params: { alarm: id(second) } };
    default: {
      const screen = { register: "register", checklists: "checklists", "te-doen": "todo", team: "team",
        account: "account", privacy: "privacy", beheer: "admin", inzagelog: "audit" }[first];
      return screen && second === undefined ? { screen, params: {} } : null;
    }
  }
}

/** The path an old hash link stands for ("#gir/17/police", "#incident?alarm=7"), or null. */
export function fromHash(hash) {
  const gir = /^#gir\/(\d+)(?:\/([a-z]+))?$/.exec(hash);
  if (gir) return paths.gir(Number(gir[1]), gir[2] || null);
  const incident = /^#incident(?:\?alarm=(\d+))?$/.exec(hash);
  if (incident) return paths.incident(incident[1] ? Number(incident[1]) : null);
  return null;
}
