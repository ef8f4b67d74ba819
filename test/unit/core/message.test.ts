import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageError } from '../../../src/core/errors.ts';
import { parseFeedText } from '../../../src/core/feed.ts';
import {
  decodeMessage,
  decodeMessageText,
  encodeMessage,
  MAX_MESSAGE_BYTES,
  messageTime,
  readJson,
  toMessage,
} from '../../../src/core/message.ts';
import { catchError } from '../../helpers/catch.ts';
import { FIXTURES, fixtureText } from '../../helpers/fixtures.ts';
import { MESSAGE_FIELDS, makeQuake } from '../../helpers/quake.ts';
import { runs } from '../../helpers/seed.ts';

const week = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
/** When the messages are read: a message's origin time may be at most a day after it. */
const READ_AT = Date.UTC(2024, 0, 16, 12);

describe('toMessage', () => {
  it('has the eight challenge-4 fields plus only the documented extras', () => {
    expect(Object.keys(toMessage(week[0]!))).toEqual(MESSAGE_FIELDS);
  });

  it('writes the seed example exactly: ISO timestamp with milliseconds, boolean tsunami', () => {
    const message = toMessage({
      id: 'us7000abcd',
      time: Date.UTC(2024, 0, 15, 10, 30),
      updated: Date.UTC(2024, 0, 15, 10, 45, 1, 5),
      mag: 4.5,
      magType: 'mb',
      place: '10km SSW of Somewhere',
      lat: -33.45,
      lon: -70.66,
      depth: 10,
      tsunami: false,
      status: 'reviewed',
      type: 'earthquake',
      url: null,
      alert: null,
      felt: null,
      cdi: null,
      mmi: null,
      tz: null,
    });
    expect(message).toMatchObject({
      id: 'us7000abcd',
      magnitud: 4.5,
      lugar: '10km SSW of Somewhere',
      latitud: -33.45,
      longitud: -70.66,
      profundidad_km: 10.0,
      timestamp: '2024-01-15T10:30:00.000Z',
      tsunami: false,
      actualizado: '2024-01-15T10:45:01.005Z',
    });
  });
});

describe('decodeMessage', () => {
  it.each(FIXTURES)('round-trips every quake of %s', (name) => {
    for (const quake of parseFeedText(fixtureText(name)).quakes) {
      // PAGER levels, impact and time zone are not part of the message.
      expect(decodeMessage(encodeMessage(quake), READ_AT)).toEqual({
        ...quake,
        alert: null,
        felt: null,
        cdi: null,
        mmi: null,
        tz: null,
      });
    }
  });

  it('gives the text it decoded with the quake, and refuses what decodeMessage refuses', () => {
    const text = encodeMessage(week[3]!);
    const decoded = decodeMessageText(new TextEncoder().encode(text), READ_AT);
    expect(decoded).toEqual({ quake: decodeMessage(text, READ_AT), text });
    for (const bad of ['', '{"id":', '{"id":"x"}', new Uint8Array([0xff, 0xfe])]) {
      expect(catchError(() => decodeMessageText(bad, READ_AT))).toEqual(
        catchError(() => decodeMessage(bad, READ_AT)),
      );
    }
  });

  it('decodes bytes as Kafka delivers them', () => {
    const bytes = new TextEncoder().encode(encodeMessage(week[3]!));
    expect(decodeMessage(bytes, READ_AT).id).toBe(week[3]!.id);
  });

  it('accepts a student message with only the eight challenge-4 fields', () => {
    const quake = decodeMessage(
      JSON.stringify({
        id: 'us7000abcd',
        magnitud: 5.2,
        lugar: '10km S of Tokyo, Japan',
        latitud: 35.6,
        longitud: 139.7,
        profundidad_km: 10.5,
        timestamp: '2024-01-15T10:30:00+00:00',
        tsunami: true,
      }),
      READ_AT,
    );
    expect(quake).toEqual({
      id: 'us7000abcd',
      time: Date.UTC(2024, 0, 15, 10, 30),
      updated: Date.UTC(2024, 0, 15, 10, 30),
      mag: 5.2,
      magType: null,
      place: '10km S of Tokyo, Japan',
      lat: 35.6,
      lon: 139.7,
      depth: 10.5,
      tsunami: true,
      status: null,
      type: 'earthquake',
      url: null,
      alert: null,
      felt: null,
      cdi: null,
      mmi: null,
      tz: null,
    });
  });

  it.each([
    ['a null value', null, 'MESSAGE_EMPTY', null],
    ['an empty value', '', 'MESSAGE_EMPTY', null],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'MESSAGE_NOT_UTF8', null],
    ['plain text', 'hola mundo', 'MESSAGE_NOT_JSON', null],
    ['a JSON array', '[1,2]', 'MESSAGE_NOT_JSON', null],
  ])('rejects %s with %s', (_label, value, code, field) => {
    const error = catchError(() => decodeMessage(value, READ_AT));
    expect(error).toBeInstanceOf(MessageError);
    expect(error).toMatchObject({ code, field, retriable: false });
  });

  const valid = JSON.parse(encodeMessage(week[0]!));
  it.each([
    [
      'magnitud',
      '5.2',
      'field "magnitud" must be a magnitude from -2 to 10.5 or null, got string "5.2"',
    ],
    ['latitud', 100, 'field "latitud" must be a number in [-90, 90], got number 100'],
    ['longitud', undefined, 'field "longitud" must be a number in [-180, 180], got missing'],
    ['tsunami', 'true', 'field "tsunami" must be true/false, 0/1, or null, got string "true"'],
    ['tsunami', 2, 'field "tsunami" must be true/false, 0/1, or null, got number 2'],
    [
      'timestamp',
      'ayer',
      'field "timestamp" must be an ISO 8601 time such as "2024-01-15T10:30:00Z" (without a zone it is read as UTC) or whole epoch milliseconds such as 1705314600000, got string "ayer"',
    ],
    ['timestamp', '1705314600000', 'got string "1705314600000"'],
    ['timestamp', 1705314600000.5, 'got number 1705314600000.5'],
    ['timestamp', '2024-01-15 10:30:00', 'got string "2024-01-15 10:30:00"'],
    ['id', '', 'field "id" must be a non-empty string, got string ""'],
    ['url', 'javascript:alert(1)', 'field "url" must be an http(s) URL or null'],
    ['actualizado', true, 'field "actualizado" must be an ISO 8601 time such as'],
  ])('names the field and the value when %s is wrong', (field, value, message) => {
    const error = catchError(() =>
      decodeMessage(JSON.stringify({ ...valid, [field]: value }), READ_AT),
    );
    expect(error).toMatchObject({ code: 'MESSAGE_BAD_FIELD', field, value });
    expect((error as Error).message).toContain(message);
  });

  const T = Date.UTC(2024, 0, 15, 10, 30);
  it.each([
    ['tsunami true', { tsunami: true }, { tsunami: true }],
    ['tsunami 1 (USGS)', { tsunami: 1 }, { tsunami: true }],
    ['tsunami 0 (USGS)', { tsunami: 0 }, { tsunami: false }],
    ['tsunami null', { tsunami: null }, { tsunami: false }],
    ['no tsunami', { tsunami: undefined }, { tsunami: false }],
    ['a time with an offset', { timestamp: '2024-01-15T12:30:00+02:00' }, { time: T }],
    ['a zone-less time, as UTC', { timestamp: '2024-01-15T10:30:00' }, { time: T }],
    [
      "Python's utcfromtimestamp().isoformat(), microseconds",
      { timestamp: '2024-01-15T10:30:00.123456' },
      { time: T + 123 },
    ],
    ['epoch milliseconds (USGS)', { timestamp: T }, { time: T }],
    ['a revision in epoch milliseconds', { actualizado: T + 5 }, { updated: T + 5 }],
  ])('accepts %s', (_label, fields, expected) => {
    const value = JSON.stringify({ ...valid, timestamp: '2024-01-15T10:30:00Z', ...fields });
    expect(decodeMessage(value, READ_AT)).toMatchObject(expected);
  });

  it('reads every quake the same whichever accepted form its time and tsunami flag are written in', () => {
    const forms = fc.record({
      time: fc.constantFrom('iso', 'offset', 'naive', 'micro', 'epoch-ms'),
      tsunami: fc.constantFrom('bool', 'number', 'null', 'omit'),
    });
    fc.assert(
      fc.property(fc.constantFrom(...week), fc.boolean(), forms, (quake, flag, form) => {
        // The message carries neither the PAGER level nor the impact figures.
        const original = {
          ...quake,
          tsunami: flag,
          alert: null,
          felt: null,
          cdi: null,
          mmi: null,
          tz: null,
        };
        const doc: Record<string, unknown> = { ...toMessage(original) };
        const iso = new Date(original.time).toISOString();
        doc.timestamp = {
          iso,
          offset: new Date(original.time + 3_600_000).toISOString().replace('Z', '+01:00'),
          naive: iso.replace('Z', ''),
          micro: iso.replace('Z', '999'),
          'epoch-ms': original.time,
        }[form.time];
        if (form.tsunami === 'number') doc.tsunami = original.tsunami ? 1 : 0;
        if (form.tsunami === 'null' || form.tsunami === 'omit') original.tsunami = false;
        if (form.tsunami === 'null') doc.tsunami = null;
        if (form.tsunami === 'omit') delete doc.tsunami;
        expect(decodeMessage(JSON.stringify(doc), READ_AT)).toEqual(original);
      }),
      runs(500),
    );
  });

  it("applies the feed parser's plausibility rules: magnitude, depth and origin time", () => {
    const day = 86_400_000;
    const at = (ms: number) => new Date(ms).toISOString();
    const soon = at(READ_AT + day - 60_000);
    for (const [field, value] of [
      ['magnitud', -2],
      ['magnitud', 10.5],
      ['profundidad_km', -10],
      ['profundidad_km', 1000],
      ['timestamp', '1900-01-01T00:00:00.000Z'],
      ['timestamp', soon],
    ] as const) {
      expect(() =>
        decodeMessage(JSON.stringify({ ...valid, [field]: value }), READ_AT),
      ).not.toThrow();
    }
    for (const [field, value, reason] of [
      ['magnitud', -2.01, 'field "magnitud" must be a magnitude from -2 to 10.5 or null'],
      ['magnitud', 1e308, 'field "magnitud" must be a magnitude from -2 to 10.5 or null'],
      ['profundidad_km', -10.1, 'field "profundidad_km" must be a number of km from -10 to 1000'],
      ['profundidad_km', 1e300, 'field "profundidad_km" must be a number of km from -10 to 1000'],
      [
        'timestamp',
        '1899-12-31T23:59:59.999Z',
        'field "timestamp" must be a time from 1900-01-01T00:00:00.000Z to a day after it was read',
      ],
      ['timestamp', '0000-01-01T00:00:00.000Z', 'got string "0000-01-01T00:00:00.000Z"'],
      ['timestamp', at(READ_AT + day + 1), 'to a day after it was read'],
      ['timestamp', '3000-01-01T00:00:00.000Z', 'got string "3000-01-01T00:00:00.000Z"'],
    ] as const) {
      const error = catchError(() =>
        decodeMessage(JSON.stringify({ ...valid, [field]: value }), READ_AT),
      );
      expect(error, `${field} ${value}`).toMatchObject({ code: 'MESSAGE_BAD_FIELD', field, value });
      expect((error as Error).message).toContain(reason);
    }
  });

  it('takes the time it is read at from its caller: a day after it, the same message passes', () => {
    const tomorrow = JSON.stringify({
      ...valid,
      timestamp: new Date(READ_AT + 36 * 3_600_000).toISOString(),
    });
    expect(catchError(() => decodeMessage(tomorrow, READ_AT))).toMatchObject({
      code: 'MESSAGE_BAD_FIELD',
      field: 'timestamp',
    });
    expect(decodeMessage(tomorrow, READ_AT + 12 * 3_600_000).time).toBe(READ_AT + 36 * 3_600_000);
  });

  it('refuses a value over the size limit before parsing it, naming both sizes', () => {
    const huge = encodeMessage(makeQuake({ place: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    const error = catchError(() => decodeMessage(Buffer.from(huge), READ_AT));
    expect(error).toMatchObject({ code: 'MESSAGE_TOO_LARGE', retriable: false });
    expect((error as Error).message).toBe(
      `message of ${huge.length} bytes is larger than the 65536 bytes a message may have`,
    );
    // Characters are not bytes: 40 "ñ" are 80 bytes.
    expect(catchError(() => readJson('ñ'.repeat(40), 'message', 64))).toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
    });
    expect(readJson('"ñññ"', 'message', 8)).toBe('ñññ');
  });

  it('clips huge values in error messages', () => {
    const error = catchError(() =>
      decodeMessage(JSON.stringify({ ...valid, magnitud: 'x'.repeat(1e6) }), READ_AT),
    );
    expect((error as Error).message.length).toBeLessThan(200);
  });
});

describe('messageTime', () => {
  /** Text in the form Date.toISOString writes, with any digits in it (valid dates or not). */
  const isoShaped = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([y, mo, d, h, mi, s, ms]) => {
      const pad = (n: number, width = 2) => String(n).padStart(width, '0');
      return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}Z`;
    });

  it('reads a time in the form of toISOString exactly as Date.parse does, out-of-range dates included', () => {
    fc.assert(
      fc.property(isoShaped, (text) => {
        expect(messageTime(text)).toBe(Date.parse(text));
      }),
      runs(2000),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(messageTime(new Date(ms).toISOString())).toBe(ms);
      }),
      runs(1000),
    );
  });

  it('still refuses text of that length that is not such a time', () => {
    for (const text of [
      '2024-01-15T10:30:00.000X',
      '2024-01-15 10:30:00.000Z',
      '2024-01-15T10:30:0a.000Z',
      '2024-1-15T10:30:00.0000Z',
      '+2024-01-15T10:30:00.00Z',
    ])
      expect(messageTime(text)).toBeNaN();
  });
});
