import { isFiniteNumber } from './guards.ts';
import { readJson, requireField, requireObject } from './message.ts';
import type { WindowStats } from './window.ts';

/**
 * The value of a record on `sismos-stats`, keyed by the window start: one window's figures, with
 * Spanish field names like the challenge-4 message. The TypeScript stats service and the Spark job
 * both write exactly this.
 */
export interface StatsMessage {
  /** Window start, ISO 8601 UTC with milliseconds (also the record key). */
  inicio: string;
  /** Window end (exclusive), ISO 8601 UTC with milliseconds. */
  fin: string;
  /** Every quake in the window, with or without magnitude. */
  cantidad: number;
  /** Quakes with a magnitude: the average and maximum are over these only. */
  con_magnitud: number;
  magnitud_promedio: number | null;
  magnitud_maxima: number | null;
}

export function toStatsMessage(stats: WindowStats): StatsMessage {
  return {
    inicio: new Date(stats.start).toISOString(),
    fin: new Date(stats.end).toISOString(),
    cantidad: stats.count,
    con_magnitud: stats.withMagnitude,
    magnitud_promedio: stats.avgMag,
    magnitud_maxima: stats.maxMag,
  };
}

export function encodeStatsMessage(stats: WindowStats): string {
  return JSON.stringify(toStatsMessage(stats));
}

/** Reads a `sismos-stats` value; throws MessageError naming the field and value. */
export function decodeStatsMessage(value: string | Uint8Array | null | undefined): WindowStats {
  return windowFromMessage(readJson(value, 'stats message'));
}

/** Validates an already decoded sismos-stats message (e.g. one inside a bridge frame). */
export function windowFromMessage(value: unknown): WindowStats {
  const doc = requireObject(value, 'stats message');
  const start = time(doc, 'inicio');
  const end = time(doc, 'fin');
  const count = requireField(doc, 'cantidad', isCount, 'a whole number >= 0') as number;
  const withMagnitude = requireField(doc, 'con_magnitud', isCount, 'a whole number >= 0') as number;
  const magnitude = (v: unknown) => (withMagnitude === 0 ? v === null : isFiniteNumber(v));
  const expected = withMagnitude === 0 ? 'null when con_magnitud is 0' : 'a number';
  return {
    start,
    end,
    count,
    withMagnitude,
    avgMag: requireField(doc, 'magnitud_promedio', magnitude, expected) as number | null,
    maxMag: requireField(doc, 'magnitud_maxima', magnitude, expected) as number | null,
  };
}

function isCount(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}

function time(doc: Record<string, unknown>, name: keyof StatsMessage): number {
  const iso = (value: unknown) => typeof value === 'string' && Number.isFinite(Date.parse(value));
  return Date.parse(requireField(doc, name, iso, 'an ISO 8601 time') as string);
}
