import type { Quake } from './quake.ts';
import { HOUR_MS, MINUTE_MS } from './time.ts';

/**
 * Event-time windows over quakes (challenge 6): count, average and maximum magnitude per window.
 * Windows are aligned to the Unix epoch, as Spark's window() aligns them, so both engines agree.
 */
export interface WindowSpec {
  /** Window length in ms. */
  readonly sizeMs: number;
  /** Distance between window starts in ms; equal to sizeMs for tumbling windows. */
  readonly slideMs: number;
  /** How far behind the newest event time a quake may arrive and still be counted (the watermark delay). */
  readonly allowedLatenessMs: number;
}

const FIVE_MINUTES_MS = 5 * MINUTE_MS;

/**
 * Allowed lateness by default: one hour. USGS publishes most quakes within minutes of their origin
 * time, but regional networks and reviewed solutions of remote quakes arrive tens of minutes later;
 * an hour keeps those in their windows at the cost of holding about twelve 5-minute windows open.
 * The Spark job uses the same default (STATS_LATENESS_MINUTES=60).
 */
export const DEFAULT_LATENESS_MS = HOUR_MS;

export function tumblingWindows(
  sizeMs = FIVE_MINUTES_MS,
  allowedLatenessMs = DEFAULT_LATENESS_MS,
): WindowSpec {
  return slidingWindows(sizeMs, sizeMs, allowedLatenessMs);
}

export function slidingWindows(
  sizeMs: number,
  slideMs: number,
  allowedLatenessMs = DEFAULT_LATENESS_MS,
): WindowSpec {
  if (!(sizeMs > 0 && slideMs > 0 && slideMs <= sizeMs && allowedLatenessMs >= 0)) {
    throw new RangeError(
      `windows need size > 0, 0 < slide <= size and lateness >= 0; got size ${sizeMs} ms, slide ${slideMs} ms, lateness ${allowedLatenessMs} ms`,
    );
  }
  return { sizeMs, slideMs, allowedLatenessMs };
}

/** The result for one window. Quakes without magnitude count in `count` but not in the magnitude figures. */
export interface WindowStats {
  /** Inclusive start, epoch ms. */
  readonly start: number;
  /** Exclusive end, epoch ms. */
  readonly end: number;
  readonly count: number;
  /** How many of `count` have a magnitude; the average and maximum are over these only. */
  readonly withMagnitude: number;
  readonly avgMag: number | null;
  readonly maxMag: number | null;
}

/** Starts of every window that contains `time` (one for tumbling windows), oldest first. */
export function windowStarts(time: number, spec: WindowSpec): number[] {
  const last = time - mod(time, spec.slideMs);
  const starts: number[] = [];
  for (let start = last; start > time - spec.sizeMs; start -= spec.slideMs) starts.unshift(start);
  return starts;
}

/** Window figures from the magnitudes that fell into it. */
function windowStats(start: number, spec: WindowSpec, mags: Iterable<number | null>): WindowStats {
  let count = 0;
  let withMagnitude = 0;
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const mag of mags) {
    count++;
    if (mag === null) continue;
    withMagnitude++;
    sum += mag;
    if (mag > max) max = mag;
  }
  return {
    start,
    end: start + spec.sizeMs,
    count,
    withMagnitude,
    avgMag: withMagnitude === 0 ? null : sum / withMagnitude,
    maxMag: withMagnitude === 0 ? null : max,
  };
}

/** All windows of a finished set of quakes (one version per id), oldest first. No watermark applies. */
export function windowsOf(quakes: Iterable<Quake>, spec: WindowSpec): WindowStats[] {
  const byStart = new Map<number, (number | null)[]>();
  for (const quake of quakes) {
    for (const start of windowStarts(quake.time, spec)) {
      const mags = byStart.get(start);
      if (mags === undefined) byStart.set(start, [quake.mag]);
      else mags.push(quake.mag);
    }
  }
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, mags]) => windowStats(start, spec, mags));
}

/** Where a quake version came from, so a restarted consumer knows how far back to replay. */
interface RecordPosition {
  readonly partition: number;
  readonly offset: string;
}

interface Contribution {
  readonly mag: number | null;
  readonly position: RecordPosition | null;
}

interface AddResult {
  /** The windows this quake changed, with their new figures. */
  readonly updated: WindowStats[];
  /**
   * True when every window of the quake had already closed: it was left out (and, unless it was
   * replayed, counted as late). An earlier version of the quake still leaves its open windows.
   */
  readonly late: boolean;
}

/**
 * A streaming window aggregation with a watermark, with Spark's micro-batch semantics: quakes are
 * added a batch at a time, and advanceWatermark() after each batch moves the watermark to the newest
 * event time seen minus the allowed lateness, held back by the partitions still behind (as Flink
 * and Spark hold it by their slowest input). A window whose end the watermark has passed is final
 * and forgotten; a quake arriving later for it is counted as late and left out. A quake id seen again
 * replaces its earlier version, so a revision is never counted twice. Memory holds only open windows.
 */
export class WindowAggregator {
  readonly spec: WindowSpec;
  /** Open windows by start: each quake id's current contribution. */
  readonly #open = new Map<number, Map<string, Contribution>>();
  /** The open windows each id contributes to, to remove an earlier version on revision. */
  readonly #windowsOfId = new Map<string, number[]>();
  #maxEventTime = Number.NEGATIVE_INFINITY;
  /** The newest event time read from each partition (records added with a position). */
  readonly #maxEventTimeOf = new Map<number, number>();
  #watermark = Number.NEGATIVE_INFINITY;
  #late = 0;

  /**
   * `watermark` resumes a stream after a restart: windows ending at or before it were closed and
   * published by the previous run, so nothing is added to them again.
   */
  constructor(spec: WindowSpec, watermark = Number.NEGATIVE_INFINITY) {
    this.spec = spec;
    this.#watermark = watermark;
  }

  /** Windows ending at or before this event time are closed; -Infinity before the first advance. */
  get watermark(): number {
    return this.#watermark;
  }

  /** How many quakes arrived too late to be counted. */
  get lateCount(): number {
    return this.#late;
  }

  add(quake: Quake, position: RecordPosition | null = null): AddResult {
    return this.#add(quake, position, true);
  }

  /**
   * Adds again a record that was handled before a restart, to rebuild the open windows: like add(),
   * but a quake whose windows have all closed is not counted as late again (the previous run
   * counted it in a window since closed, or already reported it late).
   */
  replay(quake: Quake, position: RecordPosition | null = null): AddResult {
    return this.#add(quake, position, false);
  }

  #add(quake: Quake, position: RecordPosition | null, countLate: boolean): AddResult {
    const watermark = this.#watermark;
    if (position !== null) {
      const newest = this.#maxEventTimeOf.get(position.partition) ?? Number.NEGATIVE_INFINITY;
      this.#maxEventTimeOf.set(position.partition, Math.max(newest, quake.time));
    }
    const touched = new Set<number>(this.#remove(quake.id));
    const open = windowStarts(quake.time, this.spec).filter(
      (start) => start + this.spec.sizeMs > watermark,
    );
    if (open.length === 0) {
      if (countLate) this.#late++;
      return { updated: this.#statsOf(touched), late: true };
    }
    for (const start of open) {
      let contributions = this.#open.get(start);
      if (contributions === undefined) {
        contributions = new Map();
        this.#open.set(start, contributions);
      }
      contributions.set(quake.id, { mag: quake.mag, position });
      touched.add(start);
    }
    this.#windowsOfId.set(quake.id, open);
    this.#maxEventTime = Math.max(this.#maxEventTime, quake.time);
    return { updated: this.#statsOf(touched), late: false };
  }

  /**
   * Ends a batch: moves the watermark up to the newest event time minus the allowed lateness, but
   * no further than the newest event time read from each partition in `behind` (those with records
   * still to read) minus the lateness, and returns the final figures of the windows it passed,
   * oldest first; they leave memory. Holding it by the partitions behind means a batch of one
   * partition never makes the older records still waiting in another partition late: a backlog
   * read partition by partition counts what reading it in event-time order counts.
   */
  advanceWatermark(behind: Iterable<number> = []): WindowStats[] {
    let newest = this.#maxEventTime;
    for (const partition of behind) {
      newest = Math.min(newest, this.#maxEventTimeOf.get(partition) ?? Number.NEGATIVE_INFINITY);
    }
    this.#watermark = Math.max(this.#watermark, newest - this.spec.allowedLatenessMs);
    const watermark = this.#watermark;
    const closing = [...this.#open.keys()]
      .filter((start) => start + this.spec.sizeMs <= watermark)
      .sort((a, b) => a - b);
    const closed = closing.map((start) => this.#stats(start));
    for (const start of closing) {
      for (const id of this.#open.get(start)?.keys() ?? []) {
        const rest = this.#windowsOfId.get(id)?.filter((s) => s !== start) ?? [];
        if (rest.length === 0) this.#windowsOfId.delete(id);
        else this.#windowsOfId.set(id, rest);
      }
      this.#open.delete(start);
    }
    return closed;
  }

  /** Current figures of every open window, oldest first. */
  openWindows(): WindowStats[] {
    return this.#statsOf(this.#open.keys());
  }

  /**
   * Per partition, the lowest record offset that still feeds an open window: replaying from there
   * rebuilds every open window exactly (later versions of an id replace earlier ones).
   */
  replayFrom(): Map<number, string> {
    const lowest = new Map<number, bigint>();
    for (const contributions of this.#open.values()) {
      for (const { position } of contributions.values()) {
        if (position === null) continue;
        const offset = BigInt(position.offset);
        const current = lowest.get(position.partition);
        if (current === undefined || offset < current) lowest.set(position.partition, offset);
      }
    }
    return new Map([...lowest].map(([partition, offset]) => [partition, offset.toString()]));
  }

  #remove(id: string): number[] {
    const starts = this.#windowsOfId.get(id) ?? [];
    for (const start of starts) this.#open.get(start)?.delete(id);
    this.#windowsOfId.delete(id);
    return starts;
  }

  #stats(start: number): WindowStats {
    const contributions = this.#open.get(start)?.values() ?? [];
    return windowStats(
      start,
      this.spec,
      Array.from(contributions, (c) => c.mag),
    );
  }

  #statsOf(starts: Iterable<number>): WindowStats[] {
    return [...starts].sort((a, b) => a - b).map((start) => this.#stats(start));
  }
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
