import type { Quake } from './quake.ts';

/** A feed split by what the producer has already published. */
interface SortedFeed {
  /** Ids never published. */
  readonly fresh: Quake[];
  /** Ids published before, now with a newer `updated`: a revision, published as a new record with the same key. */
  readonly revised: Quake[];
  /** Ids whose newest published version is this one or newer. */
  readonly unchanged: number;
}

interface Known {
  /** `updated` of the newest version on the topic. */
  updated: number;
  /** Last time (epoch ms, local clock) the id was in a feed or published. */
  lastSeen: number;
}

/**
 * The producer's memory of what is on the topic: for each quake id, the newest `updated` it
 * published. Ids that were neither in a feed nor published for a whole feed window are forgotten,
 * so the memory holds about one window of quakes however long the producer runs.
 */
export class SeenQuakes {
  readonly windowMs: number;
  readonly #known = new Map<string, Known>();

  constructor(windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
    this.windowMs = windowMs;
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.#known.size;
  }

  /** The newest published `updated` of `id`, or null when it is not remembered. */
  updatedOf(id: string): number | null {
    return this.#known.get(id)?.updated ?? null;
  }

  /** Splits a feed into new, revised and unchanged quakes. Changes nothing: call markSent once the broker acknowledged. */
  sort(quakes: readonly Quake[]): SortedFeed {
    const fresh: Quake[] = [];
    const revised: Quake[] = [];
    let unchanged = 0;
    for (const quake of quakes) {
      const known = this.#known.get(quake.id);
      if (known === undefined) fresh.push(quake);
      else if (quake.updated > known.updated) revised.push(quake);
      else unchanged++;
    }
    return { fresh, revised, unchanged };
  }

  /** Records that the broker acknowledged this version of the quake at `now`. */
  markSent(quake: Quake, now: number): void {
    this.remember(quake.id, quake.updated, now);
  }

  /** Records that a version of `id` updated at `updated` is on the topic (read back at start-up); the newest wins. */
  remember(id: string, updated: number, at: number): void {
    const known = this.#known.get(id);
    if (known === undefined) {
      this.#known.set(id, { updated, lastSeen: at });
      return;
    }
    known.updated = Math.max(known.updated, updated);
    known.lastSeen = Math.max(known.lastSeen, at);
  }

  /** Marks the remembered ids among `quakes` (the latest feed) as still present at `now`. */
  touch(quakes: readonly Quake[], now: number): void {
    for (const quake of quakes) {
      const known = this.#known.get(quake.id);
      if (known !== undefined) known.lastSeen = Math.max(known.lastSeen, now);
    }
  }

  /** Forgets ids not seen for a whole window before `now`; returns how many. */
  forget(now: number): number {
    const before = now - this.windowMs;
    let forgotten = 0;
    for (const [id, known] of this.#known) {
      if (known.lastSeen < before) {
        this.#known.delete(id);
        forgotten++;
      }
    }
    return forgotten;
  }

  /** Forgets everything, before reading the topic back again. */
  clear(): void {
    this.#known.clear();
  }
}
