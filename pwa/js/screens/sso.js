// Single sign-on on the login screen: the link to the municipality's identity provider
// ("Inloggen met je gemeente-account") when the server offers it (GET /api/auth/options), and
// what the way back said when nobody was signed in (/?sso=unknown), said once.
import { get } from "../api.js";
import { t } from "../i18n.js";
import { $ } from "../dom.js";

// The way back's reasons (app/api/sso.py) and their texts; "second_factor": the code is next.
const REASONS = {
  unknown: "login.sso.unknown",
  inactive: "login.sso.inactive",
  ambiguous: "login.sso.ambiguous",
  failed: "login.sso.failed",
  unreachable: "login.sso.unreachable",
};
export const SECOND_FACTOR = "second_factor";

class SsoOffer {
  constructor() {
    this.options = null; // the server's answer, once it has come
    this.bound = false;
  }

  /** Shows the link when single sign-on is on and says the way back's reason; returns that
   * reason, taken out of the address ("" when there was none). */
  offer() {
    const reason = takeReason();
    if (REASONS[reason]) $("login-error").textContent = t(REASONS[reason]);
    this.showLink();
    return reason;
  }

  async showLink() {
    const link = $("sso-login");
    if (!this.bound) {
      link.addEventListener("click", (e) => {
        e.preventDefault();  // "remember me" as ticked now, as the password login has it
        location.assign(`/api/auth/oidc/login?remember=${$("remember").checked}`);
      });
      this.bound = true;
    }
    try {
      this.options ??= await get("/api/auth/options", { handle401: false });
    } catch {
      return; // offline: the provider cannot be reached either; asked again next time
    }
    if (this.options.sso) link.textContent = this.options.label;
    link.hidden = !this.options.sso;
  }
}

/** The `sso` parameter of the address, which is then removed (a reload says nothing again). */
function takeReason() {
  const url = new URL(location.href);
  const reason = url.searchParams.get("sso");
  if (reason === null) return "";
  url.searchParams.delete("sso");
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  return reason;
}

const sso = new SsoOffer();

/** For the login screen's show(): `if (offerSso() === SECOND_FACTOR) askCode();` */
export const offerSso = () => sso.offer();
