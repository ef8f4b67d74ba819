/**
 * One dot per quake on the shared quake canvas, kept by id and changed in place: a poll that
 * revises one quake touches one dot, and an unchanged poll touches none. All dots are drawn on one
 * canvas (QuakeCanvas), so 20,000 quakes are one <canvas>, not 20,000 DOM nodes, and the dots of
 * an update join or leave it together.
 */
import type * as L from 'leaflet';
import { DEFAULT_ALERT_THRESHOLD } from '../../core/alert.ts';
import type { Quake } from '../../core/quake.ts';
import { type ColourBy, depthColour, magnitudeColour, magnitudeRadius } from '../../core/scale.ts';
import type { StoreChange } from '../../core/store.ts';
import { type Dot, type DotLook, QuakeCanvas } from './quake-canvas.ts';

interface Entry {
  quake: Quake;
  readonly dot: Dot;
  shown: boolean;
}

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
  /** Add it to the map before applying changes. */
  readonly renderer = new QuakeCanvas({ padding: 0.1 });
  readonly #entries = new Map<string, Entry>();
  /** Looks by fill colour and selection, shared by all dots that look alike. */
  readonly #looks = new Map<string, DotLook>();
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
    // Quakes that would alert by default stay visible on their own at every zoom.
    this.renderer.clusterBelowRadius = magnitudeRadius(DEFAULT_ALERT_THRESHOLD);
  }

  get counts(): MarkerCounts {
    return { shown: this.#shown, created: this.#created, removed: this.#removed };
  }

  /** Where a quake's dot is drawn (the longitude copy nearest the view), or null. */
  latLngOf(id: string): L.LatLngTuple | null {
    const dot = this.#entries.get(id)?.dot;
    return dot === undefined ? null : [dot.lat, dot.lng];
  }

  /** Applies a store change; `visible` says which quakes pass the filters. */
  apply(change: StoreChange, visible: (quake: Quake) => boolean): void {
    const gone: Dot[] = [];
    for (const quake of change.removed) {
      const entry = this.#entries.get(quake.id);
      if (entry === undefined) continue;
      if (entry.shown) gone.push(entry.dot);
      this.#entries.delete(quake.id);
      this.#removed++;
    }
    this.#shown -= gone.length;
    this.renderer.hide(gone);
    for (const quake of change.revised) {
      const entry = this.#entries.get(quake.id);
      if (entry === undefined) continue;
      const before = entry.quake;
      entry.quake = quake;
      if (
        before.lat !== quake.lat ||
        before.lon !== quake.lon ||
        before.mag !== quake.mag ||
        before.depth !== quake.depth
      ) {
        this.renderer.update(entry.dot, {
          lat: quake.lat,
          lng: nearestCopy(quake.lon, this.#centre),
          radius: magnitudeRadius(quake.mag),
          look: this.#look(quake, quake.id === this.#selected),
        });
      }
    }
    // The canvas orders dots by size (small above large), whatever the order they come in.
    for (const quake of change.added) {
      const dot = this.renderer.dot(
        quake.id,
        quake.lat,
        nearestCopy(quake.lon, this.#centre),
        magnitudeRadius(quake.mag),
        this.#look(quake, false),
      );
      this.#entries.set(quake.id, { quake, dot, shown: false });
      this.#created++;
    }
    this.filter(visible);
  }

  /** Shows exactly the dots whose quake passes `visible`; only dots that change are touched. */
  filter(visible: (quake: Quake) => boolean): void {
    const show: Dot[] = [];
    const hide: Dot[] = [];
    for (const entry of this.#entries.values()) {
      const want = visible(entry.quake);
      if (want === entry.shown) continue;
      entry.shown = want;
      (want ? show : hide).push(entry.dot);
    }
    this.#shown += show.length - hide.length;
    this.renderer.hide(hide);
    this.renderer.show(show);
  }

  /** Moves dots to the longitude copy nearest the view's centre (after a pan across 180°). */
  wrapAround(centre: number): void {
    this.#centre = centre;
    for (const entry of this.#entries.values()) {
      const lng = nearestCopy(entry.quake.lon, centre);
      if (entry.dot.lng !== lng) this.renderer.update(entry.dot, { lng });
    }
  }

  setColouring(colourBy: ColourBy, theme: MarkerTheme): void {
    this.#colourBy = colourBy;
    this.#theme = theme;
    this.#looks.clear();
    this.renderer.repaintAll();
    for (const entry of this.#entries.values()) {
      const look = this.#look(entry.quake, entry.quake.id === this.#selected);
      if (entry.dot.look !== look) this.renderer.update(entry.dot, { look });
    }
  }

  /** Outlines the selected quake's dot and draws it above the others. */
  select(id: string | null): void {
    const previous = this.#selected === null ? undefined : this.#entries.get(this.#selected);
    this.#selected = id;
    if (previous !== undefined) this.#restyle(previous);
    const entry = id === null ? undefined : this.#entries.get(id);
    if (entry !== undefined) this.#restyle(entry);
    this.renderer.select(entry?.dot ?? null);
  }

  #restyle(entry: Entry): void {
    const look = this.#look(entry.quake, entry.quake.id === this.#selected);
    if (entry.dot.look !== look) this.renderer.update(entry.dot, { look });
  }

  #look(quake: Quake, selected: boolean): DotLook {
    const fill = this.#colourBy === 'depth' ? depthColour(quake.depth) : magnitudeColour(quake.mag);
    const key = selected ? `${fill}!` : fill;
    let look = this.#looks.get(key);
    if (look === undefined) {
      look = {
        fillColor: fill,
        // See-through, so dots piled on one volcano or fault show as a denser colour.
        fillOpacity: 0.6,
        color: selected ? this.#theme.selection : this.#theme.outline,
        weight: selected ? 3 : 0.8,
        opacity: selected ? 1 : 0.75,
      };
      this.#looks.set(key, look);
    }
    return look;
  }
}
