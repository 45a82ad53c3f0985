// The responder's map: Leaflet (vendored, global L) with one marker and an accuracy circle.
// Leaflet (150 KB) loads the first time a map is shown, never for a phone that shows none; the
// service worker keeps it for offline use after that. Tiles come from /api/settings. Without tiles (offline, blocked, none configured) the marker
// still shows, and tilesFailed() says so: the alert then tells responders to go by the place
// above the map instead of a grey square.
import { loadSettings } from "./common.js";

let map = null;
let marker = null;
let circle = null;
let tilesAdded = false;
let failed = false;      // tiles failed and none has loaded in the current view
let onTiles = () => {};  // called when `failed` changes
let loading = null;     // Leaflet on its way
let wanted = null;      // [container, pos] to show once it is there

function leaflet() {
  return typeof window.L === "object" ? window.L : null;
}

/** Leaflet's script and style, next to this shell's files (the same versioned prefix). */
function loadLeaflet() {
  if (loading) return;
  const base = new URL("../../vendor/leaflet/", import.meta.url);
  const style = Object.assign(document.createElement("link"), { rel: "stylesheet", href: `${base}leaflet.css` });
  const script = Object.assign(document.createElement("script"), { src: `${base}leaflet.js` });
  loading = new Promise((resolve) => {
    script.onload = resolve;
    script.onerror = () => { loading = null; resolve(); };  // offline: tried again by the next map
  }).then(() => {
    onTiles();
    if (wanted && leaflet()) showOnMap(...wanted);
  });
  document.head.append(style, script);
}

function setFailed(value) {
  if (value === failed) return;
  failed = value;
  onTiles();
}

async function addTiles() {
  if (tilesAdded || !map) return;
  tilesAdded = true;
  const s = await loadSettings();
  if (!s?.tile_url || !map) { setFailed(true); return; }
  let loaded = 0;
  const layer = window.L.tileLayer(s.tile_url, { maxZoom: 19, attribution: s.tile_attribution || "" });
  layer.on("loading", () => { loaded = 0; });
  layer.on("tileload", () => { loaded += 1; setFailed(false); });
  layer.on("tileerror", () => { if (!loaded) setFailed(true); });
  layer.addTo(map);
}

/** fn() whenever the tiles start or stop failing. */
export function onTileState(fn) {
  onTiles = fn;
}

/** True when the map has no tiles to show (its marker stands on grey). */
export const tilesFailed = () => failed || (!leaflet() && !loading);

/** Show `pos` ({lat, lon, accuracy}) in the container; hides it when there is no position. */
export function showOnMap(container, pos) {
  const L = leaflet();
  const known = pos && typeof pos.lat === "number" && typeof pos.lon === "number";
  container.hidden = !known || !L;
  if (known && !L) { wanted = [container, pos]; loadLeaflet(); }
  if (!known || !L) return;
  const at = [pos.lat, pos.lon];
  if (!map) {
    map = L.map(container, { zoomControl: true, keyboard: false, attributionControl: true })
      .setView(at, 16);
    addTiles();
  }
  map.invalidateSize(); // the container may just have become visible
  if (!marker) marker = L.marker(at, { keyboard: false }).addTo(map);
  else marker.setLatLng(at);
  const radius = Math.max(0, Number(pos.accuracy) || 0);
  if (!circle) circle = L.circle(at, { radius, weight: 2, color: "#b3141d", fillOpacity: 0.1 }).addTo(map);
  else circle.setLatLng(at).setRadius(radius);
  map.setView(at, map.getZoom() || 16);
}

/** Re-measure after the overlay was shown. */
export function refreshMap() {
  if (map) map.invalidateSize();
}
