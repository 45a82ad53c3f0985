// The responder's map: Leaflet (vendored, global L) with one marker and an accuracy circle.
// Leaflet (150 KB) loads the first time a map is shown, never for a phone that shows none; the
// service worker keeps it for offline use after that. Tiles come from /api/settings. Without tiles (offline, blocked, none configured) the marker
// still shows, and tilesFailed() says so: the alert then tells responders to go by the place
// above the map instead of a grey square.
import { loadSettings } from "./common.js";

function leaflet() {
  return typeof window.L === "object" ? window.L : null;
}

/** The one map of the alert overlay (a singleton, as the page has one #alarm-map). */
class AlarmMap {
  constructor() {
    this.map = null;
    this.marker = null;
    this.circle = null;
    this.tilesAdded = false;
    this.failed = false;        // tiles failed and none has loaded in the current view
    this.onTiles = () => {};    // called when `failed` changes
    this.loading = null;        // Leaflet on its way
    this.wanted = null;         // [container, pos] to show once it is there
  }

  /** Leaflet's script and style, next to this shell's files (the same versioned prefix). */
  loadLeaflet() {
    if (this.loading) return;
    const base = new URL("../../vendor/leaflet/", import.meta.url);
    const style = Object.assign(document.createElement("link"), { rel: "stylesheet", href: `${base}leaflet.css` });
    const script = Object.assign(document.createElement("script"), { src: `${base}leaflet.js` });
    this.loading = new Promise((resolve) => {
      script.onload = resolve;
      script.onerror = () => { this.loading = null; resolve(); };  // offline: tried again by the next map
    }).then(() => {
      this.onTiles();
      if (this.wanted && leaflet()) this.show(...this.wanted);
    });
    document.head.append(style, script);
  }

  setFailed(value) {
    if (value === this.failed) return;
    this.failed = value;
    this.onTiles();
  }

  async addTiles() {
    if (this.tilesAdded || !this.map) return;
    this.tilesAdded = true;
    const s = await loadSettings();
    if (!s?.tile_url || !this.map) { this.setFailed(true); return; }
    let loaded = 0;
    const layer = window.L.tileLayer(s.tile_url, { maxZoom: 19, attribution: s.tile_attribution || "" });
    layer.on("loading", () => { loaded = 0; });
    layer.on("tileload", () => { loaded += 1; this.setFailed(false); });
    layer.on("tileerror", () => { if (!loaded) this.setFailed(true); });
    layer.addTo(this.map);
  }

  /** True when the map has no tiles to show (its marker stands on grey). */
  get tilesFailed() { return this.failed || (!leaflet() && !this.loading); }

  /** Show `pos` ({lat, lon, accuracy}) in the container; hides it when there is no position. */
  show(container, pos) {
    const L = leaflet();
    const known = pos && typeof pos.lat === "number" && typeof pos.lon === "number";
    container.hidden = !known || !L;
    if (known && !L) { this.wanted = [container, pos]; this.loadLeaflet(); }
    if (!known || !L) return;
    const at = [pos.lat, pos.lon];
    if (!this.map) {
      this.map = L.map(container, { zoomControl: true, keyboard: false, attributionControl: true })
        .setView(at, 16);
      this.addTiles();
    }
    this.map.invalidateSize(); // the container may just have become visible
    this.place(L, at, Math.max(0, Number(pos.accuracy) || 0));
    this.map.setView(at, this.map.getZoom() || 16);
  }

  /** The marker and the accuracy circle at `at`. */
  place(L, at, radius) {
    if (!this.marker) this.marker = L.marker(at, { keyboard: false }).addTo(this.map);
    else this.marker.setLatLng(at);
    if (!this.circle) this.circle = L.circle(at, { radius, weight: 2, color: "#b3141d", fillOpacity: 0.1 }).addTo(this.map);
    else this.circle.setLatLng(at).setRadius(radius);
  }
}

const alarmMap = new AlarmMap();

/** fn() whenever the tiles start or stop failing. */
export function onTileState(fn) {
  alarmMap.onTiles = fn;
}

/** True when the map has no tiles to show (its marker stands on grey). */
export const tilesFailed = () => alarmMap.tilesFailed;

/** Show `pos` ({lat, lon, accuracy}) in the container; hides it when there is no position. */
export const showOnMap = (container, pos) => alarmMap.show(container, pos);

/** Re-measure after the overlay was shown. */
export function refreshMap() {
  alarmMap.map?.invalidateSize();
}
