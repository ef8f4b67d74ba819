import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../src/core/errors.ts';
import { parseFeed, parseFeedText } from '../../../src/core/feed.ts';
import { catchError } from '../../helpers/catch.ts';
import { FIXTURES, fixtureJson, fixtureText } from '../../helpers/fixtures.ts';

function feature(overrides: { id?: unknown; properties?: object; geometry?: unknown } = {}) {
  return {
    type: 'Feature',
    id: 'id' in overrides ? overrides.id : 'us7000test',
    properties: {
      mag: 4.6,
      place: '10 km S of Somewhere',
      time: 1_700_000_000_000,
      updated: 1_700_000_100_000,
      tsunami: 0,
      status: 'reviewed',
      type: 'earthquake',
      magType: 'mb',
      url: 'https://earthquake.usgs.gov/earthquakes/eventpage/us7000test',
      ...overrides.properties,
    },
    geometry:
      'geometry' in overrides
        ? overrides.geometry
        : { type: 'Point', coordinates: [-70.5, -33.4, 10] },
  };
}

function collection(features: unknown[], metadata: object = { generated: 1_700_000_200_000 }) {
  return { type: 'FeatureCollection', metadata: { ...metadata }, features };
}

describe('parseFeedText on every recorded USGS feed', () => {
  it.each(FIXTURES)('%s: every feature becomes a quake with the published values', (name) => {
    const raw = fixtureJson(name);
    const feed = parseFeedText(fixtureText(name));

    expect(feed.rejects).toEqual([]);
    expect(feed.quakes).toHaveLength(raw.features.length);
    expect(feed.metadata.generated).toBe(raw.metadata.generated);
    expect(feed.metadata.declaredCount).toBe(raw.metadata.count);
    feed.quakes.forEach((quake, i) => {
      const f = raw.features[i];
      expect(quake.id).toBe(f.id);
      expect(quake.mag).toBe(f.properties.mag);
      expect(quake.time).toBe(f.properties.time);
      expect(quake.updated).toBe(f.properties.updated);
      expect([quake.lon, quake.lat, quake.depth]).toEqual(f.geometry.coordinates);
      expect(quake.tsunami).toBe(f.properties.tsunami === 1);
      expect(quake.status).toBe(f.properties.status.toLowerCase());
      expect(quake.type).toBe(f.properties.type);
    });
  });

  it('keeps mixed-case statuses, quarry blasts, explosions and negative depths of the 2016 day feed', () => {
    const feed = parseFeedText(fixtureText('2016-11-03_all_day.geojson'));
    const statuses = new Set(feed.quakes.map((q) => q.status));
    expect(statuses).toEqual(new Set(['reviewed', 'automatic']));
    expect(feed.quakes.filter((q) => q.type === 'quarry blast')).toHaveLength(5);
    expect(feed.quakes.filter((q) => q.type === 'explosion')).toHaveLength(3);
    expect(feed.quakes.some((q) => (q.depth ?? 0) < 0)).toBe(true);
    expect(feed.quakes.filter((q) => (q.mag ?? 0) < 0)).toHaveLength(3);
  });

  it('keeps volcanic eruptions of the 4.5 week feed and longitudes near the antimeridian', () => {
    const feed = parseFeedText(fixtureText('2018-06-12_4.5_week.geojson'));
    expect(feed.quakes.filter((q) => q.type === 'volcanic eruption')).toHaveLength(5);
    expect(Math.min(...feed.quakes.map((q) => q.lon))).toBe(-179.3722);
  });

  it('reads PAGER levels and tsunami flags of the significant month feed', () => {
    const raw = fixtureJson('2023-10-11_significant_month.geojson');
    const feed = parseFeedText(fixtureText('2023-10-11_significant_month.geojson'));
    const alerts = feed.quakes.map((q) => q.alert);
    expect(alerts).toEqual(
      raw.features.map((f: { properties: { alert: string | null } }) => f.properties.alert),
    );
    expect(new Set(alerts)).toContain('red');
    expect(feed.quakes.filter((q) => q.tsunami).length).toBe(
      raw.features.filter((f: { properties: { tsunami: number } }) => f.properties.tsunami === 1)
        .length,
    );
  });

  it('reads the 2,389 quakes of the week feed with its ice quakes, other events and 145 negative depths', () => {
    const feed = parseFeedText(fixtureText('2023-04-07_all_week.geojson'));
    expect(feed.quakes).toHaveLength(2389);
    expect(feed.quakes.filter((q) => (q.depth ?? 0) < 0)).toHaveLength(145);
    expect(feed.quakes.filter((q) => q.type === 'ice quake')).toHaveLength(2);
    expect(feed.quakes.filter((q) => q.type === 'other event')).toHaveLength(5);
    expect(feed.quakes.filter((q) => q.mag === 0)).toHaveLength(11);
  });
});

describe('parseFeed with bad features', () => {
  it('accepts a null magnitude as "no magnitude yet"', () => {
    const feed = parseFeed(collection([feature({ properties: { mag: null } })]));
    expect(feed.rejects).toEqual([]);
    expect(feed.quakes[0]?.mag).toBeNull();
  });

  it.each([
    [
      'NaN',
      Number.NaN,
      'properties.mag must be a magnitude from -2 to 10.5 or null, got number NaN',
    ],
    [
      'a string',
      '4.5',
      'properties.mag must be a magnitude from -2 to 10.5 or null, got string "4.5"',
    ],
    ['Infinity', Number.POSITIVE_INFINITY, 'got number Infinity'],
  ])('rejects a magnitude that is %s and keeps the rest of the feed', (_label, mag, reason) => {
    const feed = parseFeed(
      collection([
        feature({ id: 'ok1' }),
        feature({ id: 'bad', properties: { mag } }),
        feature({ id: 'ok2' }),
      ]),
    );
    expect(feed.quakes.map((q) => q.id)).toEqual(['ok1', 'ok2']);
    expect(feed.rejects).toHaveLength(1);
    expect(feed.rejects[0]?.index).toBe(1);
    expect(feed.rejects[0]?.id).toBe('bad');
    expect(feed.rejects[0]?.reason).toContain(reason);
  });

  it.each([
    ['missing geometry', undefined, 'geometry must be a GeoJSON Point, got missing'],
    ['null geometry', null, 'geometry must be a GeoJSON Point, got null'],
    ['a polygon', { type: 'Polygon', coordinates: [] }, 'got type "Polygon"'],
    [
      'a point whose coordinates are not an array',
      { type: 'Point', coordinates: 'x' },
      'geometry.coordinates must be [longitude, latitude, depth], got string "x"',
    ],
    [
      'latitude 91',
      { type: 'Point', coordinates: [10, 91, 5] },
      'latitude must be a number in [-90, 90], got number 91',
    ],
    [
      'longitude -181',
      { type: 'Point', coordinates: [-181, 0, 5] },
      'longitude must be a number in [-180, 180]',
    ],
    ['string coordinates', { type: 'Point', coordinates: ['10', '20'] }, 'got string "10"'],
    [
      'a string depth',
      { type: 'Point', coordinates: [10, 20, 'deep'] },
      'depth must be a number of km from -10 to 1000 or null, got string "deep"',
    ],
  ])('rejects %s', (_label, geometry, reason) => {
    const feed = parseFeed(collection([feature({ geometry })]));
    expect(feed.quakes).toEqual([]);
    expect(feed.rejects[0]?.reason).toContain(reason);
  });

  it('accepts a point without depth as depth null', () => {
    const feed = parseFeed(
      collection([feature({ geometry: { type: 'Point', coordinates: [1, 2] } })]),
    );
    expect(feed.quakes[0]?.depth).toBeNull();
  });

  it('rejects features without an id, without a time, or that are not objects', () => {
    const feed = parseFeed(
      collection([
        feature({ id: undefined }),
        feature({ id: 42 }),
        feature({ properties: { time: '2023-01-01' } }),
        'garbage',
        null,
      ]),
    );
    expect(feed.quakes).toEqual([]);
    expect(feed.rejects.map((r) => r.reason)).toEqual([
      'id must be a non-empty string, got missing',
      'id must be a non-empty string, got number 42',
      'properties.time must be whole epoch milliseconds of a year from 0000 to 9999, got string "2023-01-01"',
      'feature is not an object (got string "garbage")',
      'feature is not an object (got null)',
    ]);
  });

  it('rejects times that are not whole milliseconds of the years 0000 to 9999, which no message could carry', () => {
    const feed = parseFeed(
      collection([
        feature({ properties: { time: 1e300 } }),
        feature({ properties: { time: Date.UTC(10_000, 0, 1) } }),
        feature({ properties: { time: -62_167_219_200_001 } }),
        feature({ properties: { time: 1_700_000_000_000.5 } }),
        feature({ properties: { updated: 8.64e15 } }),
        feature({ id: 'edge', properties: { updated: -62_167_219_200_000 } }),
      ]),
    );
    expect(feed.rejects.map((r) => r.reason)).toEqual([
      'properties.time must be whole epoch milliseconds of a year from 0000 to 9999, got number 1e+300',
      'properties.time must be whole epoch milliseconds of a year from 0000 to 9999, got number 253402300800000',
      'properties.time must be whole epoch milliseconds of a year from 0000 to 9999, got number -62167219200001',
      'properties.time must be whole epoch milliseconds of a year from 0000 to 9999, got number 1700000000000.5',
      'properties.updated must be whole epoch milliseconds of a year from 0000 to 9999, got number 8640000000000000',
    ]);
    expect(feed.quakes.map((q) => q.id)).toEqual(['edge']);
  });

  it('keeps magnitudes from -2 to 10.5 and depths from -10 to 1000 km, and rejects the values just outside', () => {
    const feed = parseFeed(
      collection([
        feature({ id: 'mag-low', properties: { mag: -2 } }),
        feature({ id: 'mag-high', properties: { mag: 10.5 } }),
        feature({ id: 'depth-low', geometry: { type: 'Point', coordinates: [0, 0, -10] } }),
        feature({ id: 'depth-high', geometry: { type: 'Point', coordinates: [0, 0, 1000] } }),
        feature({ id: 'mag-under', properties: { mag: -2.01 } }),
        feature({ id: 'mag-over', properties: { mag: 10.51 } }),
        feature({ id: 'mag-huge', properties: { mag: 1e308 } }),
        feature({ id: 'depth-above', geometry: { type: 'Point', coordinates: [0, 0, -10.1] } }),
        feature({ id: 'depth-below', geometry: { type: 'Point', coordinates: [0, 0, 1000.1] } }),
        feature({ id: 'depth-huge', geometry: { type: 'Point', coordinates: [0, 0, 1e300] } }),
      ]),
    );
    expect(feed.quakes.map((q) => q.id)).toEqual([
      'mag-low',
      'mag-high',
      'depth-low',
      'depth-high',
    ]);
    expect(feed.rejects.map((r) => [r.id, r.reason])).toEqual([
      ['mag-under', 'properties.mag must be a magnitude from -2 to 10.5 or null, got number -2.01'],
      ['mag-over', 'properties.mag must be a magnitude from -2 to 10.5 or null, got number 10.51'],
      ['mag-huge', 'properties.mag must be a magnitude from -2 to 10.5 or null, got number 1e+308'],
      ['depth-above', 'depth must be a number of km from -10 to 1000 or null, got number -10.1'],
      ['depth-below', 'depth must be a number of km from -10 to 1000 or null, got number 1000.1'],
      ['depth-huge', 'depth must be a number of km from -10 to 1000 or null, got number 1e+300'],
    ]);
  });

  it('keeps times from 1900-01-01 to a day after the feed was generated, and rejects the times just outside', () => {
    const generated = Date.UTC(2024, 0, 15, 10, 0);
    const day = 86_400_000;
    const feed = parseFeed(
      collection(
        [
          feature({ id: 'first', properties: { time: Date.UTC(1900, 0, 1) } }),
          feature({ id: 'last', properties: { time: generated + day } }),
          feature({ id: 'before', properties: { time: Date.UTC(1900, 0, 1) - 1 } }),
          feature({ id: 'year-0', properties: { time: -62_167_219_200_000 } }),
          feature({ id: 'after', properties: { time: generated + day + 1 } }),
          feature({ id: 'year-3000', properties: { time: Date.UTC(3000, 0, 1) } }),
        ],
        { generated },
      ),
      generated + 7 * day,
    );
    expect(feed.quakes.map((q) => q.id)).toEqual(['first', 'last']);
    const range =
      'properties.time must be from 1900-01-01T00:00:00.000Z to a day after the feed was generated (2024-01-16T10:00:00.000Z)';
    expect(feed.rejects.map((r) => [r.id, r.reason])).toEqual([
      ['before', `${range}, got 1899-12-31T23:59:59.999Z`],
      ['year-0', `${range}, got 0000-01-01T00:00:00.000Z`],
      ['after', `${range}, got 2024-01-16T10:00:00.001Z`],
      ['year-3000', `${range}, got 3000-01-01T00:00:00.000Z`],
    ]);
  });

  it('without a generation time, or with one still to come, allows times up to a day after it reads the feed', () => {
    const now = Date.UTC(2024, 0, 15, 10, 0);
    const day = 86_400_000;
    const features = [
      feature({ id: 'last', properties: { time: now + day } }),
      feature({ id: 'after', properties: { time: now + day + 1 } }),
    ];
    for (const metadata of [{}, { generated: Date.UTC(3000, 0, 1) }]) {
      const feed = parseFeed(collection(features, metadata), now);
      expect(feed.quakes.map((q) => q.id)).toEqual(['last']);
      expect(feed.rejects.map((r) => r.reason)).toEqual([
        'properties.time must be from 1900-01-01T00:00:00.000Z to a day after it was read (2024-01-16T10:00:00.000Z), got 2024-01-16T10:00:00.001Z',
      ]);
    }
  });

  it('rejects a text field longer than 1000 characters, so every quake fits in a Kafka message', () => {
    const long = 'x'.repeat(1001);
    const feed = parseFeed(
      collection([
        feature({ id: long }),
        feature({ properties: { place: long } }),
        feature({ properties: { magType: long } }),
        feature({ properties: { status: long } }),
        feature({ properties: { type: long } }),
        feature({ properties: { url: `https://x/${long}` } }),
        feature({ id: 'fits', properties: { place: 'x'.repeat(1000) } }),
      ]),
    );
    expect(feed.rejects.map((r) => r.reason)).toEqual([
      'id has 1001 characters, more than the 1000 a quake may have',
      'properties.place has 1001 characters, more than the 1000 a quake may have',
      'properties.magType has 1001 characters, more than the 1000 a quake may have',
      'properties.status has 1001 characters, more than the 1000 a quake may have',
      'properties.type has 1001 characters, more than the 1000 a quake may have',
      'properties.url has 1011 characters, more than the 1000 a quake may have',
    ]);
    expect(feed.quakes.map((q) => q.id)).toEqual(['fits']);
  });

  it('reads metadata.generated only when it is a time a message could carry', () => {
    for (const generated of [1e300, 8.64e15, 0.5, Number.NaN]) {
      expect(parseFeed(collection([], { generated })).metadata.generated).toBeNull();
    }
  });

  it('keeps one quake per duplicate id, the newest revision, in the position of the first', () => {
    const feed = parseFeed(
      collection([
        feature({ id: 'a', properties: { mag: 4.0, updated: 10 } }),
        feature({ id: 'b' }),
        feature({ id: 'a', properties: { mag: 4.8, updated: 20 } }),
        feature({ id: 'a', properties: { mag: 3.9, updated: 5 } }),
      ]),
    );
    expect(feed.quakes.map((q) => [q.id, q.mag])).toEqual([
      ['a', 4.8],
      ['b', 4.6],
    ]);
    expect(feed.rejects.map((r) => [r.index, r.id])).toEqual([
      [2, 'a'],
      [3, 'a'],
    ]);
    expect(feed.rejects[0]?.reason).toMatch(
      /^duplicate id; kept the version updated at 1970-01-01T00:00:00\.020Z$/,
    );
  });

  it('reports metadata.count as declared when it differs from the number of features', () => {
    const feed = parseFeed(
      collection([feature({ id: 'a' }), feature({ id: 'b' })], {
        count: 5,
        generated: 1_700_000_200_007,
      }),
    );
    expect(feed.quakes).toHaveLength(2);
    expect(feed.metadata.declaredCount).toBe(5);
    expect(feed.metadata.generated).toBe(1_700_000_200_007);
  });

  it('survives old-feed quirks: null tsunami, missing title, upper-case status, missing updated', () => {
    const feed = parseFeed(
      collection([
        feature({
          properties: { tsunami: null, title: undefined, status: 'REVIEWED', updated: undefined },
        }),
      ]),
    );
    expect(feed.quakes[0]).toMatchObject({
      tsunami: false,
      status: 'reviewed',
      updated: 1_700_000_000_000,
    });
  });

  it('drops event URLs that are not http(s), so they can never become script links', () => {
    const feed = parseFeed(collection([feature({ properties: { url: 'javascript:alert(1)' } })]));
    expect(feed.quakes[0]?.url).toBeNull();
  });

  it('keeps hostile place text as plain data', () => {
    const place = '<img src=x onerror=alert(1)>';
    const feed = parseFeed(collection([feature({ properties: { place } })]));
    expect(feed.quakes[0]?.place).toBe(place);
  });
});

describe('feeds that are not a FeatureCollection', () => {
  it('a truncated document is one FEED_NOT_JSON error', () => {
    const text = fixtureText('2017-12-03_all_hour.geojson');
    const error = catchError(() => parseFeedText(text.slice(0, text.length / 2)));
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ code: 'FEED_NOT_JSON', retriable: true });
    expect((error as Error).message).toMatch(/^feed is not JSON \(/);
  });

  it.each([
    ['null', null, 'got null'],
    ['[]', [], 'got array of 0'],
    ['{"type":"Feature"}', { type: 'Feature' }, 'got type "Feature"'],
    [
      '{"type":"FeatureCollection","features":{}}',
      { type: 'FeatureCollection', features: {} },
      'its features must be an array, got object',
    ],
    [
      '{"type":"FeatureCollection"}',
      { type: 'FeatureCollection' },
      'its features must be an array, got missing',
    ],
    ['"text"', 'text', 'got string "text"'],
    [
      'a type of 100,000 characters',
      { type: 'x'.repeat(100_000) },
      `got type "${'x'.repeat(60)}…"`,
    ],
  ])('%s is one FEED_NOT_COLLECTION error', (_, doc, detail) => {
    const error = catchError(() => parseFeed(doc));
    expect(error).toMatchObject({ code: 'FEED_NOT_COLLECTION' });
    expect((error as Error).message).toBe(`feed is not a GeoJSON FeatureCollection (${detail})`);
  });
});
