import { setImmediate as nextTurn } from 'node:timers/promises';
import { snapshotFrameTail } from '../../src/core/frame-text.ts';
import { encodeMessage } from '../../src/core/message.ts';
import { type Filters, matches } from '../../src/core/protocol.ts';
import type { RelayLog, SnapshotQuake } from '../../src/core/relay-log.ts';

/** A snapshot frame as every client with the same filters gets it, but for its `reset`. */
export interface SharedSnapshot {
  /** Seq (see RelayLog) of the relay head it was taken at: its client gets the records from there on. */
  readonly head: number;
  /** The frame's JSON after its `reset` field: `,"quakes":[...],"alerts":[...],"stats":[...],"cursor":"..."}`. */
  readonly tail: Buffer;
}

/** Called with the snapshot, or with the error that stopped its build. */
type Deliver = (snapshot: SharedSnapshot | Error) => void;

/** Quakes encoded per turn of the event loop: a few milliseconds each, so other work runs between them. */
const SLICE = 1000;
/** Filter sets whose latest snapshot is kept. */
const KEPT = 8;
/** A kept snapshot is built again after this long even if no record came, as quakes leave its window. */
const MAX_AGE_MS = 10_000;

interface Build {
  readonly key: string;
  readonly filters: Filters;
  readonly waiters: Deliver[];
}

interface Kept extends SharedSnapshot {
  readonly builtAt: number;
}

/**
 * Snapshots built once per (filters, relay head) and shared: every client that asks for the same
 * filters while the relay head stays put gets the same bytes. One snapshot is built at a time (the
 * others queue, a client asking for one already being built waits for it), in slices between which
 * the event loop serves other clients, so a burst of new clients costs one build, not one each.
 */
export class SnapshotCache {
  readonly #relay: RelayLog;
  readonly #log: (line: string) => void;
  readonly #kept = new Map<string, Kept>();
  /** Builds waiting their turn, in order, one per filter set. */
  readonly #queue = new Map<string, Build>();
  #building: Build | null = null;
  #working = false;

  constructor(relay: RelayLog, log: (line: string) => void) {
    this.#relay = relay;
    this.#log = log;
  }

  /** Calls `deliver` with the snapshot for `filters`: at once when one is kept for the relay head, else when built. */
  get(filters: Filters, deliver: Deliver): void {
    const key = filtersKey(filters);
    const kept = this.#kept.get(key);
    if (
      kept !== undefined &&
      kept.head === this.#relay.head &&
      Date.now() - kept.builtAt < MAX_AGE_MS
    ) {
      deliver(kept);
      return;
    }
    const build = this.#building?.key === key ? this.#building : this.#queue.get(key);
    if (build !== undefined) {
      build.waiters.push(deliver);
      return;
    }
    this.#queue.set(key, { key, filters, waiters: [deliver] });
    if (!this.#working) void this.#work();
  }

  async #work(): Promise<void> {
    this.#working = true;
    for (const build of this.#queue.values()) {
      this.#queue.delete(build.key);
      this.#building = build;
      let result: SharedSnapshot | Error;
      try {
        result = await this.#build(build.filters);
        this.#keep(build.key, result);
      } catch (error) {
        result = error instanceof Error ? error : new Error(String(error));
        this.#log(`bridge: could not build a snapshot: ${result.message}`);
      }
      this.#building = null;
      for (const deliver of build.waiters) deliver(result);
      await nextTurn();
    }
    this.#working = false;
  }

  async #build(filters: Filters): Promise<SharedSnapshot> {
    const head = this.#relay.head;
    const snapshot = this.#relay.snapshot(Date.now());
    const quakes = await encodeQuakes(snapshot.quakes, filters);
    const alerts = await encodeQuakes(snapshot.alerts, filters);
    const tail = snapshotFrameTail(quakes, alerts, snapshot.stats, snapshot.cursor);
    return { head, tail: Buffer.from(tail) };
  }

  #keep(key: string, snapshot: SharedSnapshot): void {
    // Snapshots of an older head, or too old, are never given again: a new client starts at the newest.
    const now = Date.now();
    for (const [other, kept] of this.#kept) {
      if (kept.head !== snapshot.head || now - kept.builtAt >= MAX_AGE_MS) this.#kept.delete(other);
    }
    this.#kept.delete(key);
    this.#kept.set(key, { ...snapshot, builtAt: now });
    if (this.#kept.size > KEPT) this.#kept.delete(this.#kept.keys().next().value as string);
  }
}

/**
 * The JSON array of the messages of the quakes that pass `filters`, a slice per turn: each is the
 * text it came as from Kafka (validated when it was relayed, as record frames pass it on), about a
 * third of the time of encoding the quake again (bench/snapshot.ts); one without (direct mode) is
 * encoded.
 */
async function encodeQuakes(quakes: readonly SnapshotQuake[], filters: Filters): Promise<string> {
  const items: string[] = [];
  for (let i = 0; i < quakes.length; i += SLICE) {
    if (i > 0) await nextTurn();
    for (const { quake, text } of quakes.slice(i, i + SLICE)) {
      if (matches(filters, quake)) items.push(text ?? encodeMessage(quake));
    }
  }
  return `[${items.join(',')}]`;
}

function filtersKey({ minMag, bbox }: Filters): string {
  return `${minMag ?? ''};${bbox?.join(',') ?? ''}`;
}
