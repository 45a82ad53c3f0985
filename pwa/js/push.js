// Web Push opt-in. The subscription is posted to the backend; the service
// worker shows the notifications.
import { get, post, del } from "./api.js";
import { kvSet } from "./store.js";

function base64UrlToBytes(b64) {
  const pad = "=".repeat((4 - (b64.length % 4)) % 4);
  const raw = atob((b64 + pad).replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/**
 * Current push support/state: "unsupported" | "ios-install" | "denied" | "on" | "off".
 */
export async function pushState() {
  if (!("serviceWorker" in navigator) || !("Notification" in window) || !("PushManager" in window)) {
    const ios = /iPad|iPhone|iPod/.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    return ios ? "ios-install" : "unsupported";
  }
  if (Notification.permission === "denied") return "denied";
  try {
    const reg = await navigator.serviceWorker.getRegistration("/");
    const sub = reg && (await reg.pushManager.getSubscription());
    return sub && Notification.permission === "granted" ? "on" : "off";
  } catch {
    return "off";
  }
}

/** Ask permission, subscribe and register the subscription. Returns the new state. */
export async function enablePush() {
  const st = await pushState();
  if (st === "unsupported" || st === "ios-install" || st === "denied") return st;
  const perm = await Notification.requestPermission();
  if (perm !== "granted") return perm === "denied" ? "denied" : "off";

  const reg = await navigator.serviceWorker.ready;
  const { public_key: key } = await get("/api/push/key");
  const applicationServerKey = base64UrlToBytes(key);
  // The service worker re-subscribes with this key on pushsubscriptionchange.
  await kvSet("applicationServerKey", key).catch(() => {});

  let sub = await reg.pushManager.getSubscription();
  if (sub) {
    const current = sub.options?.applicationServerKey;
    const same = current && new Uint8Array(current).every((b, i) => b === applicationServerKey[i]);
    if (!same) {
      await sub.unsubscribe().catch(() => {});
      sub = null;
    }
  }
  if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  await post("/api/push/subscriptions", sub.toJSON());
  return "on";
}

/** Best effort on logout: tell the server to forget this device's subscription. */
export async function disablePush() {
  try {
    const reg = await navigator.serviceWorker?.getRegistration("/");
    const sub = reg && (await reg.pushManager.getSubscription());
    if (!sub) return;
    await del("/api/push/subscriptions", { endpoint: sub.endpoint }).catch(() => {});
    await sub.unsubscribe().catch(() => {});
  } catch { /* ignore */ }
}
