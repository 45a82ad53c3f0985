// Login screen.
import { getLang, t } from "../i18n.js";
import { post } from "../api.js";

import { $ } from "../dom.js";
import { offerSso, SECOND_FACTOR } from "./sso.js";
let onSuccess = () => {};
let bound = false;

function setError(msg, fields = {}) {
  $("login-error").textContent = msg || "";
  for (const name of ["username", "password"]) {
    if (fields[name]) $(name).setAttribute("aria-invalid", "true");
    else $(name).removeAttribute("aria-invalid");
  }
}

async function submit(e) {
  e.preventDefault();
  const username = $("username").value.trim();
  const password = $("password").value;
  const remember = $("remember").checked;
  if (!username || !password) {
    setError(t("login.missing"), { username: !username, password: !password });
    $(!username ? "username" : "password").focus();
    return;
  }
  const btn = $("login-form").querySelector("button[type=submit]");
  btn.disabled = true;
  btn.textContent = t("login.busy");
  setError("");
  try {
    const data = await post("/api/auth/login", { username, password, remember }, { handle401: false });
    $("password").value = "";
    if (data.second_factor) askCode();
    else await onSuccess(data.user, data.failed_attempts);
  } catch (err) {
    // 401 wrong credentials, 429 an address that failed too often: the server's words.
    const msg = err.isNetwork ? t("login.offline") : err.message || t("login.failed");
    setError(msg, err.fields || {});
    $("password").focus();
  } finally {
    btn.disabled = false;
    btn.textContent = t("login.submit");
  }
}

/** The password was right and the server asks for the second step: a code from the app. */
function askCode() {
  $("login-form").hidden = true;
  $("second-factor-form").hidden = false;
  $("second-factor-error").textContent = "";
  $("second-factor-code").value = "";
  $("second-factor-code").focus();
}

async function submitCode(e) {
  e.preventDefault();
  const code = $("second-factor-code").value.trim();
  if (!code) { $("second-factor-error").textContent = t("login.code.missing"); return; }
  const btn = $("second-factor-form").querySelector("button[type=submit]");
  btn.disabled = true;
  try {
    const data = await post("/api/auth/second-factor",
      { code, remember_device: $("second-factor-remember").checked }, { handle401: false });
    passwordStep();
    await onSuccess(data.user, data.failed_attempts);
  } catch (err) {
    $("second-factor-error").textContent = err.isNetwork ? t("login.offline") : err.message || t("login.failed");
    if (err.status === 401) { passwordStep(); setError(err.message); }  // expired: the password again
    else $("second-factor-code").select();
  } finally {
    btn.disabled = false;
  }
}

function passwordStep() {
  $("second-factor-form").hidden = true;
  $("login-form").hidden = false;
}

export function show(onLoggedIn, message = "") {
  onSuccess = onLoggedIn;
  if (!bound) {
    $("login-form").addEventListener("submit", submit);
    $("second-factor-form").addEventListener("submit", submitCode);
    bound = true;
  }
  passwordStep();
  setError(message);
  if (offerSso() === SECOND_FACTOR) askCode();
}

/** On the home screen after a login: attempts that failed on this account since the last
 * one ("3 mislukte inlogpogingen sinds …"), until dismissed; `failed` null: none. */
export function showFailedAttempts(failed) {
  const notice = $("signin-notice");
  notice.hidden = !failed;
  if (!failed) return;
  const since = new Intl.DateTimeFormat(getLang() === "en" ? "en-GB" : "nl-NL", {
    day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam",
  }).format(new Date(failed.since));
  $("signin-notice-text").textContent = t(failed.count === 1 ? "signin.notice.one" : "signin.notice.many",
    { count: failed.count, since });
  $("signin-notice-dismiss").onclick = () => { notice.hidden = true; };
}
