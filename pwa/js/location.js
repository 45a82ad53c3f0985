// Location permission, said plainly where it matters (the alarm card, visit planning) and asked
// for once, with the reason on screen, when the worker first plans a visit or opens the alarm
// explanation: a prompt in the middle of an alarm costs time the worker does not have.
//
// Every element with data-location-state shows the state in words; every button with
// data-location-ask asks, and is shown only while asking can still change something.
import { t } from "./i18n.js";
import { kvGet, kvSet } from "./store.js";

const ASKED_KEY = "locationAsked";
const ASKABLE = new Set(["prompt", "unknown"]);

class LocationPermission {
  constructor() {
    this.state = "unknown"; // granted | denied | prompt | unsupported | unknown (no Permissions API)
    this.status = null;     // the PermissionStatus we listen to
    this.active = false;
  }

  async start() {
    this.active = true;
    if (!navigator.geolocation) this.state = "unsupported";
    else await this.query();
    this.render();
  }

  async query() {
    try {
      this.status = await navigator.permissions.query({ name: "geolocation" });
      this.state = this.status.state;
      this.status.onchange = () => {
        this.state = this.status.state;
        this.render();
      };
    } catch {
      this.status = null; // no Permissions API: what an ask answers is all we learn
    }
  }

  /** The browser's own question; the answer (or a refusal) updates what is shown. */
  ask() {
    if (!navigator.geolocation) return;
    const learn = (state) => {
      if (!this.status) this.state = state;
      this.render();
    };
    try {
      navigator.geolocation.getCurrentPosition(() => learn("granted"),
        (e) => learn(e?.code === 1 ? "denied" : this.state),
        { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 });
    } catch { /* a browser that throws here cannot give a position: nothing to ask */ }
  }

  /** Ask the first time only; later the button on the card asks again. */
  async askOnce() {
    if (!this.active || !ASKABLE.has(this.state)) return;
    if (await kvGet(ASKED_KEY).catch(() => false)) return;
    await kvSet(ASKED_KEY, true).catch(() => {});
    this.ask();
  }

  render() {
    if (!this.active) return;
    for (const node of document.querySelectorAll("[data-location-state]")) {
      node.dataset.state = this.state;
      node.textContent = t(`location.state.${this.state}`);
    }
    for (const button of document.querySelectorAll("[data-location-ask]")) {
      button.hidden = !ASKABLE.has(this.state);
    }
    for (const box of document.querySelectorAll("[data-location-box]")) {
      box.hidden = this.state === "granted";
    }
  }

  stop() {
    this.active = false;
    if (this.status) this.status.onchange = null;
    this.status = null;
  }
}

export const locationPermission = new LocationPermission();

let bound = false;
/** Once per page: the ask buttons, wherever they are. */
export function bindLocation() {
  if (bound) return;
  bound = true;
  document.addEventListener("click", (e) => {
    if (e.target.closest("[data-location-ask]")) locationPermission.ask();
  });
}
