/**
 * A general event-time window engine: events of any type, grouped by a key, placed by their own
 * time into tumbling, sliding or session windows, aggregated by a function of the window's events,
 * and closed by a watermark the caller moves. Quakes (challenge 6) and the e-commerce stream share
 * it. Time windows are aligned to the Unix epoch, as Spark's window() aligns them.
 */

/** Where an event lay by its time: tumbling and sliding windows of fixed length, or sessions per key. */
export type WindowKind =
  | { readonly kind: 'time'; readonly sizeMs: number; readonly slideMs: number }
  | { readonly kind: 'session'; readonly gapMs: number };

/** Tumbling windows: each event in exactly one window of `sizeMs`. */
export function tumbling(sizeMs: number): WindowKind {
  return sliding(sizeMs, sizeMs);
}

/** Sliding windows of `sizeMs` starting every `slideMs`: each event in sizeMs/slideMs of them. */
export function sliding(sizeMs: number, slideMs: number): WindowKind {
  if (!(sizeMs > 0 && slideMs > 0 && slideMs <= sizeMs)) {
    throw new RangeError(
      `time windows need size > 0 and 0 < slide <= size; got size ${sizeMs} ms, slide ${slideMs} ms`,
    );
  }
  return { kind: 'time', sizeMs, slideMs };
}

/** Session windows per key: a session ends after `gapMs` or more without an event of its key. */
export function sessions(gapMs: number): WindowKind {
  if (!(gapMs > 0)) throw new RangeError(`session windows need a gap > 0 ms; got ${gapMs} ms`);
  return { kind: 'session', gapMs };
}

/** One window: its key, inclusive start and exclusive end (a session ends one gap after its last event). */
export interface Window {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** How the engine reads an event: its identity (a repeated id replaces the earlier version), key and time. */
export interface EventShape<E> {
  readonly id: (event: E) => string;
  readonly key: (event: E) => string;
  readonly time: (event: E) => number;
}

/** Where an event came from, so a restarted consumer knows how far back to replay. */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: string;
}

/** What adding one event did. */
export interface Added<R> {
  /** The windows this event changed, with their new results, by start then key. */
  readonly updated: R[];
  /** True when every window of the event had already closed: it was left out. */
  readonly late: boolean;
}

interface Member<E> {
  readonly event: E;
  readonly position: RecordPosition | null;
}

interface OpenWindow<E> {
  readonly key: string;
  start: number;
  end: number;
  readonly members: Map<string, Member<E>>;
}

/** Starts of every time window of `sizeMs`/`slideMs` that contains `time`, oldest first. */
export function windowStartsOf(time: number, sizeMs: number, slideMs: number): number[] {
  const last = time - mod(time, slideMs);
  const starts: number[] = [];
  for (let start = last; start > time - sizeMs; start -= slideMs) starts.unshift(start);
  return starts;
}

/**
 * The engine. Events are added one at a time; closeUpTo(watermark) makes final the windows whose
 * end the watermark has reached and forgets them. An event whose windows have all closed is late
 * and left out. The watermark is the caller's to choose; heldWatermark() is the usual strategy.
 * Memory holds only the events of open windows.
 */
export class EventWindows<E, R> {
  readonly windowing: WindowKind;
  readonly #shape: EventShape<E>;
  readonly #aggregate: (window: Window, events: readonly E[]) => R;
  /** Open windows by their name (key and start). */
  readonly #open = new Map<string, OpenWindow<E>>();
  /** Open windows by key, so an event meets only its own key's sessions. */
  readonly #openOf = new Map<string, Set<OpenWindow<E>>>();
  /** The open windows each event id is a member of, to remove an earlier version on revision. */
  readonly #windowsOfId = new Map<string, OpenWindow<E>[]>();
  #newest = Number.NEGATIVE_INFINITY;
  readonly #newestOf = new Map<number, number>();
  #watermark: number;
  #late = 0;

  /**
   * `watermark` resumes a stream after a restart: windows ending at or before it were closed and
   * published by the previous run, so nothing is added to them again.
   */
  constructor(
    windowing: WindowKind,
    shape: EventShape<E>,
    aggregate: (window: Window, events: readonly E[]) => R,
    watermark = Number.NEGATIVE_INFINITY,
  ) {
    this.windowing = windowing;
    this.#shape = shape;
    this.#aggregate = aggregate;
    this.#watermark = watermark;
  }

  /** Windows ending at or before this event time are closed; -Infinity before the first close. */
  get watermark(): number {
    return this.#watermark;
  }

  /** How many events arrived too late to be counted (replays aside). */
  get lateCount(): number {
    return this.#late;
  }

  /** The newest event time read from `partition` (late events included); -Infinity before any. */
  newestOf(partition: number): number {
    return this.#newestOf.get(partition) ?? Number.NEGATIVE_INFINITY;
  }

  /**
   * The usual watermark strategy: the newest event time less `latenessMs`, held back by the newest
   * event time of every partition in `behind` (those with records still to read), as Flink and
   * Spark hold it by their slowest input, so reading one partition ahead of another never makes the
   * other's events late. Without partitions behind, the newest event time less the lateness.
   */
  heldWatermark(latenessMs: number, behind: Iterable<number> = []): number {
    let newest = this.#newest;
    for (const partition of behind) newest = Math.min(newest, this.newestOf(partition));
    return newest - latenessMs;
  }

  /**
   * Adds an event (a revision of an id replaces the earlier version). With `countLate` false the
   * event is a replay of one handled before a restart, and is not counted late again.
   */
  add(event: E, position: RecordPosition | null = null, countLate = true): Added<R> {
    const time = this.#shape.time(event);
    if (position !== null) {
      this.#newestOf.set(position.partition, Math.max(this.newestOf(position.partition), time));
    }
    const id = this.#shape.id(event);
    const touched = new Set<OpenWindow<E>>(this.#remove(id));
    const member = { event, position };
    const joined =
      this.windowing.kind === 'time'
        ? this.#joinTimeWindows(event, time, member, this.windowing)
        : this.#joinSession(event, time, member, this.windowing.gapMs);
    if (joined.length === 0) {
      if (countLate) this.#late++;
      return { updated: this.#resultsOf(touched), late: true };
    }
    for (const window of joined) touched.add(window);
    this.#windowsOfId.set(id, joined);
    this.#newest = Math.max(this.#newest, time);
    // A session merged into another is gone: only windows still open are reported.
    const open = [...touched].filter((window) => this.#open.get(nameOf(window)) === window);
    return { updated: this.#resultsOf(open), late: false };
  }

  /**
   * Moves the watermark up to `watermark` (never back) and returns the final results of the
   * windows it reached, by start then key; they leave memory. Infinity closes every window (the
   * end of a bounded stream).
   */
  closeUpTo(watermark: number): R[] {
    this.#watermark = Math.max(this.#watermark, watermark);
    const closing = [...this.#open.values()].filter((window) => window.end <= this.#watermark);
    const results = this.#resultsOf(closing);
    for (const window of closing) {
      for (const id of window.members.keys()) {
        const rest = this.#windowsOfId.get(id)?.filter((w) => w !== window) ?? [];
        if (rest.length === 0) this.#windowsOfId.delete(id);
        else this.#windowsOfId.set(id, rest);
      }
      this.#forget(window);
    }
    return results;
  }

  /** Current results of every open window, by start then key. */
  openWindows(): R[] {
    return this.#resultsOf(this.#open.values());
  }

  /**
   * Per partition, the lowest record offset that still feeds an open window: replaying from there
   * rebuilds every open window exactly (later versions of an id replace earlier ones).
   */
  replayFrom(): Map<number, string> {
    const lowest = new Map<number, bigint>();
    for (const window of this.#open.values()) {
      for (const { position } of window.members.values()) {
        if (position === null) continue;
        const offset = BigInt(position.offset);
        const current = lowest.get(position.partition);
        if (current === undefined || offset < current) lowest.set(position.partition, offset);
      }
    }
    return new Map([...lowest].map(([partition, offset]) => [partition, offset.toString()]));
  }

  #joinTimeWindows(
    event: E,
    time: number,
    member: Member<E>,
    { sizeMs, slideMs }: { sizeMs: number; slideMs: number },
  ): OpenWindow<E>[] {
    const key = this.#shape.key(event);
    const joined: OpenWindow<E>[] = [];
    for (const start of windowStartsOf(time, sizeMs, slideMs)) {
      if (start + sizeMs <= this.#watermark) continue;
      const name = nameOf({ key, start });
      let window = this.#open.get(name);
      if (window === undefined) {
        window = { key, start, end: start + sizeMs, members: new Map() };
        this.#keep(window);
      }
      window.members.set(this.#shape.id(event), member);
      joined.push(window);
    }
    return joined;
  }

  /**
   * Joins the event to its key's open sessions within one gap of it, merging them into one (as
   * Flink and Spark merge sessions); late when even the merged session has closed.
   */
  #joinSession(event: E, time: number, member: Member<E>, gapMs: number): OpenWindow<E>[] {
    const key = this.#shape.key(event);
    const near = [...(this.#openOf.get(key) ?? [])].filter(
      (w) => time > w.start - gapMs && time < w.end,
    );
    const start = Math.min(time, ...near.map((w) => w.start));
    const end = Math.max(time + gapMs, ...near.map((w) => w.end));
    if (end <= this.#watermark) return [];
    const merged: OpenWindow<E> = { key, start, end, members: new Map() };
    for (const window of near) {
      this.#forget(window);
      for (const [id, kept] of window.members) {
        merged.members.set(id, kept);
        this.#windowsOfId.set(id, [merged]);
      }
    }
    merged.members.set(this.#shape.id(event), member);
    this.#keep(merged);
    return [merged];
  }

  /** Takes an id's earlier version out of its windows; a session it held together splits again. */
  #remove(id: string): OpenWindow<E>[] {
    const windows = this.#windowsOfId.get(id) ?? [];
    this.#windowsOfId.delete(id);
    const touched: OpenWindow<E>[] = [];
    for (const window of windows) {
      window.members.delete(id);
      if (this.windowing.kind === 'time') {
        touched.push(window);
        continue;
      }
      this.#forget(window);
      for (const rest of this.#splitSession(window, this.windowing.gapMs)) {
        this.#keep(rest);
        for (const memberId of rest.members.keys()) this.#windowsOfId.set(memberId, [rest]);
        touched.push(rest);
      }
    }
    return touched;
  }

  #keep(window: OpenWindow<E>): void {
    this.#open.set(nameOf(window), window);
    const ofKey = this.#openOf.get(window.key);
    if (ofKey === undefined) this.#openOf.set(window.key, new Set([window]));
    else ofKey.add(window);
  }

  #forget(window: OpenWindow<E>): void {
    this.#open.delete(nameOf(window));
    const ofKey = this.#openOf.get(window.key);
    ofKey?.delete(window);
    if (ofKey?.size === 0) this.#openOf.delete(window.key);
  }

  #splitSession(window: OpenWindow<E>, gapMs: number): OpenWindow<E>[] {
    const time = this.#shape.time;
    const members = [...window.members].sort(([, a], [, b]) => time(a.event) - time(b.event));
    const parts: OpenWindow<E>[] = [];
    let current: OpenWindow<E> | undefined;
    for (const [id, member] of members) {
      const t = time(member.event);
      if (current === undefined || t >= current.end) {
        current = { key: window.key, start: t, end: t + gapMs, members: new Map() };
        parts.push(current);
      }
      current.end = Math.max(current.end, t + gapMs);
      current.members.set(id, member);
    }
    return parts;
  }

  #resultsOf(windows: Iterable<OpenWindow<E>>): R[] {
    return [...windows]
      .sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((window) =>
        this.#aggregate(
          { key: window.key, start: window.start, end: window.end },
          Array.from(window.members.values(), (m) => m.event),
        ),
      );
  }
}

/**
 * Count windows, the notebook's first pattern: windows of `size` consecutive events in arrival
 * order, one starting every `slide` events (slide = size: tumbling). Only full windows are emitted,
 * as the notebook's loops emit them. They depend on arrival order, not on event time, so they
 * agree across runs only when the events arrive in the same order (one Kafka partition).
 */
export class CountWindows<E, R> {
  readonly size: number;
  readonly slide: number;
  readonly #aggregate: (first: number, events: readonly E[]) => R;
  /** The newest events, as many as the next window needs. */
  #recent: E[] = [];
  #seen = 0;

  constructor(size: number, slide: number, aggregate: (first: number, events: readonly E[]) => R) {
    if (!(Number.isInteger(size) && Number.isInteger(slide) && size > 0 && slide > 0)) {
      throw new RangeError(
        `count windows need whole numbers size > 0 and slide > 0; got size ${size}, slide ${slide}`,
      );
    }
    this.size = size;
    this.slide = slide;
    this.#aggregate = aggregate;
  }

  /** Adds the next event; returns the window it completed, if any (with the index of its first event). */
  add(event: E): R | null {
    this.#seen++;
    this.#recent.push(event);
    if (this.#recent.length > this.size) this.#recent.shift();
    const first = this.#seen - this.size;
    if (first < 0 || first % this.slide !== 0) return null;
    return this.#aggregate(first, [...this.#recent]);
  }
}

function nameOf({ key, start }: { key: string; start: number }): string {
  return `${start} ${key}`;
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
