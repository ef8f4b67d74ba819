/**
 * Live mode's data rules: a bridge snapshot's quakes and alerts merged into one version of each
 * quake, live quakes queued as the newest version of each, and the windows that leave once they
 * end before the bridge's time window (the quakes leave through QuakeStore.expire).
 */
import type { Quake } from './quake.ts';
import type { WindowStats } from './window.ts';

/** Keeps `quake` in `byId` unless it holds a version as new or newer (a later `updated` wins). */
export function keepNewestVersion(byId: Map<string, Quake>, quake: Quake): void {
  const known = byId.get(quake.id);
  if (known === undefined || quake.updated > known.updated) byId.set(quake.id, quake);
}

/**
 * The quakes of a snapshot: those of the `sismos` topic and those of the alerts topic by id,
 * the newest version of each, without the quakes older than `oldest` (event time).
 */
export function mergeSnapshot(
  quakes: readonly Quake[],
  alerts: readonly Quake[],
  oldest: number,
): Quake[] {
  const byId = new Map<string, Quake>();
  for (const quake of quakes) keepNewestVersion(byId, quake);
  for (const alert of alerts) keepNewestVersion(byId, alert);
  return [...byId.values()].filter((quake) => quake.time >= oldest);
}

/** Drops the windows (by start) that ended before `oldest`. */
export function expireWindows(windows: Map<number, WindowStats>, oldest: number): void {
  for (const [start, window] of windows) if (window.end < oldest) windows.delete(start);
}
