import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { toCsv, toGeoJson, toKml, toQuakeMl } from '../../../src/core/export.ts';
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
      'id,time,updated,mag,magType,place,latitude,longitude,depth_km,tsunami,status,type,alert,url,felt,cdi,mmi,time_shown',
    );
    expect(row).toBe(
      'us7000test,2024-01-15T10:30:00.000Z,2024-01-15T10:45:00.000Z,4.2,mb,"10 km S of Somewhere, Chile",-33.4,-70.5,10,0,reviewed,earthquake,,https://earthquake.usgs.gov/earthquakes/eventpage/us7000test,,,,2024-01-15T10:30:00.000Z',
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

describe('toCsv in a time zone', () => {
  it('writes time_shown with the offset of the zone the page shows, and the impact columns', () => {
    const quake = makeQuake({ felt: 25, cdi: 4.1, mmi: 5.3 });
    const row = toCsv([quake], () => 540)
      .split('\r\n')[1]
      ?.split(',');
    expect(row?.slice(-4)).toEqual(['25', '4.1', '5.3', '2024-01-15T19:30:00.000+09:00']);
    expect(row?.[1]).toBe('2024-01-15T10:30:00.000Z');
  });
});

const significant = () => parseFeedText(fixtureText('2023-10-11_significant_month.geojson')).quakes;

/** Parses XML strictly: any well-formedness error throws (warnings, such as U+FFFD seen, do not). */
function parseXml(text: string) {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
}

const childText = (node: XmlElement, name: string) =>
  node.getElementsByTagName(name)[0]?.textContent ?? null;

describe('toKml', () => {
  it('parses back into one placemark per quake with its position, time and magnitude style', () => {
    const quakes = significant();
    const doc = parseXml(toKml(quakes, 'significant_month'));
    const root = doc.documentElement as unknown as XmlElement;
    expect(root.namespaceURI).toBe('http://www.opengis.net/kml/2.2');
    const placemarks = Array.from(root.getElementsByTagName('Placemark'));
    expect(placemarks).toHaveLength(quakes.length);
    const styles = new Map(
      Array.from(root.getElementsByTagName('Style')).map((style) => [
        style.getAttribute('id'),
        childText(style, 'color'),
      ]),
    );
    placemarks.forEach((placemark, i) => {
      const quake = quakes[i]!;
      expect(placemark.getAttribute('id')).toBe(quake.id);
      const [lon, lat] = (childText(placemark, 'coordinates') ?? '').split(',').map(Number);
      expect([lon, lat]).toEqual([quake.lon, quake.lat]);
      expect(Date.parse(childText(placemark, 'when') ?? '')).toBe(quake.time);
      expect(childText(placemark, 'name')).toBe(`M ${quake.mag?.toFixed(1)} - ${quake.place}`);
      const style = (childText(placemark, 'styleUrl') ?? '').slice(1);
      expect(styles.has(style)).toBe(true);
    });
    // Magnitude 6 and 7 classes use the page's colours, in KML's aabbggrr order.
    expect(styles.get('m4')).toBe('ff436df4');
    expect(styles.get('m5')).toBe('ff2600a5');
  });

  it('keeps hostile text as text, even characters XML cannot hold', () => {
    const place = '</name><script>alert(1)</script> & "quotes" \u0001 \ud800 😀';
    const doc = parseXml(toKml([makeQuake({ place })], 'x'));
    const name = doc.getElementsByTagName('name')[1]?.textContent;
    expect(name).toBe('M 5.2 - </name><script>alert(1)</script> & "quotes" \ufffd \ufffd 😀');
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
  });

  it('writes each time in the zone it is given', () => {
    const doc = parseXml(toKml([makeQuake()], 'x', () => -300));
    expect(doc.getElementsByTagName('when')[0]?.textContent).toBe('2024-01-15T05:30:00.000-05:00');
  });
});

describe('toQuakeMl', () => {
  it('parses back into QuakeML 1.2 events with origin time, position, depth in metres and magnitude', () => {
    const quakes = significant();
    const doc = parseXml(toQuakeMl(quakes, 1_697_055_360_000));
    const root = doc.documentElement as unknown as XmlElement;
    expect(root.namespaceURI).toBe('http://quakeml.org/xmlns/quakeml/1.2');
    const events = Array.from(root.getElementsByTagName('event'));
    expect(events).toHaveLength(quakes.length);
    events.forEach((event, i) => {
      const quake = quakes[i]!;
      const origin = event.getElementsByTagName('origin')[0]!;
      const value = (name: string) =>
        origin.getElementsByTagName(name)[0]?.getElementsByTagName('value')[0]?.textContent;
      expect(Date.parse(value('time') ?? '')).toBe(quake.time);
      expect(Number(value('latitude'))).toBe(quake.lat);
      expect(Number(value('longitude'))).toBe(quake.lon);
      expect(Number(value('depth'))).toBe(Math.round((quake.depth as number) * 1000));
      const mag = event.getElementsByTagName('mag')[0]?.getElementsByTagName('value')[0];
      expect(Number(mag?.textContent)).toBe(quake.mag);
      expect(childText(event, 'preferredOriginID')).toBe(origin.getAttribute('publicID'));
    });
  });

  it('builds valid, unique resource ids from any USGS id, and leaves out what is unknown', () => {
    const doc = parseXml(
      toQuakeMl(
        [
          makeQuake({ id: 'a b/c', mag: null, depth: null, type: 'meteor shower' }),
          makeQuake({ id: 'a_b_c' }),
        ],
        0,
      ),
    );
    const ids = Array.from(doc.getElementsByTagName('event')).map((e) =>
      e.getAttribute('publicID'),
    );
    expect(ids).toEqual(['smi:local/sismos/a_b_c', 'smi:local/sismos/a_b_c.1']);
    const first = doc.getElementsByTagName('event')[0]!;
    expect(first.getElementsByTagName('magnitude')).toHaveLength(0);
    expect(first.getElementsByTagName('depth')).toHaveLength(0);
    expect(first.getElementsByTagName('preferredMagnitudeID')).toHaveLength(0);
    const type = Array.from(first.childNodes).find((node) => node.nodeName === 'type');
    expect(type?.textContent).toBe('other event');
  });
});
