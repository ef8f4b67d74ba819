/**
 * The Leaflet map: the offline basemap, optional online tiles, the quake markers, the legend and
 * one shared popup. It reports marker clicks through `onSelect`; it never decides what is shown.
 */
import * as L from 'leaflet';
import type { Extent } from '../../core/extent.ts';
import { WORLD_PX } from '../../core/map-view.ts';
import type { Quake } from '../../core/quake.ts';
import type { ColourBy } from '../../core/scale.ts';
import { magnitudeRadius } from '../../core/scale.ts';
import type { StoreChange } from '../../core/store.ts';
import type { Tiles } from '../../core/url-state.ts';
import type { I18n } from '../i18n/i18n.ts';
import { prefersReducedMotion } from '../ui/dom.ts';
import { type BasemapColours, BasemapLayer } from './basemap-layer.ts';
import { Legend } from './legend.ts';
import { popupContent } from './popup.ts';
import { pulse } from './pulse.ts';
import { type MarkerTheme, nearestCopy, QuakeLayer } from './quake-layer.ts';

export type MapTheme = BasemapColours & MarkerTheme & { readonly dark: boolean };

/** At most this many arrivals pulse at once; a larger batch (a feed switch) is not "news". */
const MAX_PULSES = 20;
const WORLD_CENTRE_LNG = 160;
/** Zoom a selected quake is shown at, unless the map is already closer. */
const DETAIL_ZOOM = 5;
/** The first view of a few nearby quakes still shows their surroundings. */
const MAX_FIT_ZOOM = 6;
/** Web Mercator's latitude limit: the map never shows the empty band beyond it. */
const MAX_LAT = 85.0511287798;
/** Room around the quakes in the first view, in pixels. */
const FIT_PADDING = L.point(24, 24);

/** `zoom` rounded down to the map's zoom steps (zoomSnap). */
function snap(zoom: number): number {
  return Math.floor(zoom * 4) / 4;
}

const TILE_LAYERS: Record<Exclude<Tiles, 'none'>, (dark: boolean) => [string, string]> = {
  carto: (dark) => [
    `https://{s}.basemaps.cartocdn.com/${dark ? 'dark_all' : 'light_all'}/{z}/{x}/{y}{r}.png`,
    '© OpenStreetMap contributors © CARTO',
  ],
  osm: () => ['https://tile.openstreetmap.org/{z}/{x}/{y}.png', '© OpenStreetMap contributors'],
};

/** OpenStreetMap refuses tile requests without a Referer, which pages opened from disk do not send. */
export function tilesAvailable(tiles: Tiles, protocol: string): boolean {
  return tiles !== 'osm' || protocol === 'http:' || protocol === 'https:';
}

export class QuakeMap {
  readonly map: L.Map;
  readonly layer: QuakeLayer;
  readonly #basemap: BasemapLayer;
  readonly #legend = new Legend(!matchMedia('(max-width: 760px)').matches);
  readonly #popup = L.popup({ maxWidth: 340, minWidth: 270, autoPanPadding: [24, 24] });
  #tiles: L.TileLayer | null = null;
  #tileChoice: Tiles = 'none';
  #theme: MapTheme;
  #colourBy: ColourBy;
  #i18n: I18n;
  #popupId: string | null = null;
  /** The map still shows the initial view (the user has not moved it). */
  #overview = true;
  /** What the initial view fits: the quakes of the first data, or the world before any. */
  #extent: Extent | null = null;
  #fitting = false;
  /** Called when the user clicks a marker. */
  onSelect: (id: string) => void = () => {};

  constructor(element: HTMLElement, i18n: I18n, colourBy: ColourBy, theme: MapTheme) {
    this.#i18n = i18n;
    this.#colourBy = colourBy;
    this.#theme = theme;
    this.map = L.map(element, {
      worldCopyJump: true,
      minZoom: 1,
      maxZoom: 12,
      zoomSnap: 0.25,
      // North and south stop at the world's edge; east and west repeat the world.
      maxBounds: L.latLngBounds([-MAX_LAT, -1e5], [MAX_LAT, 1e5]),
      maxBoundsViscosity: 1,
      zoomControl: true,
      attributionControl: true,
      fadeAnimation: !prefersReducedMotion(),
      zoomAnimation: !prefersReducedMotion(),
    });
    this.#basemap = new BasemapLayer(theme);
    this.#basemap.options.attribution = 'USGS · Natural Earth';
    this.#basemap.addTo(this.map);
    this.layer = new QuakeLayer(colourBy, theme);
    this.layer.renderer.addTo(this.map);
    this.#legend.addTo(this.map);
    this.#legend.update(i18n, colourBy);
    this.#fitView();
    // Leaflet only watches the window; the panels around the map can resize it too.
    new ResizeObserver(() => this.resized()).observe(element);
    this.map.on('dragstart', () => {
      this.#overview = false;
    });
    this.map.on('zoomstart', () => {
      if (!this.#fitting) this.#overview = false;
    });
    this.map.on('moveend', () => this.layer.wrapAround(this.map.getCenter().lng));
    this.layer.renderer.onClick = (id) => this.onSelect(id);
    this.map.on('popupclose', () => {
      this.#popupId = null;
    });
  }

  /** Fits the initial view to `extent` (the first data's quakes), unless the user moved the map. */
  fitQuakes(extent: Extent | null): void {
    this.#extent = extent;
    if (this.#overview) this.#fitView();
  }

  /** Takes a new size of the map's box into account (it may have been hidden). */
  resized(): void {
    this.map.invalidateSize({ pan: false });
    if (this.#overview) this.#fitView();
    else this.map.setMinZoom(this.#minZoom());
  }

  /**
   * The zooms below which the world no longer fills the map's height (bands beyond the poles
   * show) and no longer fills its width (one world shows, with room beside it).
   */
  #fillZooms(): { height: number; width: number } {
    const { x, y } = this.map.getSize();
    const zoom = (pixels: number) => Math.max(0, Math.ceil(Math.log2(pixels / WORLD_PX) * 4) / 4);
    return { height: y > 0 ? zoom(y) : 1, width: x > 0 ? zoom(x) : 1 };
  }

  /** Zooming out stops where the world fills the map's height, or its width on a tall map. */
  #minZoom(): number {
    const { height, width } = this.#fillZooms();
    return Math.min(height, width);
  }

  /**
   * The initial view: the quakes' extent as large as it fits, or, before any data, the world
   * centred on the Pacific (the Ring of Fire stays in one piece and the seam falls in the
   * Atlantic, where few quakes happen). On a wide map it never shows bands beyond the poles; a
   * tall map (a phone) shows the quakes' whole width instead.
   */
  #fitView(): void {
    const { height } = this.#fillZooms();
    const min = this.#minZoom();
    this.map.setMinZoom(min);
    const { x, y } = this.map.getSize();
    const lowest = x >= 0.9 * y ? height : min;
    const extent = this.#extent;
    let centre: L.LatLngExpression = [15, WORLD_CENTRE_LNG];
    let zoom: number;
    if (extent === null) {
      zoom = snap(Math.min(Math.log2((x || 1024) / WORLD_PX), Math.log2((y || 768) / 200)));
    } else {
      const bounds = L.latLngBounds([extent.south, extent.west], [extent.north, extent.east]);
      centre = bounds.getCenter();
      zoom = Math.min(snap(this.map.getBoundsZoom(bounds, false, FIT_PADDING)), MAX_FIT_ZOOM);
    }
    this.#fitting = true;
    this.map.setView(centre, Math.max(lowest, zoom), { animate: false });
    this.#fitting = false;
    this.#overview = true;
  }

  /** Shows a store change and paints it now. */
  apply(change: StoreChange, visible: (quake: Quake) => boolean, highlight: boolean): void {
    this.layer.apply(change, visible);
    if (highlight && change.added.length <= MAX_PULSES) {
      const reduced = prefersReducedMotion();
      for (const quake of change.added) {
        if (!visible(quake)) continue;
        const at = L.latLng(quake.lat, nearestCopy(quake.lon, this.map.getCenter().lng));
        pulse(
          this.map,
          this.layer.renderer,
          at,
          magnitudeRadius(quake.mag),
          this.#theme.selection,
          reduced,
        );
      }
    }
    this.layer.renderer.flush();
  }

  /** Shows exactly the quakes that pass `visible` and paints them now. */
  filter(visible: (quake: Quake) => boolean): void {
    this.layer.filter(visible);
    this.layer.renderer.flush();
  }

  /** Outlines a quake and opens its popup; `fly` also brings it into view. */
  show(quake: Quake, fly: boolean): void {
    this.layer.select(quake.id);
    this.#overview = false;
    const at = this.layer.latLngOf(quake.id) ?? L.latLng(quake.lat, quake.lon);
    if (fly) {
      const zoom = Math.max(this.map.getZoom(), DETAIL_ZOOM);
      if (prefersReducedMotion()) this.map.setView(at, zoom, { animate: false });
      else this.map.flyTo(at, zoom, { duration: 0.8 });
    }
    this.#popupId = quake.id;
    this.#popup
      .setLatLng(at)
      .setContent(popupContent(quake, this.#i18n, this.#colourBy))
      .openOn(this.map);
  }

  focus(): void {
    this.map.getContainer().focus({ preventScroll: true });
  }

  /** Keeps the open popup true to the data: new version, new language, or gone. */
  refreshPopup(lookup: (id: string) => Quake | undefined): void {
    if (this.#popupId === null) return;
    const quake = lookup(this.#popupId);
    if (quake === undefined) {
      this.map.closePopup(this.#popup);
      this.layer.select(null);
      return;
    }
    const at = this.layer.latLngOf(quake.id);
    if (at !== null) this.#popup.setLatLng(at);
    this.#popup.setContent(popupContent(quake, this.#i18n, this.#colourBy));
  }

  setLanguage(i18n: I18n): void {
    this.#i18n = i18n;
    this.#legend.update(i18n, this.#colourBy);
  }

  setColourBy(colourBy: ColourBy): void {
    this.#colourBy = colourBy;
    this.layer.setColouring(colourBy, this.#theme);
    this.#legend.update(this.#i18n, colourBy);
  }

  setTheme(theme: MapTheme): void {
    this.#theme = theme;
    this.#basemap.setColours(theme);
    this.layer.setColouring(this.#colourBy, theme);
    this.setTiles(this.#tileChoice);
  }

  setTiles(choice: Tiles): void {
    this.#tileChoice = choice;
    this.#tiles?.remove();
    this.#tiles = null;
    if (choice === 'none' || !tilesAvailable(choice, location.protocol)) return;
    const [url, attribution] = TILE_LAYERS[choice](this.#theme.dark);
    this.#tiles = L.tileLayer(url, { attribution, maxZoom: 19, subdomains: 'abcd' });
    // Above the offline basemap, which shows through wherever a tile fails to load.
    this.#tiles.addTo(this.map);
  }
}
