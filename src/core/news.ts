/**
 * What counts as news on the page: a quake that arrives in an update (a poll, a live batch) and
 * happened after the previous update, less the time USGS may take to list it. A first load is
 * all backlog, and so is a feed that suddenly brings a week of older quakes: neither marks
 * quakes NEW nor raises alert cards.
 */
import type { Quake } from './quake.ts';
import { HOUR_MS } from './time.ts';

/** USGS lists most quakes within minutes, remote ones within the hour. */
export const REPORTING_DELAY_MS = HOUR_MS;

/**
 * The origin time after which a quake arriving now is news, given when the data on screen before
 * this update was generated; null (nothing is news) when nothing was on screen.
 */
export function newsSince(previousGenerated: number | null): number | null {
  return previousGenerated === null ? null : previousGenerated - REPORTING_DELAY_MS;
}

export function isNews(quake: Quake, since: number | null): boolean {
  return since !== null && quake.time > since;
}

/** The ids of the quakes of an update that are news. */
export function newsIds(added: readonly Quake[], since: number | null): Set<string> {
  return new Set(added.filter((quake) => isNews(quake, since)).map((quake) => quake.id));
}
