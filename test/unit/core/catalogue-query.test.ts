import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_LIMIT,
  catalogueUrl,
  USGS_CATALOGUE,
} from '../../../src/core/catalogue-query.ts';
import { inBox } from '../../../src/core/map-view.ts';

const query = {
  start: Date.UTC(2024, 0, 1),
  end: Date.UTC(2024, 0, 8),
  minMag: 4.5,
  maxMag: null,
  region: null,
};

function paramsOf(result: ReturnType<typeof catalogueUrl>): Record<string, string> {
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return Object.fromEntries(new URL(result.url).searchParams);
}

describe('the catalogue search', () => {
  it('builds a GeoJSON FDSN event query on USGS, newest first, within its limit', () => {
    const result = catalogueUrl(query);
    expect(result.ok && result.url.startsWith(`${USGS_CATALOGUE}?`)).toBe(true);
    expect(paramsOf(result)).toEqual({
      format: 'geojson',
      orderby: 'time',
      limit: String(CATALOGUE_LIMIT),
      starttime: '2024-01-01T00:00:00.000Z',
      endtime: '2024-01-08T00:00:00.000Z',
      minmagnitude: '4.5',
    });
  });

  it('leaves out what is not limited: no end polls up to now', () => {
    expect(
      paramsOf(catalogueUrl({ start: null, end: null, minMag: null, maxMag: 6, region: null })),
    ).toEqual({ format: 'geojson', orderby: 'time', limit: '20000', maxmagnitude: '6' });
  });

  it('queries the map view, wrapping longitudes into what USGS accepts', () => {
    const box = { south: -95, north: 40.12345, west: -200, east: -100 };
    const params = paramsOf(catalogueUrl({ ...query, region: box }));
    expect(params).toMatchObject({
      minlatitude: '-90',
      maxlatitude: '40.123',
      minlongitude: '-200',
      maxlongitude: '-100',
    });
    const across = paramsOf(
      catalogueUrl({ ...query, region: { south: 0, north: 1, west: 100, east: 430 } }),
    );
    expect([across.minlongitude, across.maxlongitude]).toEqual(['-260', '70']);
    const world = paramsOf(
      catalogueUrl({ ...query, region: { south: -80, north: 80, west: -400, east: 400 } }),
    );
    expect(world.minlongitude).toBeUndefined();
    expect(world.minlatitude).toBe('-80');
  });

  it('keeps every longitude it writes between -360 and 360, whatever the view', () => {
    for (let west = -900; west <= 900; west += 37) {
      for (const width of [1, 90, 200, 359]) {
        const p = paramsOf(
          catalogueUrl({ ...query, region: { south: 0, north: 1, west, east: west + width } }),
        );
        const [min, max] = [Number(p.minlongitude), Number(p.maxlongitude)];
        expect(min).toBeGreaterThanOrEqual(-360);
        expect(max).toBeLessThanOrEqual(360);
        expect(max - min).toBeCloseTo(width, 2);
        expect((((min - west) % 360) + 360) % 360).toBeCloseTo(0, 2);
      }
    }
  });

  it('refuses a start after the end and a smallest magnitude above the largest', () => {
    expect(catalogueUrl({ ...query, start: query.end })).toEqual({ ok: false, problem: 'times' });
    expect(catalogueUrl({ ...query, minMag: 6, maxMag: 5 })).toEqual({
      ok: false,
      problem: 'magnitudes',
    });
  });

  it('uses the service it is given (a test server)', () => {
    const result = catalogueUrl(query, 'http://127.0.0.1:9/fdsnws/event/1/query');
    expect(result.ok && result.url.startsWith('http://127.0.0.1:9/fdsnws/event/1/query?')).toBe(
      true,
    );
  });
});

describe('the map view box', () => {
  it('holds quakes on any world copy inside it', () => {
    const pacific = { south: -50, north: 60, west: 120, east: 250 };
    expect(inBox(pacific, 35, 139)).toBe(true);
    expect(inBox(pacific, 20, -155)).toBe(true);
    expect(inBox(pacific, 20, -100)).toBe(false);
    expect(inBox(pacific, 70, 150)).toBe(false);
    expect(inBox({ south: -90, north: 90, west: -500, east: 500 }, 0, 10)).toBe(true);
    expect(inBox({ south: -10, north: 10, west: -10, east: 10 }, 0, 10)).toBe(true);
  });
});
