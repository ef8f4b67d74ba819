/** Small type guards for untrusted JSON, shared by the feed parser and the message decoder. */

import { DAY_MS } from './time.ts';
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isLatitude(value: unknown): value is number {
  return isFiniteNumber(value) && value >= -90 && value <= 90;
}

export function isLongitude(value: unknown): value is number {
  return isFiniteNumber(value) && value >= -180 && value <= 180;
}

export function finiteOrNull(value: unknown): number | null {
  return isFiniteNumber(value) ? value : null;
}

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the times ISO 8601 writes with four-digit years. */
const FIRST_MS = -62_167_219_200_000;
const LAST_MS = 253_402_300_799_999;

/**
 * Whole epoch milliseconds of a year from 0000 to 9999, so the time can be written as the
 * ISO 8601 `timestamp` of a message (a Date reaches further, with six-digit years no reader takes).
 */
export function isEpochMs(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= FIRST_MS && value <= LAST_MS
  );
}

/**
 * What a quake may be before it is refused as not physical, whatever it came from (a USGS feed, a
 * Kafka message, a bridge frame), so the producer, the bridge and the page accept the same quakes.
 */
export const PLAUSIBLE = {
  /** Tiny events USGS lists go a little below 0; the largest ever measured is M9.5 (Chile, 1960). */
  minMag: -2,
  maxMag: 10.5,
  /** Negative above sea level (volcanoes, mountains); the deepest known quakes are near 700 km. */
  minDepthKm: -10,
  maxDepthKm: 1000,
  /** 1900-01-01T00:00:00Z: instrumental catalogues (ISC-GEM) start in the early 1900s. */
  firstTime: Date.UTC(1900, 0, 1),
  /** How far past the feed's generation time (or the reader's clock) an origin time may be: clock skew. */
  aheadMs: DAY_MS,
} as const;

export function isMagnitude(value: unknown): value is number {
  return isFiniteNumber(value) && value >= PLAUSIBLE.minMag && value <= PLAUSIBLE.maxMag;
}

export function isDepthKm(value: unknown): value is number {
  return isFiniteNumber(value) && value >= PLAUSIBLE.minDepthKm && value <= PLAUSIBLE.maxDepthKm;
}

/**
 * The latest origin time a quake may have: a day after the feed was generated, or after `now` (the
 * reader's clock) when the feed does not say or says a time still to come, so no quake is from the future.
 */
export function latestQuakeTime(generated: number | null, now: number): number {
  return Math.min(generated ?? now, now) + PLAUSIBLE.aheadMs;
}

/** An origin time, in epoch ms, from PLAUSIBLE.firstTime to `latest` (see latestQuakeTime). */
export function isQuakeTime(time: number, latest: number): boolean {
  return time >= PLAUSIBLE.firstTime && time <= latest;
}

/** A non-empty string, or null. */
export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function lowerOrNull(value: unknown): string | null {
  const text = stringOrNull(value);
  return text === null ? null : text.toLowerCase();
}

/** Keeps only http(s) URLs, so untrusted text can never become a javascript: link. */
export function safeHttpUrl(value: unknown): string | null {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value) ? value : null;
}
