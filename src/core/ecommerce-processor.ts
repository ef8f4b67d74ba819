import type { CommerceEvent } from './ecommerce.ts';
import {
  addToTotals,
  type CommerceTotals,
  type CommerceWindow,
  emptyTotals,
  type WindowPattern,
  windowFigures,
} from './ecommerce-metrics.ts';
import {
  CountWindows,
  type EventShape,
  EventWindows,
  type RecordPosition,
  sessions,
  sliding,
  tumbling,
  type WindowKind,
} from './event-windows.ts';

export interface ProcessorOptions {
  readonly tumblingMs: number;
  readonly slidingMs: number;
  readonly slideMs: number;
  /** Inactivity that ends a user's session. */
  readonly sessionGapMs: number;
  /** How far behind the newest event time an event may arrive and still be counted. */
  readonly latenessMs: number;
  /** The notebook's count windows (size, slide in events), or null for none. */
  readonly count: { readonly size: number; readonly slide: number } | null;
}

/** The notebook's numbers as time: 20-second windows sliding by 10 s, sessions ending after 30 minutes. */
export const DEFAULT_PROCESSOR: ProcessorOptions = {
  tumblingMs: 20_000,
  slidingMs: 20_000,
  slideMs: 10_000,
  sessionGapMs: 30 * 60_000,
  latenessMs: 5_000,
  count: null,
};

const SHAPE: EventShape<CommerceEvent> = {
  id: (event) => event.id,
  key: () => '',
  time: (event) => event.time,
};

/** What reading one event did. */
export interface Processed {
  /** True when the event came too late for every time window and session it belonged to. */
  readonly late: boolean;
  /** The count window it completed, if any (count windows close with events, not with time). */
  readonly counted: CommerceWindow | null;
}

/**
 * procesador_ecommerce's rule, the same with Kafka or without: every event into tumbling and
 * sliding windows of event time, into its user's session, and optionally into count windows; the
 * caller moves the watermark (closeUpTo), and gets the windows that became final, in the order
 * they ended. An event id seen again replaces its earlier version (a record delivered twice).
 */
export class CommerceProcessor {
  readonly options: ProcessorOptions;
  readonly totals: CommerceTotals = emptyTotals();
  readonly #timed: EventWindows<CommerceEvent, CommerceWindow>[];
  readonly #count: CountWindows<CommerceEvent, CommerceWindow> | null;
  #late = 0;

  constructor(options: ProcessorOptions) {
    this.options = options;
    const engine = (pattern: WindowPattern, kind: WindowKind, shape: EventShape<CommerceEvent>) =>
      new EventWindows(kind, shape, (window, events) => windowFigures(pattern, window, events));
    this.#timed = [
      engine('tumbling', tumbling(options.tumblingMs), SHAPE),
      engine('sliding', sliding(options.slidingMs, options.slideMs), SHAPE),
      engine('session', sessions(options.sessionGapMs), { ...SHAPE, key: (event) => event.user }),
    ];
    const { count } = options;
    this.#count =
      count === null
        ? null
        : new CountWindows(count.size, count.slide, (first, events) =>
            windowFigures('count', { key: '', start: first, end: first + count.size }, events),
          );
  }

  /** Events left out because all their windows had closed. */
  get lateCount(): number {
    return this.#late;
  }

  /** The watermark the windows were last closed with. */
  get watermark(): number {
    return (this.#timed[0] as EventWindows<CommerceEvent, CommerceWindow>).watermark;
  }

  add(event: CommerceEvent, position: RecordPosition | null = null): Processed {
    addToTotals(this.totals, event);
    let late = true;
    for (const windows of this.#timed) {
      if (!windows.add(event, position).late) late = false;
    }
    if (late) this.#late++;
    return { late, counted: this.#count?.add(event) ?? null };
  }

  /**
   * Moves the watermark to `watermark` and returns every window it made final, ordered by end,
   * then pattern, start and user; Infinity closes them all (the end of a bounded stream).
   */
  closeUpTo(watermark: number): CommerceWindow[] {
    return this.#timed.flatMap((windows) => windows.closeUpTo(watermark)).sort(byEnd);
  }

  /** Closes what the watermark allows, held back by the partitions `behind` (EventWindows.heldWatermark). */
  advance(behind: Iterable<number> = []): CommerceWindow[] {
    const engine = this.#timed[0] as EventWindows<CommerceEvent, CommerceWindow>;
    return this.closeUpTo(engine.heldWatermark(this.options.latenessMs, behind));
  }
}

const PATTERN_ORDER: readonly WindowPattern[] = ['tumbling', 'sliding', 'session', 'count'];

function byEnd(a: CommerceWindow, b: CommerceWindow): number {
  return (
    a.end - b.end ||
    PATTERN_ORDER.indexOf(a.pattern) - PATTERN_ORDER.indexOf(b.pattern) ||
    a.start - b.start ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}
