import { describeValue, ProtocolError } from './errors.ts';
import { isFiniteNumber, isLatitude, isLongitude, isObject } from './guards.ts';
import type { SismoMessage } from './message.ts';
import type { Quake } from './quake.ts';
import type { StatsMessage } from './stats-message.ts';
import { DAY_MS } from './time.ts';

/**
 * The bridge's WebSocket protocol (docs/protocol.md), shared by the Node bridge and the dashboard.
 * Quakes and alerts travel as challenge-4 messages and windows as sismos-stats messages, exactly as
 * they are on Kafka, so both ends decode them with the same functions.
 */

/** How far back (event time) a bridge keeps quakes for its snapshot unless configured otherwise. */
export const DEFAULT_WINDOW_MS = DAY_MS;

/**
 * The highest protocol version this end speaks. A client asks for one with `?v=` (docs/protocol.md,
 * "Versions"); without it, it is spoken version 1.
 */
export const PROTOCOL_VERSION = 2;

/** Close codes a client can act on. */
export const CloseCode = {
  /** The bridge is shutting down; reconnect later and resume by cursor. */
  goingAway: 1001,
  /** A frame the bridge could not understand. */
  badRequest: 4000,
  /** The bridge failed to serve the client (its log says why); reconnect later. */
  internalError: 1011,
  /** The client read too slowly and fell too far behind; reconnect and resume by cursor. */
  tooSlow: 4008,
  /** Too many connections, from the client's address or in all; reconnect later. */
  tooManyConnections: 4029,
} as const;

/** Where a client is in the relayed streams: per "topic:partition", the offset of the next record. */
export interface Cursor {
  /** Identity of the stream the offsets belong to (a Kafka cluster, or one run of direct mode). */
  readonly epoch: string;
  readonly next: ReadonlyMap<string, bigint>;
}

export type StreamKind = 'quake' | 'alert' | 'stats';

/** One relayed record as a frame carries it: alone (version 1, with its cursor) or in a batch (version 2). */
export type RecordItem =
  | { type: 'quake'; quake: SismoMessage }
  | { type: 'alert'; quake: SismoMessage }
  | { type: 'stats'; window: StatsMessage };

export type ServerFrame =
  | { type: 'hello'; version: number; mode: 'kafka' | 'direct'; windowMs: number }
  | {
      type: 'snapshot';
      /** Why the client got a fresh snapshot instead of the records after its cursor. */
      reset: string | null;
      quakes: SismoMessage[];
      alerts: SismoMessage[];
      stats: StatsMessage[];
      cursor: string;
    }
  | { type: 'quake'; quake: SismoMessage; cursor: string }
  | { type: 'alert'; quake: SismoMessage; cursor: string }
  | { type: 'stats'; window: StatsMessage; cursor: string }
  /** Version 2: the records that arrived together, in order, and the cursor after the last. */
  | { type: 'batch'; items: RecordItem[]; cursor: string }
  /** The source behind the bridge (USGS in direct mode, Kafka otherwise) is failing or recovered. */
  | { type: 'source'; ok: boolean; message: string };

/** Server-side filters: quakes and alerts outside them are not sent; windows always are. */
export interface Filters {
  /** Only quakes with a magnitude at least this; null for all (including those without magnitude). */
  readonly minMag: number | null;
  /** [west, south, east, north] in degrees; west > east crosses the 180° meridian. */
  readonly bbox: readonly [number, number, number, number] | null;
}

/** The one frame a client sends: its filters and, to resume, its last cursor. */
interface SubscribeFrame {
  readonly type: 'subscribe';
  readonly filters: Filters;
  readonly cursor: Cursor | null;
}

/** A cursor as text: `epoch;topic:partition=offset,...` (decodeCursor reads it back). */
export function encodeCursor(cursor: Cursor): string {
  return cursorText(
    cursor.epoch,
    [...cursor.next].map(([position, next]) => cursorPart(position, next)),
  );
}

/** One partition's part of a cursor's text: "sismos:0=152". */
export function cursorPart(position: string, next: bigint): string {
  return `${position}=${next}`;
}

/** A cursor's text from its epoch and its parts, in order: what encodeCursor writes. */
export function cursorText(epoch: string, parts: readonly string[]): string {
  return `${epoch};${parts.join(',')}`;
}

/** Reads a cursor; null when it is not one (a client may send anything). */
export function decodeCursor(text: unknown): Cursor | null {
  if (typeof text !== 'string' || text.length > 2000) return null;
  const split = text.indexOf(';');
  if (split <= 0) return null;
  const next = new Map<string, bigint>();
  const body = text.slice(split + 1);
  for (const part of body === '' ? [] : body.split(',')) {
    const match = /^([\w.-]+:\d+)=(\d+)$/.exec(part);
    if (match === null) return null;
    next.set(match[1] as string, BigInt(match[2] as string));
  }
  return { epoch: text.slice(0, split), next };
}

export function matches(filters: Filters, quake: Quake): boolean {
  if (filters.minMag !== null && (quake.mag === null || quake.mag < filters.minMag)) return false;
  if (filters.bbox === null) return true;
  const [west, south, east, north] = filters.bbox;
  if (quake.lat < south || quake.lat > north) return false;
  return west <= east
    ? quake.lon >= west && quake.lon <= east
    : quake.lon >= west || quake.lon <= east;
}

/**
 * The version spoken with a client that asked for `?v=` (none: 1): the highest both ends know, so a
 * client newer than the bridge gets what the bridge speaks. Throws ProtocolError when not a whole number >= 1.
 */
export function versionFromParams(params: URLSearchParams): number {
  const asked = params.get('v');
  if (asked === null) return 1;
  if (!/^[1-9]\d{0,8}$/.test(asked)) {
    throw new ProtocolError(
      'PROTOCOL_BAD_VERSION',
      `v must be a protocol version (1, 2, ...), got ${describeValue(asked)}`,
    );
  }
  return Math.min(Number(asked), PROTOCOL_VERSION);
}

/** Reads filters from URL query parameters (`minMag`, `bbox=w,s,e,n`); throws ProtocolError when invalid. */
export function filtersFromParams(params: URLSearchParams): Filters {
  const minMag = params.get('minMag');
  const bbox = params.get('bbox');
  return parseFilters({
    minMag: minMag === null || minMag === '' ? null : Number(minMag),
    bbox: bbox === null || bbox === '' ? null : bbox.split(',').map(Number),
  });
}

/** Reads a client's subscribe frame; throws ProtocolError with the reason when it is not one. */
export function parseSubscribe(text: string): SubscribeFrame {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ProtocolError('PROTOCOL_NOT_JSON', `frame is not JSON: ${describeValue(text)}`);
  }
  if (!isObject(doc) || doc.type !== 'subscribe')
    throw new ProtocolError('PROTOCOL_NOT_SUBSCRIBE', 'expected {"type":"subscribe", ...}');
  const cursor = doc.cursor == null ? null : decodeCursor(doc.cursor);
  if (doc.cursor != null && cursor === null)
    throw new ProtocolError(
      'PROTOCOL_BAD_CURSOR',
      `cursor is not one: ${describeValue(doc.cursor)}`,
    );
  return { type: 'subscribe', filters: parseFilters(doc.filters ?? {}), cursor };
}

function parseFilters(value: unknown): Filters {
  if (!isObject(value)) {
    throw new ProtocolError(
      'PROTOCOL_BAD_FILTERS',
      `filters must be an object, got ${describeValue(value)}`,
    );
  }
  const { minMag = null, bbox = null } = value;
  if (minMag !== null && !isFiniteNumber(minMag)) {
    throw new ProtocolError(
      'PROTOCOL_BAD_FILTERS',
      `minMag must be a number, got ${describeValue(minMag)}`,
    );
  }
  if (bbox !== null && !isBbox(bbox)) {
    throw new ProtocolError(
      'PROTOCOL_BAD_FILTERS',
      `bbox must be [west, south, east, north] in degrees, got ${describeValue(bbox)}`,
    );
  }
  return { minMag, bbox: bbox as Filters['bbox'] };
}

function isBbox(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [west, south, east, north] = value as unknown[];
  return (
    isLongitude(west) &&
    isLongitude(east) &&
    isLatitude(south) &&
    isLatitude(north) &&
    south <= north
  );
}
