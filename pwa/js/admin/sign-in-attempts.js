// Repeated failed logins of the last 7 days, per account (and per name that is none): what
// the administrator looks at when someone may be guessing. The server decides what counts
// as repeated; nothing is locked by it (docs/api.md, Sessions).
import { t } from "../i18n.js";
import { get } from "../api.js";
import { $, el } from "../dom.js";
import { formatMoment } from "../incidents/gir-fields.js";

export class SignInAttempts {
  async load() {
    $("admin-attempts-card").hidden = false;
    $("admin-attempts-error").textContent = "";
    try {
      const { accounts } = await get("/api/admin/sign-in-attempts");
      $("admin-attempts-none").hidden = accounts.length > 0;
      $("admin-attempts").replaceChildren(...accounts.map((a) => el("li", {},
        el("strong", {}, a.username), " ",
        t(a.known ? "admin.attempts.known" : "admin.attempts.unknown", {
          failures: a.failures, addresses: a.addresses, last: formatMoment(a.last_at),
        }))));
    } catch (err) {
      if (err.status === 401) return;
      $("admin-attempts-error").textContent = err.isNetwork ? t("admin.error.offline") : err.message;
    }
  }

  stop() {
    $("admin-attempts-card").hidden = true;
    $("admin-attempts").replaceChildren();
  }
}
