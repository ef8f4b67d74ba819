/**
 * Which quakes raise an alert on the page, each id at most once, even across reloads: the memory
 * of ids that already alerted is a bounded list, oldest first, stored as JSON.
 */
import { isAlert } from './alert.ts';
import { isNews } from './news.ts';
import type { Quake } from './quake.ts';

/** More than any feed holds at M4.5+ (a month has a few hundred), small enough for localStorage. */
export const ALERT_MEMORY_LIMIT = 1000;
/** Desktop notifications per update at most; the cards show the rest. */
export const MAX_NOTIFICATIONS = 3;

export interface AlertRound {
  /** The quakes that alert now, newest first. */
  readonly alerts: Quake[];
  /** Those of them a desktop notification announces. */
  readonly notify: Quake[];
  /** The memory with the ids of `alerts` added. */
  readonly memory: string[];
}

/** Reads a stored memory; anything unreadable is an empty memory. */
export function readAlertMemory(text: string | null): string[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** The memory with `ids` appended (without repeats), trimmed to the newest ALERT_MEMORY_LIMIT. */
function rememberAlerts(memory: readonly string[], ids: readonly string[]): string[] {
  const fresh = ids.filter((id) => !memory.includes(id));
  const all = [...memory, ...new Set(fresh)];
  return all.slice(Math.max(0, all.length - ALERT_MEMORY_LIMIT));
}

/** Quakes at or above the threshold that have not alerted yet, newest first. */
function pendingAlerts(
  quakes: Iterable<Quake>,
  threshold: number,
  alerted: ReadonlySet<string>,
): Quake[] {
  const out: Quake[] = [];
  for (const quake of quakes) {
    if (isAlert(quake, threshold) && !alerted.has(quake.id)) out.push(quake);
  }
  return out.sort((a, b) => b.time - a.time);
}

/**
 * What an update alerts: the quakes at or above `threshold` that never alerted and are news
 * (happened after `since`, see newsSince); the newest MAX_NOTIFICATIONS of them are notified.
 * The others (a first load's backlog, old quakes a feed brings late) are remembered without
 * alerting, so they never alert later either.
 */
export function alertRound(
  quakes: Iterable<Quake>,
  threshold: number,
  memory: readonly string[],
  since: number | null,
): AlertRound {
  const pending = pendingAlerts(quakes, threshold, new Set(memory));
  const alerts = pending.filter((quake) => isNews(quake, since));
  return {
    alerts,
    notify: alerts.slice(0, MAX_NOTIFICATIONS),
    memory: rememberAlerts(
      memory,
      pending.map((quake) => quake.id),
    ),
  };
}
