// Web Push on the alarm card: whether alarms reach this phone while the app is closed, and how
// to make them: the button while the browser can still ask, the browser's settings once it was
// refused, the home screen first on an iPhone. A failed subscription says what to do next.
import { t } from "../i18n.js";
import { post, ApiError } from "../api.js";
import { pushState, enablePush } from "../push.js";
import { $ } from "../dom.js";

const HOW = { "ios-install": "notify.ios", unsupported: "notify.unsupported", denied: "notify.denied",
  on: "notify.on", off: "notify.off" };

export async function renderNotify(state) {
  state = state || (await pushState());
  const msg = $("notify-state");
  msg.dataset.state = state;
  msg.textContent = t(HOW[state] || HOW.off);
  $("notify-warning").hidden = state === "on";
  $("notify-optin").hidden = state !== "off";
  $("notify-test").hidden = state !== "on";
}

/** What went wrong, and what to do about it. */
function failureText(err) {
  if (!(err instanceof ApiError)) return t("notify.failed"); // the browser's push service refused
  return err.isNetwork ? t("notify.failed.offline") : `${err.message} ${t("notify.failed.retry")}`;
}

async function optIn() {
  const btn = $("notify-optin");
  btn.disabled = true;
  $("notify-state").textContent = t("notify.busy");
  try {
    await renderNotify(await enablePush());
  } catch (err) {
    if (err?.status === 401) return;
    $("notify-state").textContent = failureText(err);
  } finally {
    btn.disabled = false;
  }
}

// Sends an urgent test push to all my devices: it travels exactly like an alarm, so a
// phone that cannot receive alarms is found before it matters.
async function sendTestPush() {
  const msg = $("notify-state");
  try {
    await post("/api/push/test", {});
    msg.textContent = t("notify.test.sent");
  } catch (err) {
    if (err?.status === 401) return;
    msg.textContent = err instanceof ApiError && !err.isNetwork ? err.message : t("notify.failed.offline");
  }
}

export function bindNotify() {
  $("notify-optin").addEventListener("click", optIn);
  $("notify-test").addEventListener("click", sendTestPush);
}
