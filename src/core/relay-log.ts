import { type Cursor, cursorPart, cursorText, type StreamKind } from './protocol.ts';
import type { Quake } from './quake.ts';
import type { WindowStats } from './window.ts';

/** One relayed record: where it sits in its partition, and what it says. */
export interface RelayRecord {
  /** "topic:partition". */
  readonly position: string;
  readonly offset: bigint;
  readonly kind: StreamKind;
  /** Set for quakes and alerts. */
  readonly quake: Quake | null;
  /** Set for windows. */
  readonly window: WindowStats | null;
  /**
   * The message's JSON as it came from Kafka, framed as it is once `quake` was validated from it
   * (encoding the quake again cost a quarter of the relay's time); null: frames encode `quake`.
   */
  readonly text: string | null;
}

/** A kept record and the cursor just after it: what a client resuming there has seen. */
export interface Entry {
  readonly record: RelayRecord;
  readonly cursor: string;
  /** Its place in arrival order: 0 for the first record the bridge relayed, then 1, 2, ... */
  readonly seq: number;
}

/** Every this many records, an entry keeps the parts of its cursor, from which the others' are found. */
const CHECKPOINT = 256;

/**
 * An entry of the log. Its cursor's text is built when first asked for, from the nearest later
 * checkpoint: a batch frame carries only its last record's, and building and keeping one for
 * every record cost a tenth of the relay's time and much of its garbage.
 */
class KeptEntry implements Entry {
  readonly record: RelayRecord;
  readonly seq: number;
  /** The offset of the next record of its partition before it came (undefined: its partition's first). */
  readonly before: bigint | undefined;
  /** For every CHECKPOINT-th entry, the parts of its cursor (see RelayLog's #cursorParts); else null. */
  readonly parts: readonly string[] | null;
  /** The cursor's text, once built. */
  cursorText: string | null = null;
  readonly #log: RelayLog;

  constructor(
    log: RelayLog,
    record: RelayRecord,
    seq: number,
    before: bigint | undefined,
    parts: readonly string[] | null,
  ) {
    this.#log = log;
    this.record = record;
    this.seq = seq;
    this.before = before;
    this.parts = parts;
  }

  get cursor(): string {
    this.cursorText ??= this.#log.cursorTextAfter(this.seq);
    return this.cursorText;
  }
}

interface RelayLogOptions {
  /** Identity of the stream (the Kafka cluster id, or one run of direct mode). */
  readonly epoch: string;
  /** Most records kept for resuming clients; older ones are dropped first. */
  readonly capacity: number;
  /** How far back in event time the snapshot reaches. */
  readonly windowMs: number;
  /** Most quakes (and alerts) the snapshot holds; the oldest go first. */
  readonly snapshotLimit: number;
}

/** A quake of the snapshot, and the message text it came as (see RelayRecord.text). */
export interface SnapshotQuake {
  readonly quake: Quake;
  readonly text: string | null;
}

interface Snapshot {
  readonly quakes: SnapshotQuake[];
  readonly alerts: SnapshotQuake[];
  readonly stats: WindowStats[];
  readonly cursor: Cursor;
}

/**
 * The bridge's memory, pure (no I/O, no clock): the latest records in arrival order, so a reconnecting client
 * gets exactly what it missed, and the current state (latest version of each recent quake, recent
 * alerts, latest figures of each window) for the snapshot a new client starts from. Bounded by
 * `capacity` records and by the snapshot window and limit.
 */
export class RelayLog {
  readonly options: RelayLogOptions;
  #entries: KeptEntry[] = [];
  /** Index of the oldest kept entry (dropping from the front without shifting). */
  #first = 0;
  /** Seq of the next record to arrive. */
  #head = 0;
  /** Per position, the offset of the next record (the head of the stream). */
  readonly #next = new Map<string, bigint>();
  /** The parts of the head's cursor ("sismos:0=152"), in the order the positions came. */
  readonly #cursorParts: string[] = [];
  readonly #partIndex = new Map<string, number>();
  /** Per part, its position, its text when it came, and the seq of the first entry whose cursor has it. */
  readonly #partPosition: string[] = [];
  readonly #partFirst: string[] = [];
  readonly #partSince: number[] = [];
  /** Per position, the lowest offset from which every record is still kept. */
  readonly #keptFrom = new Map<string, bigint>();
  /** Per id, the record of the latest version of each recent quake (and alert): its quake and its text. */
  readonly #quakes = new Map<string, RelayRecord>();
  readonly #alerts = new Map<string, RelayRecord>();
  readonly #stats = new Map<number, WindowStats>();

  constructor(options: RelayLogOptions) {
    this.options = options;
  }

  /** Declares a partition and the offset its records start at (before any record of it arrives). */
  track(position: string, nextOffset: bigint): void {
    if (!this.#next.has(position)) {
      this.#advance(position, nextOffset);
      this.#keptFrom.set(position, nextOffset);
    }
  }

  get size(): number {
    return this.#entries.length - this.#first;
  }

  /** Seq of the next record to arrive (the number relayed so far). */
  get head(): number {
    return this.#head;
  }

  /** Seq of the oldest record still kept (the head when none is). */
  get oldest(): number {
    return this.#head - this.size;
  }

  /** The kept entry with this seq, if it is still kept. */
  at(seq: number): KeptEntry | undefined {
    const index = this.#first + (seq - this.oldest);
    return index >= this.#first ? this.#entries[index] : undefined;
  }

  /** Keeps a record; returns its entry, or null when it was relayed already (a consumer re-delivery). */
  append(record: RelayRecord): Entry | null {
    const head = this.#next.get(record.position);
    if (head !== undefined && record.offset < head) return null;
    if (head === undefined) this.#keptFrom.set(record.position, record.offset);
    this.#advance(record.position, record.offset + 1n);
    const seq = this.#head++;
    const parts = (seq + 1) % CHECKPOINT === 0 ? [...this.#cursorParts] : null;
    const entry = new KeptEntry(this, record, seq, head, parts);
    this.#entries.push(entry);
    if (this.size > this.options.capacity) this.#dropOldest();
    if (record.quake !== null) {
      const state = record.kind === 'alert' ? this.#alerts : this.#quakes;
      const current = state.get(record.quake.id)?.quake;
      // A revision replaces the earlier version; an older version arriving late does not.
      if (current == null || record.quake.updated >= current.updated) {
        state.delete(record.quake.id);
        state.set(record.quake.id, record);
        const limit = this.options.snapshotLimit;
        if (state.size > limit + Math.max(64, limit >> 3)) keepNewest(state, limit);
      }
    }
    if (record.window !== null) this.#stats.set(record.window.start, record.window);
    return entry;
  }

  cursor(): Cursor {
    return { epoch: this.options.epoch, next: new Map(this.#next) };
  }

  #advance(position: string, next: bigint): void {
    this.#next.set(position, next);
    let index = this.#partIndex.get(position);
    if (index === undefined) {
      index = this.#cursorParts.length;
      this.#partIndex.set(position, index);
      this.#partPosition.push(position);
      this.#partFirst.push(cursorPart(position, next));
      this.#partSince.push(this.#head);
    }
    this.#cursorParts[index] = cursorPart(position, next);
  }

  /**
   * The text of the cursor just after the kept entry `seq` (what encodeCursor gave at the time):
   * the parts of the nearest checkpoint at or after it (or of the head), each partition's put back
   * to before the first record of it that came after `seq`.
   */
  cursorTextAfter(seq: number): string {
    return cursorText(this.options.epoch, this.#partsAfter(seq));
  }

  /**
   * Builds the cursors of the kept entries from seq `from` to `to` (excluded) at once, each from
   * the one before (a frame per record needs every one of them).
   */
  buildCursors(from: number, to: number): void {
    if (from >= to) return;
    const parts = this.#partsAfter(from);
    for (let seq = from; seq < to; seq++) {
      const entry = this.at(seq) as KeptEntry;
      if (seq > from) {
        // Positions that came since the entry before come into its cursor as they came.
        while (
          parts.length < this.#partSince.length &&
          (this.#partSince[parts.length] as number) <= seq
        )
          parts.push(this.#partFirst[parts.length] as string);
        const index = this.#partIndex.get(entry.record.position) as number;
        parts[index] = cursorPart(entry.record.position, entry.record.offset + 1n);
      }
      entry.cursorText ??= cursorText(this.options.epoch, parts);
    }
  }

  #partsAfter(seq: number): string[] {
    const checkpoint = seq + (CHECKPOINT - 1 - (seq % CHECKPOINT));
    const from = checkpoint < this.#head ? (this.at(checkpoint) as KeptEntry) : null;
    const parts = [...(from?.parts ?? this.#cursorParts)];
    const before = new Map<number, bigint>();
    for (let later = from?.seq ?? this.#head - 1; later > seq; later--) {
      const entry = this.at(later) as KeptEntry;
      if (entry.before !== undefined)
        before.set(this.#partIndex.get(entry.record.position) as number, entry.before);
    }
    for (const [index, next] of before)
      parts[index] = cursorPart(this.#partPosition[index] as string, next);
    // The positions that came after `seq` were not in its cursor yet.
    let count = parts.length;
    while (count > 0 && (this.#partSince[count - 1] as number) > seq) count--;
    parts.length = count;
    return parts;
  }

  /**
   * The records after `cursor`, in arrival order; or, when they cannot all be given (the cursor is
   * from another stream, misses a partition, or points before what is still kept), the reason.
   */
  since(cursor: Cursor): Entry[] | string {
    if (cursor.epoch !== this.options.epoch) return 'the cursor belongs to another stream';
    for (const [position, head] of this.#next) {
      const next = cursor.next.get(position);
      if (next === undefined) return `the cursor does not cover ${position}`;
      if (next < (this.#keptFrom.get(position) ?? 0n))
        return `the cursor is older than what the bridge keeps for ${position}`;
      if (next > head) return `the cursor is ahead of the bridge on ${position}`;
    }
    const missed: Entry[] = [];
    for (let i = this.#first; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as Entry;
      if (entry.record.offset >= (cursor.next.get(entry.record.position) ?? 0n)) missed.push(entry);
    }
    return missed;
  }

  /** The state a new client starts from, limited to the window before `now`. */
  snapshot(now: number): Snapshot {
    this.prune(now);
    const limit = this.options.snapshotLimit;
    keepNewest(this.#quakes, limit);
    keepNewest(this.#alerts, limit);
    return {
      quakes: snapshotQuakes(this.#quakes),
      alerts: snapshotQuakes(this.#alerts),
      stats: [...this.#stats.values()].sort((a, b) => a.start - b.start),
      cursor: this.cursor(),
    };
  }

  /** Forgets quakes, alerts and windows older than the window before `now`. */
  prune(now: number): void {
    const oldest = now - this.options.windowMs;
    for (const state of [this.#quakes, this.#alerts]) {
      for (const [id, { quake }] of state) if ((quake as Quake).time < oldest) state.delete(id);
    }
    for (const [start, window] of this.#stats) if (window.end < oldest) this.#stats.delete(start);
  }

  #dropOldest(): void {
    const { record } = this.#entries[this.#first] as Entry;
    this.#keptFrom.set(record.position, record.offset + 1n);
    this.#first++;
    // Compact once the dropped prefix is as long as what is kept, so the array stays within 2x capacity.
    if (this.#first >= this.size) {
      this.#entries = this.#entries.slice(this.#first);
      this.#first = 0;
    }
  }
}

/** The kept records of a state map (only records with a quake go in one) as the snapshot gives them. */
function snapshotQuakes(state: ReadonlyMap<string, RelayRecord>): SnapshotQuake[] {
  return Array.from(state.values(), ({ quake, text }) => ({ quake: quake as Quake, text }));
}

/**
 * Deletes the oldest entries of `map` (in insertion order) until `keep` are left. In one pass:
 * deleting them one at a time as each new one arrives costs a scan over the deleted slots per
 * call (V8 keeps them until the table is rebuilt), which made a 100,000-record burst take seconds.
 */
function keepNewest<K, V>(map: Map<K, V>, keep: number): void {
  let extra = map.size - keep;
  if (extra <= 0) return;
  for (const key of map.keys()) {
    map.delete(key);
    if (--extra === 0) return;
  }
}
