/**
 * One canvas circle marker per quake, kept by id and changed in place: a poll that revises one
 * quake touches one marker, and an unchanged poll touches none. All markers share one canvas
 * renderer, so 20,000 quakes are one <canvas>, not 20,000 DOM nodes.
 */
import * as L from 'leaflet';
import type { Quake } from '../../core/quake.ts';
import { type ColourBy, depthColour, magnitudeColour, magnitudeRadius } from '../../core/scale.ts';
import type { StoreChange } from '../../core/store.ts';

interface Entry {
  quake: Quake;
  readonly marker: QuakeMarker;
  shown: boolean;
}

/** A circle marker that knows its quake (cheaper than a lookup table for 20,000 markers). */
type QuakeMarker = L.CircleMarker & { quakeId?: string };

/** Canvas cannot read CSS variables, so the theme's colours are passed in. */
export interface MarkerTheme {
  readonly outline: string;
  readonly selection: string;
}

export interface MarkerCounts {
  /** Markers on the map now (the quakes that pass the filters). */
  readonly shown: number;
  /** Markers ever created and removed (an unchanged poll changes neither). */
  readonly created: number;
  readonly removed: number;
}

/** The longitude copy of `lon` nearest to `centre`, so quakes near 180° sit beside each other. */
export function nearestCopy(lon: number, centre: number): number {
  return lon + 360 * Math.round((centre - lon) / 360);
}

export class QuakeLayer {
  readonly group = L.featureGroup();
  readonly renderer = L.canvas({ padding: 0.5 });
  readonly #entries = new Map<string, Entry>();
  /** Marker options by fill colour and selection, shared by all markers that look alike. */
  readonly #styles = new Map<string, L.CircleMarkerOptions>();
  #colourBy: ColourBy;
  #theme: MarkerTheme;
  #centre = 0;
  #selected: string | null = null;
  #shown = 0;
  #created = 0;
  #removed = 0;

  constructor(colourBy: ColourBy, theme: MarkerTheme) {
    this.#colourBy = colourBy;
    this.#theme = theme;
  }

  get counts(): MarkerCounts {
    return { shown: this.#shown, created: this.#created, removed: this.#removed };
  }

  /** The quake behind a marker (for click handlers). */
  idOf(layer: L.Layer): string | undefined {
    return (layer as QuakeMarker).quakeId;
  }

  latLngOf(id: string): L.LatLng | null {
    return this.#entries.get(id)?.marker.getLatLng() ?? null;
  }

  /** Applies a store change; `visible` says which quakes pass the filters. */
  apply(change: StoreChange, visible: (quake: Quake) => boolean): void {
    for (const quake of change.removed) {
      const entry = this.#entries.get(quake.id);
      if (entry === undefined) continue;
      if (entry.shown) this.#hide(entry);
      this.#entries.delete(quake.id);
      this.#removed++;
    }
    for (const quake of change.revised) {
      const entry = this.#entries.get(quake.id);
      if (entry === undefined) continue;
      const before = entry.quake;
      entry.quake = quake;
      if (before.lat !== quake.lat || before.lon !== quake.lon) {
        entry.marker.setLatLng([quake.lat, nearestCopy(quake.lon, this.#centre)]);
      }
      if (before.mag !== quake.mag) entry.marker.setRadius(magnitudeRadius(quake.mag));
      if (before.mag !== quake.mag || before.depth !== quake.depth) this.#restyle(entry);
    }
    // Smaller first, so the strongest quakes of a batch are drawn on top.
    const added = [...change.added].sort((a, b) => (a.mag ?? -9) - (b.mag ?? -9));
    for (const quake of added) {
      const marker: QuakeMarker = L.circleMarker(
        [quake.lat, nearestCopy(quake.lon, this.#centre)],
        this.#style(quake, false),
      ).setRadius(magnitudeRadius(quake.mag));
      marker.quakeId = quake.id;
      this.#entries.set(quake.id, { quake, marker, shown: false });
      this.#created++;
    }
    this.filter(visible);
  }

  /** Shows exactly the markers whose quake passes `visible`; only markers that change are touched. */
  filter(visible: (quake: Quake) => boolean): void {
    for (const entry of this.#entries.values()) {
      const want = visible(entry.quake);
      if (want === entry.shown) continue;
      if (want) {
        this.group.addLayer(entry.marker);
        entry.shown = true;
        this.#shown++;
      } else {
        this.#hide(entry);
      }
    }
  }

  /** Moves markers to the longitude copy nearest the view's centre (after a pan across 180°). */
  wrapAround(centre: number): void {
    this.#centre = centre;
    for (const entry of this.#entries.values()) {
      const lng = nearestCopy(entry.quake.lon, centre);
      if (entry.marker.getLatLng().lng !== lng) entry.marker.setLatLng([entry.quake.lat, lng]);
    }
  }

  setColouring(colourBy: ColourBy, theme: MarkerTheme): void {
    this.#colourBy = colourBy;
    this.#theme = theme;
    this.#styles.clear();
    for (const entry of this.#entries.values()) this.#restyle(entry);
  }

  /** Outlines the selected quake's marker and draws it above the others. */
  select(id: string | null): void {
    const previous = this.#selected === null ? undefined : this.#entries.get(this.#selected);
    this.#selected = id;
    if (previous !== undefined) this.#restyle(previous);
    const entry = id === null ? undefined : this.#entries.get(id);
    if (entry === undefined) return;
    this.#restyle(entry);
    if (entry.shown) entry.marker.bringToFront();
  }

  #hide(entry: Entry): void {
    this.group.removeLayer(entry.marker);
    entry.shown = false;
    this.#shown--;
  }

  #restyle(entry: Entry): void {
    entry.marker.setStyle(this.#style(entry.quake, entry.quake.id === this.#selected));
  }

  #style(quake: Quake, selected: boolean): L.CircleMarkerOptions {
    const fill = this.#colourBy === 'depth' ? depthColour(quake.depth) : magnitudeColour(quake.mag);
    const key = selected ? `${fill}!` : fill;
    let style = this.#styles.get(key);
    if (style === undefined) {
      style = {
        renderer: this.renderer,
        fillColor: fill,
        fillOpacity: 0.82,
        color: selected ? this.#theme.selection : this.#theme.outline,
        weight: selected ? 3 : 0.8,
        opacity: selected ? 1 : 0.75,
      };
      this.#styles.set(key, style);
    }
    return style;
  }
}
