import { decodeMessage, encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';

/** A valid quake (the seed's Tokyo example) with any fields replaced. */
export function makeQuake(overrides: Partial<Quake> = {}): Quake {
  return {
    id: 'us7000abcd',
    time: Date.UTC(2024, 0, 15, 10, 30),
    updated: Date.UTC(2024, 0, 15, 10, 30),
    mag: 5.2,
    magType: 'mww',
    place: '10km S of Tokyo, Japan',
    lat: 35.6,
    lon: 139.7,
    depth: 10.5,
    tsunami: false,
    status: 'reviewed',
    type: 'earthquake',
    url: null,
    alert: null,
    felt: null,
    cdi: null,
    mmi: null,
    tz: null,
    ...overrides,
  };
}

/** The value fields of a `sismos` record, in order: the eight of challenge 4, then the README's extras. */
export const MESSAGE_FIELDS = [
  'id',
  'magnitud',
  'lugar',
  'latitud',
  'longitud',
  'profundidad_km',
  'timestamp',
  'tsunami',
  'actualizado',
  'tipo_magnitud',
  'tipo_evento',
  'estado',
  'url',
];

/** Quake fields the challenge-4 message does not carry: they read back as null. */
const NOT_IN_MESSAGE = new Set(['alert', 'felt', 'cdi', 'mmi', 'tz']);

const QUAKE_KEYS = [
  'id',
  'time',
  'updated',
  'mag',
  'magType',
  'place',
  'lat',
  'lon',
  'depth',
  'tsunami',
  'status',
  'type',
  'url',
  'alert',
  'felt',
  'cdi',
  'mmi',
  'tz',
];

/**
 * What is wrong with `quake` as a Quake, checked here without the code under test: the shape,
 * each field's type and range (magnitude -2 to 10.5, depth -10 to 1000 km, no time before 1900;
 * the latest time depends on the feed, see feed-hostile.test.ts), and that it travels as a challenge-4 message and reads back the
 * same (so every Kafka reader accepts it). Empty when it is a valid quake.
 */
export function quakeProblems(quake: unknown): string[] {
  if (typeof quake !== 'object' || quake === null) return [`not an object: ${String(quake)}`];
  const q = quake as Record<string, unknown>;
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  const textOrNull = (v: unknown) => v === null || text(v);
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  // A time the message's ISO 8601 can write: a Date, with a four-digit year.
  const epochMs = (v: unknown) =>
    typeof v === 'number' &&
    Number.isInteger(v) &&
    Math.abs(v) <= 8.64e15 &&
    /^\d{4}-/.test(new Date(v).toISOString());
  const lower = (v: unknown) => typeof v !== 'string' || v === v.toLowerCase();
  const plausible = (v: unknown, min: number, max: number) =>
    (v as number) >= min && (v as number) <= max;

  check(
    JSON.stringify(Object.keys(q).sort()) === JSON.stringify([...QUAKE_KEYS].sort()),
    `keys ${Object.keys(q).join(',')}`,
  );
  check(text(q.id), 'id is not a non-empty string');
  check(epochMs(q.time), `time ${String(q.time)} is not the epoch ms of a year 0000-9999`);
  check(epochMs(q.updated), `updated ${String(q.updated)} is not the epoch ms of a year 0000-9999`);
  check(q.mag === null || (finite(q.mag) && plausible(q.mag, -2, 10.5)), `mag ${String(q.mag)}`);
  check(textOrNull(q.magType), 'magType');
  check(textOrNull(q.place), 'place');
  check(finite(q.lat) && Math.abs(q.lat as number) <= 90, `lat ${String(q.lat)}`);
  check(finite(q.lon) && Math.abs(q.lon as number) <= 180, `lon ${String(q.lon)}`);
  check(
    q.depth === null || (finite(q.depth) && plausible(q.depth, -10, 1000)),
    `depth ${String(q.depth)}`,
  );
  check(
    (q.time as number) >= Date.UTC(1900, 0, 1),
    `time ${String(q.time)} is before 1900, the earliest instrumental catalogues`,
  );
  check(typeof q.tsunami === 'boolean', 'tsunami');
  check(textOrNull(q.status) && lower(q.status), 'status');
  check(text(q.type) && lower(q.type), 'type');
  check(q.url === null || (typeof q.url === 'string' && /^https?:\/\/\S+$/i.test(q.url)), 'url');
  check([null, 'green', 'yellow', 'orange', 'red'].includes(q.alert as string | null), 'alert');
  check(q.felt === null || (Number.isSafeInteger(q.felt) && (q.felt as number) >= 0), 'felt');
  for (const key of ['cdi', 'mmi'] as const) {
    check(q[key] === null || (finite(q[key]) && plausible(q[key], 0, 12)), key);
  }
  check(q.tz === null || (Number.isInteger(q.tz) && Math.abs(q.tz as number) <= 840), 'tz');
  if (problems.length > 0) return problems;
  try {
    const back: Record<string, unknown> = {
      ...decodeMessage(encodeMessage(quake as Quake), Date.now()),
    };
    const changed = QUAKE_KEYS.filter((key) => !NOT_IN_MESSAGE.has(key) && back[key] !== q[key]);
    check(
      changed.length === 0,
      `${changed.join(', ')} read back changed from its challenge-4 message`,
    );
  } catch (error) {
    problems.push(`its challenge-4 message is refused: ${(error as Error).message}`);
  }
  return problems;
}
