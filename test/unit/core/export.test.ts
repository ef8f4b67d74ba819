import { describe, expect, it } from 'vitest';
import { toCsv, toGeoJson } from '../../../src/core/export.ts';
import { parseFeedText } from '../../../src/core/feed.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { makeQuake } from '../../helpers/quake.ts';

describe('toCsv', () => {
  it('writes a header and one CRLF-terminated row per quake, times in ISO 8601 UTC', () => {
    const csv = toCsv([
      makeQuake({
        id: 'us7000test',
        updated: Date.UTC(2024, 0, 15, 10, 45),
        mag: 4.2,
        magType: 'mb',
        place: '10 km S of Somewhere, Chile',
        lat: -33.4,
        lon: -70.5,
        depth: 10,
        url: 'https://earthquake.usgs.gov/earthquakes/eventpage/us7000test',
      }),
    ]);
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe(
      'id,time,updated,mag,magType,place,latitude,longitude,depth_km,tsunami,status,type,alert,url',
    );
    expect(row).toBe(
      'us7000test,2024-01-15T10:30:00.000Z,2024-01-15T10:45:00.000Z,4.2,mb,"10 km S of Somewhere, Chile",-33.4,-70.5,10,0,reviewed,earthquake,,https://earthquake.usgs.gov/earthquakes/eventpage/us7000test',
    );
    expect(end).toBe('');
  });

  it('neutralises text cells a spreadsheet would run as formulas, but not negative numbers', () => {
    const hostile = ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx'];
    const csv = toCsv(hostile.map((place) => makeQuake({ place, lat: -33.4, lon: -70.5 })));
    const places = csv
      .split('\r\n')
      .slice(1, -1)
      .map((row) => row.split(',')[5]);
    expect(places).toEqual(['"\'=HYPERLINK(""http://x"")"', "'+1", "'-2+3", "'@SUM(A1)", "'\tx"]);
    expect(csv).toContain(',-33.4,-70.5,');
  });

  it('quotes cells with commas, quotes or line breaks, and leaves unknown values empty', () => {
    const row = toCsv([
      makeQuake({ place: 'a "b"\nc', mag: null, depth: null, magType: null }),
    ]).split('\r\n')[1];
    expect(row).toContain(',"a ""b""\nc",');
    expect(row?.split(',')[3]).toBe('');
  });
});

describe('toGeoJson', () => {
  it('is a feed that parses back into the same quakes', () => {
    const { quakes } = parseFeedText(fixtureText('2023-10-11_significant_month.geojson'));
    const text = toGeoJson(quakes, 'significant_month', 1_697_055_360_000);
    const again = parseFeedText(text);
    expect(again.quakes).toEqual(quakes);
    expect(again.rejects).toEqual([]);
    expect(again.metadata).toMatchObject({
      generated: 1_697_055_360_000,
      declaredCount: quakes.length,
    });
  });
});
