// The signed-in user's questionnaire and the development matrix (GET /api/learning/instruments),
// kept in IndexedDB (js/store.js "kv", wiped at logout) so the form opens without a network.
import { get } from "../api.js";
import * as conn from "../connection.js";
import { kvGet, kvSet } from "../store.js";

const KEY = "instruments";

/** What the phone kept, or null. */
export const cachedInstruments = () => kvGet(KEY).catch(() => null);

/** The server's current versions, kept for the next time; null when they cannot be had now. */
export async function refreshInstruments() {
  try {
    const instruments = await get("/api/learning/instruments");
    conn.setReachable(true);
    await kvSet(KEY, instruments).catch(() => {});
    return instruments;
  } catch (err) {
    if (err.isNetwork) conn.setReachable(false);
    return null;
  }
}
