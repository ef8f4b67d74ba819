/** The order of the quake list, which is also the order of its exports. */
import type { Quake } from './quake.ts';

/** Newest first, or strongest first (quakes without magnitude last, the newest first among equals). */
export type SortOrder = 'time' | 'mag';

/** Sorts `quakes` in place and returns them. */
export function sortQuakes(quakes: Quake[], order: SortOrder): Quake[] {
  return order === 'mag'
    ? quakes.sort((a, b) => (b.mag ?? -99) - (a.mag ?? -99) || b.time - a.time)
    : quakes.sort((a, b) => b.time - a.time);
}
