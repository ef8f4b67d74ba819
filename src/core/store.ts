/**
 * The quakes currently known, by id, and what changed at each update. A USGS poll replaces the
 * whole set (a snapshot); a live source such as the Kafka bridge can also upsert a few quakes at a
 * time. Versions are ordered by `updated`: an older or equal version never replaces a newer one,
 * so an unchanged feed produces an empty change and keeps the very same Quake objects.
 */
import type { Quake } from './quake.ts';

export interface StoreChange {
  readonly added: readonly Quake[];
  /** The new versions of quakes that USGS revised. */
  readonly revised: readonly Quake[];
  /** The last known versions of quakes that left. */
  readonly removed: readonly Quake[];
}

export const NO_CHANGE: StoreChange = Object.freeze({
  added: Object.freeze([]),
  revised: Object.freeze([]),
  removed: Object.freeze([]),
}) as StoreChange;

export function isEmptyChange(change: StoreChange): boolean {
  return change.added.length === 0 && change.revised.length === 0 && change.removed.length === 0;
}

interface Entry {
  quake: Quake;
  /** The snapshot that last contained this quake. */
  snapshot: number;
}

export class QuakeStore {
  readonly #entries = new Map<string, Entry>();
  #snapshot = 0;

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): Quake | undefined {
    return this.#entries.get(id)?.quake;
  }

  *values(): IterableIterator<Quake> {
    for (const entry of this.#entries.values()) yield entry.quake;
  }

  /** Makes the store hold exactly `quakes` (one per id), keeping the newest version of each. */
  applySnapshot(quakes: readonly Quake[]): StoreChange {
    const snapshot = ++this.#snapshot;
    const added: Quake[] = [];
    const revised: Quake[] = [];
    const removed: Quake[] = [];
    for (const quake of quakes) {
      const entry = this.#entries.get(quake.id);
      if (entry === undefined) {
        this.#entries.set(quake.id, { quake, snapshot });
        added.push(quake);
        continue;
      }
      entry.snapshot = snapshot;
      if (quake.updated > entry.quake.updated) {
        entry.quake = quake;
        revised.push(quake);
      }
    }
    for (const [id, entry] of this.#entries) {
      if (entry.snapshot === snapshot) continue;
      this.#entries.delete(id);
      removed.push(entry.quake);
    }
    return added.length + revised.length + removed.length === 0
      ? NO_CHANGE
      : { added, revised, removed };
  }

  /** Adds quakes, or newer versions of them; an older or equal version changes nothing. */
  upsert(quakes: Iterable<Quake>): StoreChange {
    const added: Quake[] = [];
    const revised: Quake[] = [];
    for (const quake of quakes) {
      const entry = this.#entries.get(quake.id);
      if (entry === undefined) {
        this.#entries.set(quake.id, { quake, snapshot: this.#snapshot });
        added.push(quake);
      } else if (quake.updated > entry.quake.updated) {
        entry.quake = quake;
        revised.push(quake);
      }
    }
    return added.length + revised.length === 0 ? NO_CHANGE : { added, revised, removed: [] };
  }

  /** Removes the quakes older than `oldest` (event time). */
  expire(oldest: number): StoreChange {
    const removed: Quake[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.quake.time >= oldest) continue;
      this.#entries.delete(id);
      removed.push(entry.quake);
    }
    return removed.length === 0 ? NO_CHANGE : { added: [], revised: [], removed };
  }
}
