import { describeValue, MessageError } from './errors.ts';
import {
  isDepthKm,
  isEpochMs,
  isLatitude,
  isLongitude,
  isMagnitude,
  isObject,
  isQuakeTime,
  latestQuakeTime,
  lowerOrNull,
  PLAUSIBLE,
  safeHttpUrl,
  stringOrNull,
} from './guards.ts';
import type { Quake } from './quake.ts';

/**
 * The value of a record on the `sismos` topic: the challenge-4 message, with Spanish field
 * names as the course defines them. This module is the only place those names meet a Quake.
 */
export interface SismoMessage {
  id: string;
  magnitud: number | null;
  lugar: string | null;
  latitud: number;
  longitud: number;
  profundidad_km: number | null;
  /** Origin time, ISO 8601 UTC with milliseconds. */
  timestamp: string;
  tsunami: boolean;
  // Extras documented in the README; decoders treat all of them as optional.
  /** Time of this revision, ISO 8601 UTC; a larger value replaces an earlier record with the same key. */
  actualizado: string;
  tipo_magnitud: string | null;
  tipo_evento: string;
  estado: string | null;
  url: string | null;
}

export function toMessage(quake: Quake): SismoMessage {
  return {
    id: quake.id,
    magnitud: quake.mag,
    lugar: quake.place,
    latitud: quake.lat,
    longitud: quake.lon,
    profundidad_km: quake.depth,
    timestamp: new Date(quake.time).toISOString(),
    tsunami: quake.tsunami,
    actualizado: new Date(quake.updated).toISOString(),
    tipo_magnitud: quake.magType,
    tipo_evento: quake.type,
    estado: quake.status,
    url: quake.url,
  };
}

export function encodeMessage(quake: Quake): string {
  return JSON.stringify(toMessage(quake));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a record value back into a Quake, read at `now` (epoch ms). Accepts the eight challenge-4
 * fields alone (as any student's producer sends them) and validates the documented extras when
 * present. Throws MessageError naming the field and the value.
 */
export function decodeMessage(value: string | Uint8Array | null | undefined, now: number): Quake {
  return quakeFromMessage(readJson(value, 'message'), now);
}

/** decodeMessage, with the MessageError of a record it cannot read returned rather than thrown. */
export function readMessage(
  value: string | Uint8Array | null | undefined,
  now: number,
): Quake | MessageError {
  try {
    return decodeMessage(value, now);
  } catch (error) {
    if (error instanceof MessageError) return error;
    throw error;
  }
}

/**
 * decodeMessage, also giving the message's JSON text: a relay that has validated a message can
 * pass the text on as it is instead of encoding the quake again.
 */
export function decodeMessageText(
  value: string | Uint8Array | null | undefined,
  now: number,
): {
  quake: Quake;
  text: string;
} {
  const text = readText(value, 'message');
  return { quake: quakeFromMessage(parseJson(text, 'message'), now), text };
}

/**
 * Validates an already decoded challenge-4 message (e.g. one inside a bridge frame) into a Quake,
 * with the feed parser's plausibility rules (PLAUSIBLE); a message carries no generation time, so
 * its origin time may be at most a day after `now`, when it is read (the page's clock by default).
 * Liberal in the forms students' producers write: `tsunami` as true/false, 0/1, null or absent,
 * and the times as messageTime reads them. This is the one place those variants are understood.
 */
export function quakeFromMessage(value: unknown, now = Date.now()): Quake {
  const doc = requireObject(value, 'message');
  const id = requireField(doc, 'id', (v) => stringOrNull(v) !== null, 'a non-empty string');
  const time = timeField(doc, 'timestamp', now);
  const updated = timeField(doc, 'actualizado', null) ?? time;
  return {
    id: id as string,
    time,
    updated,
    mag: requireField(
      doc,
      'magnitud',
      (v) => v === null || isMagnitude(v),
      `a magnitude from ${PLAUSIBLE.minMag} to ${PLAUSIBLE.maxMag} or null`,
    ) as number | null,
    magType: stringOrNull(optionalText(doc, 'tipo_magnitud')),
    place: stringOrNull(
      requireField(doc, 'lugar', (v) => v === null || typeof v === 'string', 'a string or null'),
    ),
    lat: requireField(doc, 'latitud', isLatitude, 'a number in [-90, 90]') as number,
    lon: requireField(doc, 'longitud', isLongitude, 'a number in [-180, 180]') as number,
    depth: requireField(
      doc,
      'profundidad_km',
      (v) => v === null || isDepthKm(v),
      `a number of km from ${PLAUSIBLE.minDepthKm} to ${PLAUSIBLE.maxDepthKm} or null`,
    ) as number | null,
    tsunami: tsunamiField(doc),
    status: lowerOrNull(optionalText(doc, 'estado')),
    type: lowerOrNull(optionalText(doc, 'tipo_evento')) ?? 'earthquake',
    url: optionalUrl(doc),
    // The challenge-4 message carries no PAGER level, impact or time zone.
    alert: null,
    felt: null,
    cdi: null,
    mmi: null,
    tz: null,
  };
}

/**
 * The largest record value read as a message. A challenge-4 message is well under 1 KiB; anything
 * this big is not one, and is refused before being parsed.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

function byteLength(value: string | Uint8Array): number {
  return typeof value === 'string' ? new TextEncoder().encode(value).length : value.length;
}

/**
 * The JSON inside a record value: `what` ("message", "stats message") names it in the MessageError
 * thrown for an empty value, one over `maxBytes`, bytes that are not UTF-8, or text that is not JSON.
 */
export function readJson(
  value: string | Uint8Array | null | undefined,
  what: string,
  maxBytes = MAX_MESSAGE_BYTES,
): unknown {
  return parseJson(readText(value, what, maxBytes), what);
}

/** The text of a record value; MessageError for an empty value, one over `maxBytes`, or bytes that are not UTF-8. */
function readText(
  value: string | Uint8Array | null | undefined,
  what: string,
  maxBytes = MAX_MESSAGE_BYTES,
): string {
  if (value == null || value.length === 0) {
    throw new MessageError('MESSAGE_EMPTY', `${what} has no value`, null, value);
  }
  // A string of n characters takes n to 3n bytes: only count them when it matters.
  const size =
    typeof value !== 'string' || value.length * 3 > maxBytes ? byteLength(value) : value.length;
  if (size > maxBytes) {
    throw new MessageError(
      'MESSAGE_TOO_LARGE',
      `${what} of ${size} bytes is larger than the ${maxBytes} bytes a ${what} may have`,
      null,
      null,
    );
  }
  try {
    return typeof value === 'string' ? value : utf8.decode(value);
  } catch {
    throw new MessageError('MESSAGE_NOT_UTF8', `${what} is not UTF-8 text`, null, value);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MessageError(
      'MESSAGE_NOT_JSON',
      `${what} is not JSON: ${describeValue(text)}`,
      null,
      text,
    );
  }
}

/** `value` as an object, or a MessageError saying the `what` is not a JSON object. */
export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (!isObject(value)) {
    throw new MessageError(
      'MESSAGE_NOT_JSON',
      `${what} is not a JSON object: ${describeValue(value)}`,
      null,
      value,
    );
  }
  return value;
}

/** Returns `doc[name]` when `valid`; otherwise throws MessageError naming the field, what it must be and what it is. */
export function requireField(
  doc: Record<string, unknown>,
  name: string,
  valid: (value: unknown) => boolean,
  expected: string,
): unknown {
  const value = doc[name];
  if (!valid(value)) {
    throw new MessageError(
      'MESSAGE_BAD_FIELD',
      `field "${name}" must be ${expected}, got ${describeValue(value)}`,
      name,
      value,
    );
  }
  return value;
}

/** ISO 8601 date and time; the zone (group 3) may be missing. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A message time in epoch ms, or NaN: ISO 8601 with a zone; ISO 8601 without one, read as UTC (what
 * Python's `datetime.utcfromtimestamp(t).isoformat()` writes); or whole epoch milliseconds (USGS's
 * own `time`). A string of digits is none of these: it is refused rather than guessed at.
 */
export function messageTime(value: unknown): number {
  if (isEpochMs(value)) return value;
  if (typeof value !== 'string') return Number.NaN;
  const utc = toIsoStringTime(value);
  if (utc !== null) return utc;
  const iso = ISO_8601.exec(value);
  if (iso === null) return Number.NaN;
  return Date.parse(iso[3] === undefined ? `${value}Z` : value);
}

/**
 * The time of a text in the form Date.toISOString writes ("2024-01-15T10:30:00.000Z", as every
 * message this project encodes), read digit by digit: the regex and Date.parse cost the relay a
 * twentieth of its time. Null for any other text, or a date or time out of its range (Feb 30,
 * 24:00), which the general path reads (or refuses) as before.
 */
function toIsoStringTime(text: string): number | null {
  if (text.length !== 24 || text.charCodeAt(23) !== 0x5a) return null;
  // "-", "-", "T", ":", ":" and "." where toISOString writes them.
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54)
    return null;
  if (text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a || text.charCodeAt(19) !== 0x2e)
    return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const ms = digitsAt(text, 20, 3);
  // Date.UTC reads years 0 to 99 as 1900 to 1999; -1 is a character that is no digit.
  if (year < 100 || Math.min(hour, minute, second, ms) < 0) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The number the `count` decimal digits of `text` at `at` write; -1 when one is no digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

const TIME_EXPECTED =
  'an ISO 8601 time such as "2024-01-15T10:30:00Z" (without a zone it is read as UTC) or whole epoch milliseconds such as 1705314600000';

/**
 * `tsunami` as true/false, or as USGS writes it, 0/1; null or absent is false (old USGS feeds and
 * students copying them leave it out).
 */
function tsunamiField(doc: Record<string, unknown>): boolean {
  const value = requireField(
    doc,
    'tsunami',
    (v) => v == null || typeof v === 'boolean' || v === 0 || v === 1,
    'true/false, 0/1, or null',
  );
  return value === true || value === 1;
}

/** The origin time, required, no later than a day after `now`, when the message is read. */
function timeField(doc: Record<string, unknown>, name: 'timestamp', now: number): number;
/** A revision time, optional. */
function timeField(doc: Record<string, unknown>, name: 'actualizado', now: null): number | null;
function timeField(
  doc: Record<string, unknown>,
  name: keyof SismoMessage,
  now: number | null,
): number | null {
  const value = doc[name];
  if (now === null && value == null) return null;
  const ms = messageTime(value);
  if (!Number.isFinite(ms)) {
    throw new MessageError(
      'MESSAGE_BAD_FIELD',
      `field "${name}" must be ${TIME_EXPECTED}, got ${describeValue(value)}`,
      name,
      value,
    );
  }
  if (now !== null) {
    const latest = latestQuakeTime(null, now);
    if (!isQuakeTime(ms, latest)) {
      const range = `from ${new Date(PLAUSIBLE.firstTime).toISOString()} to a day after it was read (${new Date(latest).toISOString()})`;
      throw new MessageError(
        'MESSAGE_BAD_FIELD',
        `field "timestamp" must be a time ${range}, got ${describeValue(value)}`,
        name,
        value,
      );
    }
  }
  return ms;
}

function optionalText(doc: Record<string, unknown>, name: keyof SismoMessage): string | null {
  return requireField(doc, name, (v) => v == null || typeof v === 'string', 'a string or null') as
    | string
    | null;
}

function optionalUrl(doc: Record<string, unknown>): string | null {
  const value = doc.url;
  if (value == null) return null;
  return requireField(
    doc,
    'url',
    (v) => safeHttpUrl(v) !== null,
    'an http(s) URL or null',
  ) as string;
}
