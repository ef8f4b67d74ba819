/** Small type guards for untrusted JSON, shared by the feed parser and the message decoder. */

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

/** The largest epoch milliseconds a JavaScript Date holds (year 275760), either side of 1970. */
const MAX_DATE_MS = 8.64e15;

/** Whole epoch milliseconds that a Date holds, so the time can be written as ISO 8601. */
export function isEpochMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_DATE_MS;
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
