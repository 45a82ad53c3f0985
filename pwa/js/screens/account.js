// My account: a new password, new alarm PINs. Also the first login's forced change: a password
// someone else chose (the first administrator's one-time password) is changed before the app
// opens. What a password or PIN must be is the server's rule; its refusal is shown as said.
import { t } from "../i18n.js";
import { post, put } from "../api.js";
import { $ } from "../dom.js";
import { paths } from "../routes.js";

let nav = { up: () => {} };
let forced = null;  // {step, onChanged, onLogout}: what a login must do before the app opens
let bound = false;

const PASSWORD_FIELDS = { password: "password-current", new_password: "password-new" };
const PIN_FIELDS = { pin: "pins-pin", duress_pin: "pins-duress", password: "pins-password" };

function showErrors(fields, errors, message = "") {
  for (const [name, id] of Object.entries(fields)) {
    const text = errors[name] || "";
    $(`${id}-error`).textContent = text;
    if (text) $(id).setAttribute("aria-invalid", "true");
    else $(id).removeAttribute("aria-invalid");
  }
  const first = Object.entries(fields).find(([name]) => errors[name]);
  if (first) $(first[1]).focus();
  return message;
}

/** Send `body`; the status line says what the server said, never success before it did. */
async function send(form, path, body, fields, statusId, done) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  $(statusId).textContent = t("account.saving");
  try {
    await put(path, body, { handle401: true });
    showErrors(fields, {});
    form.reset();
    $(statusId).textContent = done;
    return true;
  } catch (err) {
    const message = err.isNetwork ? t("account.offline") : err.message || t("account.failed");
    $(statusId).textContent = showErrors(fields, err.fields || {}, message);
    return false;
  } finally {
    button.disabled = false;
  }
}

async function submitPassword(e) {
  e.preventDefault();
  const body = { password: $("password-current").value, new_password: $("password-new").value };
  const missing = Object.fromEntries(Object.entries(body).filter(([, v]) => !v).map(([k]) => [k, t("account.required")]));
  if (Object.keys(missing).length) { $("password-status").textContent = showErrors(PASSWORD_FIELDS, missing, t("account.missing")); return; }
  const changed = await send($("password-form"), "/api/me/password", body, PASSWORD_FIELDS, "password-status", t("account.password.done"));
  if (changed && forced) await forcedStepDone();
}

/** The forced step is done: the app opens (as after any login). */
async function forcedStepDone() {
  const { onChanged } = forced;
  forced = null;
  await onChanged();
}

/* ---------- the second factor ---------- */
async function startSecondFactor() {
  $("mfa-start").disabled = true;
  $("mfa-state").textContent = t("account.saving");
  try {
    const setup = await post("/api/me/second-factor", {});
    $("mfa-qr").src = `data:image/svg+xml;base64,${btoa(setup.qr_svg)}`;
    $("mfa-qr").alt = t("account.mfa.qr", { secret: setup.secret });
    $("mfa-secret").textContent = setup.secret;
    $("mfa-state").textContent = "";
    $("mfa-start").hidden = true;
    $("mfa-form").hidden = false;
    $("mfa-code").focus();
  } catch (err) {
    $("mfa-state").textContent = err.isNetwork ? t("account.offline") : err.message || t("account.failed");
  } finally {
    $("mfa-start").disabled = false;
  }
}

async function confirmSecondFactor(e) {
  e.preventDefault();
  const code = $("mfa-code").value.trim();
  const fields = { code: "mfa-code" };
  if (!/^\d{6}$/.test(code)) { showErrors(fields, { code: t("account.mfa.six") }); return; }
  try {
    const { recovery_codes: codes } = await post("/api/me/second-factor/confirm", { code });
    showErrors(fields, {});
    $("mfa-form").hidden = true;
    $("mfa-code-list").replaceChildren(...codes.map((c) => Object.assign(document.createElement("li"), { textContent: c })));
    $("mfa-codes").hidden = false;
    $("mfa-state").textContent = t("account.mfa.on");
    $("mfa-codes-kept").focus();
  } catch (err) {
    showErrors(fields, err.fields || {});
    $("mfa-state").textContent = err.isNetwork ? t("account.offline") : err.message || t("account.failed");
  }
}

async function codesKept() {
  $("mfa-codes").hidden = true;
  $("mfa-code-list").replaceChildren();  // shown once: not left in the page
  if (forced?.step === "second_factor") await forcedStepDone();
}

async function submitPins(e) {
  e.preventDefault();
  const body = { pin: $("pins-pin").value, duress_pin: $("pins-duress").value, password: $("pins-password").value };
  const missing = Object.fromEntries(Object.entries(body).filter(([, v]) => !v).map(([k]) => [k, t("account.required")]));
  if (Object.keys(missing).length) { $("pins-status").textContent = showErrors(PIN_FIELDS, missing, t("account.missing")); return; }
  await send($("pins-form"), "/api/me/pins", body, PIN_FIELDS, "pins-status", t("account.pins.done"));
}

function bind() {
  if (bound) return;
  bound = true;
  $("account-back").addEventListener("click", () => nav.up(paths.home()));
  $("password-form").addEventListener("submit", submitPassword);
  $("pins-form").addEventListener("submit", submitPins);
  $("password-show").addEventListener("change", (e) => {
    for (const id of ["password-current", "password-new"]) $(id).type = e.target.checked ? "text" : "password";
  });
  $("account-logout").addEventListener("click", () => forced?.onLogout());
  $("mfa-start").addEventListener("click", startSecondFactor);
  $("mfa-form").addEventListener("submit", confirmSecondFactor);
  $("mfa-codes-kept").addEventListener("click", codesKept);
}

function draw(me) {
  const step = forced?.step;
  $("account-forced").hidden = !step;
  $("account-forced").textContent = step ? t(`account.forced.${step}`) : "";
  $("account-back").hidden = Boolean(step);
  $("account-logout").hidden = !step;
  $("privacy-open").hidden = Boolean(step);
  $("password-form").hidden = step === "second_factor";
  $("pins-form").hidden = Boolean(step);
  const factor = me?.second_factor || {};
  $("mfa-section").hidden = step === "password" || !(factor.on || factor.required || step);
  $("mfa-state").textContent = factor.on ? t("account.mfa.on") : t("account.mfa.off");
  $("mfa-start").hidden = Boolean(factor.on);
  $("mfa-form").hidden = true;
  $("password-form").querySelector("input[name=username]").value = me?.username || "";
  for (const id of ["password-status", "pins-status"]) $(id).textContent = "";
}

function configure(me, navigation) {
  nav = navigation;
  bind();
  draw(me);
}

/** What a login must do before the app opens — `step` "password" (a password someone else
 * chose) or "second_factor" (to be set up): only that, until it is done. `show` puts the
 * screen on view, then its first control takes the focus. */
export function force(me, { step, onChanged, onLogout, show }) {
  forced = { step, onChanged, onLogout };
  bind();
  draw(me);
  show();
  $(step === "password" ? "password-current" : "mfa-start").focus();
}

function stop() {
  forced = null;
  for (const id of ["password-form", "pins-form"]) $(id).reset();
  showErrors(PASSWORD_FIELDS, {});
  showErrors(PIN_FIELDS, {});
}

export const screen = { configure, enter: () => true, leave: () => {}, refreshTexts: () => {}, stop };
