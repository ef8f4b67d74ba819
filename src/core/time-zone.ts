/**
 * The time zone every time on the page (list, popup, alerts, charts, exports) is written in:
 * the reader's, the epicentre's, or UTC, as on USGS Latest Earthquakes.
 */
import type { Quake } from './quake.ts';
import { MINUTE_MS } from './time.ts';

export const TIME_ZONES = ['local', 'epicentre', 'utc'] as const;
export type TimeZoneChoice = (typeof TIME_ZONES)[number];

/**
 * The epicentre's offset from UTC in minutes: USGS's `tz` when the feed gives it, else the
 * nautical time zone of the longitude (one hour per 15°, rounded), which needs no zone database
 * and is what a ship at the epicentre would keep; civil zones can differ by an hour or more.
 */
export function epicentreOffset(quake: Pick<Quake, 'lon' | 'tz'>): number {
  // "|| 0" turns the -0 of longitudes just west of Greenwich into 0.
  return quake.tz ?? (Math.round(quake.lon / 15) || 0) * 60;
}

/**
 * The offset in minutes to write a time in: `localOffset` gives the reader's at an instant; a
 * time that belongs to no one quake (a chart axis, the feed's age) is written in UTC when the
 * choice is the epicentre.
 */
export function offsetFor(
  choice: TimeZoneChoice,
  ms: number,
  quake: Pick<Quake, 'lon' | 'tz'> | null,
  localOffset: (ms: number) => number,
): number {
  if (choice === 'local') return localOffset(ms);
  if (choice === 'epicentre' && quake !== null) return epicentreOffset(quake);
  return 0;
}

/** "UTC", "UTC+9", "UTC-3:30". */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const rest = abs % 60;
  return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${rest === 0 ? '' : `:${pad(rest)}`}`;
}

/** ISO 8601 with the offset written out: "2024-01-15T19:30:00.000+09:00", or "…Z" at offset 0. */
export function isoWithOffset(ms: number, minutes: number): string {
  const shifted = new Date(ms + minutes * MINUTE_MS).toISOString().slice(0, -1);
  if (minutes === 0) return `${shifted}Z`;
  const abs = Math.abs(minutes);
  return `${shifted}${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
