import {
  type Added,
  type EventShape,
  EventWindows,
  type RecordPosition,
  sliding,
  windowStartsOf,
} from './event-windows.ts';
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
  return windowStartsOf(time, spec.sizeMs, spec.slideMs);
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

/** What adding one quake did: the windows it changed, and whether it came too late for all of them. */
type AddResult = Added<WindowStats>;

const QUAKE_SHAPE: EventShape<Quake> = {
  id: (quake) => quake.id,
  key: () => '',
  time: (quake) => quake.time,
};

/**
 * A streaming window aggregation with a watermark, with Spark's micro-batch semantics: quakes are
 * added a batch at a time, and advanceWatermark() after each batch moves the watermark to the newest
 * event time seen minus the allowed lateness, held back by the partitions still behind (as Flink
 * and Spark hold it by their slowest input). A window whose end the watermark has passed is final
 * and forgotten; a quake arriving later for it is counted as late and left out. A quake id seen again
 * replaces its earlier version, so a revision is never counted twice. Memory holds only open windows.
 * The quake case of the general engine (event-windows.ts).
 */
export class WindowAggregator {
  readonly spec: WindowSpec;
  readonly #windows: EventWindows<Quake, WindowStats>;

  /**
   * `watermark` resumes a stream after a restart: windows ending at or before it were closed and
   * published by the previous run, so nothing is added to them again.
   */
  constructor(spec: WindowSpec, watermark = Number.NEGATIVE_INFINITY) {
    this.spec = spec;
    this.#windows = new EventWindows(
      sliding(spec.sizeMs, spec.slideMs),
      QUAKE_SHAPE,
      (window, quakes) =>
        windowStats(
          window.start,
          spec,
          quakes.map((quake) => quake.mag),
        ),
      watermark,
    );
  }

  /** Windows ending at or before this event time are closed; -Infinity before the first advance. */
  get watermark(): number {
    return this.#windows.watermark;
  }

  /** How many quakes arrived too late to be counted. */
  get lateCount(): number {
    return this.#windows.lateCount;
  }

  add(quake: Quake, position: RecordPosition | null = null): AddResult {
    return this.#windows.add(quake, position, true);
  }

  /**
   * Adds again a record that was handled before a restart, to rebuild the open windows: like add(),
   * but a quake whose windows have all closed is not counted as late again (the previous run
   * counted it in a window since closed, or already reported it late).
   */
  replay(quake: Quake, position: RecordPosition | null = null): AddResult {
    return this.#windows.add(quake, position, false);
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
    return this.#windows.closeUpTo(
      this.#windows.heldWatermark(this.spec.allowedLatenessMs, behind),
    );
  }

  /** Current figures of every open window, oldest first. */
  openWindows(): WindowStats[] {
    return this.#windows.openWindows();
  }

  /**
   * Per partition, the lowest record offset that still feeds an open window: replaying from there
   * rebuilds every open window exactly (later versions of an id replace earlier ones).
   */
  replayFrom(): Map<number, string> {
    return this.#windows.replayFrom();
  }
}
