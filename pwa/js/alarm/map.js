// The responder's map: Leaflet (vendored, global L) with one marker and an accuracy circle.
// Tiles come from /api/settings; without tiles (offline, blocked) the marker still shows.
import { loadSettings } from "./common.js";

let map = null;
let marker = null;
let circle = null;
let tilesAdded = false;

function leaflet() {
  return typeof window.L === "object" ? window.L : null;
}

async function addTiles() {
  if (tilesAdded || !map) return;
  tilesAdded = true;
  const s = await loadSettings();
  if (!s?.tile_url || !map) return;
  window.L.tileLayer(s.tile_url, { maxZoom: 19, attribution: s.tile_attribution || "" }).addTo(map);
}

/** Show `pos` ({lat, lon, accuracy}) in the container; hides it when there is no position. */
export function showOnMap(container, pos) {
  const L = leaflet();
  const known = pos && typeof pos.lat === "number" && typeof pos.lon === "number";
  container.hidden = !known || !L;
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
