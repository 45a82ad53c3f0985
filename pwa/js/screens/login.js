// Login screen.
import { t } from "../i18n.js";
import { post } from "../api.js";

import { $ } from "../dom.js";
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
    await onSuccess(data.user);
  } catch (err) {
    // 401 wrong credentials, 429 locked out: the server's Dutch message is shown as is.
    const msg = err.isNetwork ? t("login.offline") : err.message || t("login.failed");
    setError(msg, err.fields || {});
    $("password").focus();
  } finally {
    btn.disabled = false;
    btn.textContent = t("login.submit");
  }
}

export function show(onLoggedIn, message = "") {
  onSuccess = onLoggedIn;
  if (!bound) {
    $("login-form").addEventListener("submit", submit);
    bound = true;
  }
  setError(message);
}
