import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  filtersFromParams,
  matches,
  parseSubscribe,
} from '../../../src/core/protocol.ts';
import type { Quake } from '../../../src/core/quake.ts';
import { catchError } from '../../helpers/catch.ts';

/** No filter: every quake passes, those without a magnitude too. */
const NO_FILTERS = { minMag: null, bbox: null };

const fiji: Quake = {
  id: 'us1',
  time: 0,
  updated: 0,
  mag: 5.1,
  magType: 'mb',
  place: 'Fiji',
  lat: -17.9,
  lon: -178.4,
  depth: 560,
  tsunami: false,
  status: 'reviewed',
  type: 'earthquake',
  url: null,
  alert: null,
  felt: null,
  cdi: null,
  mmi: null,
  tz: null,
};

describe('cursors', () => {
  it('round-trip, offsets beyond 2^53 included', () => {
    const cursor = {
      epoch: 'cluster-1',
      next: new Map([
        ['sismos:0', 15n],
        ['sismos-alertas:2', 9007199254740993n],
      ]),
    };
    const text = encodeCursor(cursor);
    expect(text).toBe('cluster-1;sismos:0=15,sismos-alertas:2=9007199254740993');
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([42, '', 'no-epoch', 'e;sismos=1', 'e;sismos:0=-1', 'e;sismos:0=1;x', 'x'.repeat(3000)])(
    'refuse %j',
    (text) => {
      expect(decodeCursor(text)).toBeNull();
    },
  );
});

describe('filters', () => {
  it('select by minimum magnitude, leaving out quakes without magnitude', () => {
    expect(matches({ minMag: 5, bbox: null }, fiji)).toBe(true);
    expect(matches({ minMag: 5.2, bbox: null }, fiji)).toBe(false);
    expect(matches({ minMag: 0, bbox: null }, { ...fiji, mag: null })).toBe(false);
    expect(matches(NO_FILTERS, { ...fiji, mag: null })).toBe(true);
  });

  it('select by a bounding box, also across the 180° meridian', () => {
    expect(matches({ minMag: null, bbox: [170, -25, -170, -10] }, fiji)).toBe(true);
    expect(matches({ minMag: null, bbox: [170, -25, -170, -10] }, { ...fiji, lon: 178 })).toBe(
      true,
    );
    expect(matches({ minMag: null, bbox: [170, -25, -170, -10] }, { ...fiji, lon: 0 })).toBe(false);
    expect(matches({ minMag: null, bbox: [-80, -60, -30, 15] }, fiji)).toBe(false);
  });

  it('are read from query parameters, with a clear reason when invalid', () => {
    expect(filtersFromParams(new URLSearchParams('minMag=4.5&bbox=-80,-60,-30,15'))).toEqual({
      minMag: 4.5,
      bbox: [-80, -60, -30, 15],
    });
    expect(filtersFromParams(new URLSearchParams(''))).toEqual(NO_FILTERS);
    expect(() => filtersFromParams(new URLSearchParams('minMag=big'))).toThrow(
      'minMag must be a number, got number NaN',
    );
    expect(() => filtersFromParams(new URLSearchParams('bbox=1,2,3'))).toThrow(
      /bbox must be \[west, south, east, north\]/,
    );
    expect(() => filtersFromParams(new URLSearchParams('bbox=0,50,10,40'))).toThrow(/bbox/);
  });
});

describe('parseSubscribe', () => {
  it('reads filters and a cursor', () => {
    const frame = parseSubscribe(
      '{"type":"subscribe","filters":{"minMag":3},"cursor":"e;sismos:0=4"}',
    );
    expect(frame).toEqual({
      type: 'subscribe',
      filters: { minMag: 3, bbox: null },
      cursor: { epoch: 'e', next: new Map([['sismos:0', 4n]]) },
    });
  });

  it.each([
    ['garbage', 'frame is not JSON'],
    ['{"type":"hello"}', 'expected {"type":"subscribe"'],
    ['{"type":"subscribe","cursor":"??"}', 'cursor is not one'],
    ['{"type":"subscribe","filters":{"minMag":"4"}}', 'minMag must be a number'],
  ])('refuses %s', (text, reason) => {
    expect((catchError(() => parseSubscribe(text)) as Error).message).toContain(reason);
  });
});
