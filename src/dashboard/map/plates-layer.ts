/**
 * Tectonic plate boundaries over the basemap (PB2002, inlined at build time, so drawn offline):
 * one line layer per visible world copy, under the quakes, never clickable.
 */

import { PLATES, PLATES_FACTOR } from 'sismos:plates';
import * as L from 'leaflet';
import { decodeLines } from '../../core/polyline.ts';

/** ODC-By asks for this credit wherever the data is shown. */
export const PLATES_ATTRIBUTION = 'Plates: Peter Bird (2003); Hugo Ahlenius, Nordpil (ODC-By)';

const PANE = 'plates';
/** Between the basemap tiles (200) and the quake markers (overlay pane, 400). */
const PANE_Z_INDEX = '250';
/** The map shows up to three worlds side by side (it wraps around as the user pans). */
const WORLD_SHIFTS = [-360, 0, 360];

export class PlatesLayer {
  readonly #map: L.Map;
  #group: L.LayerGroup | null = null;

  constructor(map: L.Map) {
    this.#map = map;
  }

  /** Draws the boundaries or removes them; the lines are decoded the first time they are drawn. */
  show(on: boolean): void {
    if (!on) {
      this.#group?.remove();
      return;
    }
    if (this.#group === null) {
      if (this.#map.getPane(PANE) === undefined) {
        const pane = this.#map.createPane(PANE);
        pane.style.zIndex = PANE_Z_INDEX;
        pane.style.pointerEvents = 'none';
      }
      const lines = decodeLines(PLATES, PLATES_FACTOR);
      const latLngs = WORLD_SHIFTS.flatMap((shift) =>
        lines.map((line) => {
          const points: L.LatLngTuple[] = [];
          for (let i = 0; i < line.length; i += 2) {
            points.push([line[i + 1] as number, (line[i] as number) + shift]);
          }
          return points;
        }),
      );
      const renderer = L.svg({ pane: PANE });
      this.#group = L.layerGroup(
        [
          L.polyline(latLngs, {
            renderer,
            pane: PANE,
            interactive: false,
            className: 'plate-boundary',
            weight: 1.5,
          }),
        ],
        { attribution: PLATES_ATTRIBUTION },
      );
    }
    this.#group.addTo(this.#map);
  }
}
