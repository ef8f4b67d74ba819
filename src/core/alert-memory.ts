/**
 * Which quakes already raised an alert, so each id alerts at most once, even across reloads.
 * The memory is a bounded list of ids, oldest first, stored as JSON.
 */
import { isAlert } from './alert.ts';
import type { Quake } from './quake.ts';

/** More than any feed holds at M4.5+ (a month has a few hundred), small enough for localStorage. */
const ALERT_MEMORY_LIMIT = 1000;

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

/** The memory with `ids` appended (without repeats), trimmed to the newest `limit`. */
export function rememberAlerts(
  memory: readonly string[],
  ids: readonly string[],
  limit = ALERT_MEMORY_LIMIT,
): string[] {
  const fresh = ids.filter((id) => !memory.includes(id));
  const all = [...memory, ...new Set(fresh)];
  return all.slice(Math.max(0, all.length - limit));
}

/** Quakes at or above the threshold that have not alerted yet, newest first. */
export function pendingAlerts(
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
