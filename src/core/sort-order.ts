/** The order of the quake list, which is also the order of its exports. */
import type { Quake } from './quake.ts';

/** USGS Latest Earthquakes' four orders; quakes without magnitude go last in both magnitude orders. */
export const SORT_ORDERS = ['newest', 'oldest', 'largest', 'smallest'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

const NO_MAG_LAST = Number.NEGATIVE_INFINITY;

/** Sorts `quakes` in place and returns them; among equal magnitudes the newest comes first. */
export function sortQuakes(quakes: Quake[], order: SortOrder): Quake[] {
  switch (order) {
    case 'newest':
      return quakes.sort((a, b) => b.time - a.time);
    case 'oldest':
      return quakes.sort((a, b) => a.time - b.time);
    case 'largest':
      return quakes.sort(
        (a, b) => (b.mag ?? NO_MAG_LAST) - (a.mag ?? NO_MAG_LAST) || b.time - a.time,
      );
    case 'smallest':
      return quakes.sort(
        (a, b) =>
          (a.mag === null ? 1 : 0) - (b.mag === null ? 1 : 0) ||
          (a.mag ?? 0) - (b.mag ?? 0) ||
          b.time - a.time,
      );
  }
}
