import { DEFAULT_ALERT_THRESHOLD, isAlert } from './alert.ts';
import type { LoggedAlert } from './alert-log.ts';
import type { Quake } from './quake.ts';
import { DAY_MS } from './time.ts';

/**
 * How long the alert consumer remembers an alerted quake, counted back from the newest origin time
 * it has seen: 30 days, the longest USGS feed window, after which no producer sends a revision.
 */
export const ALERT_MEMORY_MS = 30 * DAY_MS;

/** What to do with one quake record. */
export type AlertAction =
  /** Alert: write it to the log and/or publish it, whichever sink does not hold it yet. */
  | { readonly kind: 'alert'; readonly writeLog: boolean; readonly publish: boolean }
  /** A newer revision of a quake already alerted: no second alert. */
  | { readonly kind: 'update'; readonly previous: LoggedAlert }
  /** Below the threshold and never alerted, or a version already handled. */
  | { readonly kind: 'ignore' }
  /** Older than the memory reaches, so it cannot be told apart from one already alerted. */
  | { readonly kind: 'expired' };

interface Entry {
  alert: LoggedAlert;
  inLog: boolean;
  inTopic: boolean;
}

/**
 * The alert consumer's de-duplication state: which quakes each sink (the log file and the alerts
 * topic) already holds. Both are rebuilt from the sinks themselves at start-up, so a replay writes
 * to a sink only what it is missing. Memory is bounded by ALERT_MEMORY_MS of alerts.
 */
export class AlertLedger {
  readonly threshold: number;
  readonly memoryMs: number;
  readonly #entries = new Map<string, Entry>();
  /** Newest origin time seen: the clock memory is measured by, so replays of old data work too. */
  #newest = Number.NEGATIVE_INFINITY;
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(threshold = DEFAULT_ALERT_THRESHOLD, memoryMs = ALERT_MEMORY_MS) {
    if (!Number.isFinite(threshold))
      throw new RangeError(`threshold must be a number, got ${threshold}`);
    if (!(memoryMs > 0)) throw new RangeError(`memoryMs must be positive, got ${memoryMs}`);
    this.threshold = threshold;
    this.memoryMs = memoryMs;
  }

  /** How many alerted quakes are remembered. */
  get size(): number {
    return this.#entries.size;
  }

  /** Ids the alerts topic holds, as far as this ledger knows. */
  get publishedCount(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.inTopic) count++;
    return count;
  }

  /** Decides what a record of `quake` calls for. Advances the memory clock; records nothing else. */
  decide(quake: Quake): AlertAction {
    this.#advance(quake.time);
    if (quake.time < this.#newest - this.memoryMs) return { kind: 'expired' };
    const entry = this.#entries.get(quake.id);
    if (isAlert(quake, this.threshold) && (entry === undefined || !entry.inLog || !entry.inTopic)) {
      return {
        kind: 'alert',
        writeLog: entry === undefined || !entry.inLog,
        publish: entry === undefined || !entry.inTopic,
      };
    }
    if (entry !== undefined && quake.updated > entry.alert.updated) {
      return { kind: 'update', previous: entry.alert };
    }
    return { kind: 'ignore' };
  }

  /** The log holds this alert (just written, or read back at start-up). */
  logged(alert: LoggedAlert): void {
    const entry = this.#entry(alert);
    if (entry !== null) entry.inLog = true;
  }

  /** The alerts topic holds this alert (just acknowledged, or read back). */
  published(alert: LoggedAlert): void {
    const entry = this.#entry(alert);
    if (entry !== null) entry.inTopic = true;
  }

  /** Remembers a newer revision of an alerted quake, so the same revision is reported once. */
  revised(quake: Quake): void {
    const entry = this.#entries.get(quake.id);
    if (entry !== undefined && quake.updated > entry.alert.updated) entry.alert = alertOf(quake);
  }

  /** Forgets what the alerts topic holds, before reading it back again (after a failed send or a rebalance). */
  forgetPublished(): void {
    for (const [id, entry] of this.#entries) {
      entry.inTopic = false;
      if (!entry.inLog) this.#entries.delete(id);
    }
  }

  /** The entry of `alert`, created when missing; null when the alert is older than the memory reaches. */
  #entry(alert: LoggedAlert): Entry | null {
    this.#advance(alert.time);
    if (alert.time < this.#newest - this.memoryMs) return null;
    let entry = this.#entries.get(alert.id);
    if (entry === undefined) {
      entry = { alert, inLog: false, inTopic: false };
      this.#entries.set(alert.id, entry);
    } else if (alert.updated > entry.alert.updated) {
      entry.alert = alert;
    }
    return entry;
  }

  #advance(time: number): void {
    if (time <= this.#newest) return;
    this.#newest = time;
    // Pruning walks every entry, so it runs at most once per day of advance of the clock.
    if (this.#newest - this.#prunedAt < DAY_MS) return;
    this.#prunedAt = this.#newest;
    const before = this.#newest - this.memoryMs;
    for (const [id, entry] of this.#entries)
      if (entry.alert.time < before) this.#entries.delete(id);
  }
}

/** The part of a quake the ledger and the log remember. */
export function alertOf(quake: Quake): LoggedAlert {
  return { id: quake.id, time: quake.time, updated: quake.updated, mag: quake.mag };
}
