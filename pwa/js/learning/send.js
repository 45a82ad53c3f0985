// Sending one of Leren's forms: live only (a plan, a goal, an evaluation is never kept on the
// phone), its buttons off meanwhile, the server's refusal next to the fields it names.
import { t } from "../i18n.js";
import { api } from "../api.js";
import * as conn from "../connection.js";
import { clearErrors, showErrors } from "../incidents/followup-ui.js";

/** The server's answer to the form's request, or null (its message is on the form then). */
export async function sendForm(node, method, path, body) {
  const buttons = [...node.querySelectorAll("button")];
  clearErrors(node);
  for (const b of buttons) b.disabled = true;
  try {
    const answer = await api(method, path, body);
    conn.setReachable(true);
    return answer;
  } catch (err) {
    if (err.status === 401) return null;
    if (err.isNetwork) conn.setReachable(false);
    showErrors(node, err.isNetwork ? t("learning.offline.send") : err.message, err.fields);
    return null;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}
