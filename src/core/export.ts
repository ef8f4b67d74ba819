/**
 * The filtered quakes as files a user can take away: CSV for spreadsheets, GeoJSON for GIS tools,
 * KML for Google Earth, QuakeML 1.2 for seismology software (ObsPy, SeisComP).
 */
import type { Quake } from './quake.ts';
import { MAGNITUDE_CLASSES } from './scale.ts';
import { isoWithOffset } from './time-zone.ts';

/** The offset from UTC, in minutes, a quake's time is written in (see time-zone.ts). */
export type OffsetOf = (quake: Quake) => number;

const UTC: OffsetOf = () => 0;

const CSV_COLUMNS = [
  'id',
  'time',
  'updated',
  'mag',
  'magType',
  'place',
  'latitude',
  'longitude',
  'depth_km',
  'tsunami',
  'status',
  'type',
  'alert',
  'url',
  'felt',
  'cdi',
  'mmi',
  'time_shown',
] as const;

/**
 * RFC 4180 CSV (CRLF line ends, quotes doubled), times in ISO 8601 UTC, and once more in the
 * time zone the page shows (`time_shown`, with its offset). Text cells that a
 * spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a
 * leading apostrophe, so a hostile place name stays text. Numbers are written as numbers.
 */
export function toCsv(quakes: Iterable<Quake>, offsetOf: OffsetOf = UTC): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const q of quakes) {
    rows.push(
      [
        text(q.id),
        new Date(q.time).toISOString(),
        new Date(q.updated).toISOString(),
        number(q.mag),
        text(q.magType),
        text(q.place),
        number(q.lat),
        number(q.lon),
        number(q.depth),
        q.tsunami ? '1' : '0',
        text(q.status),
        text(q.type),
        text(q.alert),
        text(q.url),
        number(q.felt),
        number(q.cdi),
        number(q.mmi),
        isoWithOffset(q.time, offsetOf(q)),
      ].join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

function number(value: number | null): string {
  return value === null ? '' : String(value);
}

function text(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A GeoJSON FeatureCollection shaped like a USGS summary feed, so the file can be opened again
 * with `?feed=` or read by any GIS tool.
 */
export function toGeoJson(quakes: Iterable<Quake>, title: string, generated: number): string {
  const features = [];
  for (const q of quakes) {
    features.push({
      type: 'Feature',
      id: q.id,
      properties: {
        mag: q.mag,
        place: q.place,
        time: q.time,
        updated: q.updated,
        url: q.url,
        alert: q.alert,
        status: q.status,
        tsunami: q.tsunami ? 1 : 0,
        magType: q.magType,
        type: q.type,
        felt: q.felt,
        cdi: q.cdi,
        mmi: q.mmi,
        tz: q.tz,
      },
      geometry: { type: 'Point', coordinates: [q.lon, q.lat, q.depth] },
    });
  }
  return JSON.stringify({
    type: 'FeatureCollection',
    metadata: { generated, title, count: features.length },
    features,
  });
}

/**
 * Characters XML 1.0 cannot hold (C0 controls but tab and line ends, lone surrogates, U+FFFE/F),
 * and the C1 controls it discourages.
 */
const NOT_XML = /[^\P{Cc}\t\n\r]|\p{Cs}|\ufffe|\uffff/gu;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text or attribute content, escaped; characters XML forbids become U+FFFD. */
function xml(value: string): string {
  return value.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** KML colours are aabbggrr: "#fdae61" -> "ff61aefd". */
function kmlColour(hex: string): string {
  return `ff${hex.slice(5, 7)}${hex.slice(3, 5)}${hex.slice(1, 3)}`;
}

/** The magnitude class of a quake as a KML style id: "m0" (lowest) to "m5", "mx" without magnitude. */
function styleOf(mag: number | null): string {
  if (mag === null) return 'mx';
  let index = 0;
  MAGNITUDE_CLASSES.forEach((c, i) => {
    if (mag >= c.from) index = i;
  });
  return `m${index}`;
}

/**
 * KML 2.2 for Google Earth: one Placemark per quake at its epicentre, with its time (in the zone
 * the page shows), a description, and a style per magnitude class with the page's colours and
 * an icon that grows with magnitude.
 */
export function toKml(quakes: Iterable<Quake>, title: string, offsetOf: OffsetOf = UTC): string {
  const styles = MAGNITUDE_CLASSES.map((c, i) =>
    kmlStyle(`m${i}`, kmlColour(c.colour), 0.6 + 0.3 * i),
  );
  styles.push(kmlStyle('mx', 'ff9e9e9e', 0.5));
  const placemarks: string[] = [];
  for (const q of quakes) {
    const mag = q.mag === null ? '?' : q.mag.toFixed(1);
    const depth = q.depth === null ? '?' : String(q.depth);
    const description = [
      `${isoWithOffset(q.time, offsetOf(q))}`,
      `M ${mag}${q.magType === null ? '' : ` ${q.magType}`}, depth ${depth} km`,
      ...(q.url === null ? [] : [q.url]),
    ].join('\n');
    placemarks.push(
      [
        `<Placemark id="${xml(q.id)}">`,
        `<name>${xml(`M ${mag} - ${q.place ?? q.id}`)}</name>`,
        `<description>${xml(description)}</description>`,
        `<TimeStamp><when>${isoWithOffset(q.time, offsetOf(q))}</when></TimeStamp>`,
        `<styleUrl>#${styleOf(q.mag)}</styleUrl>`,
        `<Point><coordinates>${q.lon},${q.lat}</coordinates></Point>`,
        '</Placemark>',
      ].join(''),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
    `<name>${xml(title)}</name>`,
    ...styles,
    ...placemarks,
    '</Document></kml>',
    '',
  ].join('\n');
}

function kmlStyle(id: string, colour: string, scale: number): string {
  return `<Style id="${id}"><IconStyle><color>${colour}</color><scale>${scale.toFixed(1)}</scale><Icon><href>http://maps.google.com/mapfiles/kml/shapes/shaded_dot.png</href></Icon></IconStyle><LabelStyle><scale>0</scale></LabelStyle></Style>`;
}

/** QuakeML 1.2's event types; a USGS type outside them is written as "other event". */
const QUAKEML_TYPES: ReadonlySet<string> = new Set([
  'not existing',
  'not reported',
  'earthquake',
  'anthropogenic event',
  'collapse',
  'cavity collapse',
  'mine collapse',
  'building collapse',
  'explosion',
  'accidental explosion',
  'chemical explosion',
  'controlled explosion',
  'experimental explosion',
  'industrial explosion',
  'mining explosion',
  'quarry blast',
  'road cut',
  'blasting levee',
  'nuclear explosion',
  'induced or triggered event',
  'rock burst',
  'reservoir loading',
  'fluid injection',
  'fluid extraction',
  'crash',
  'plane crash',
  'train crash',
  'boat crash',
  'other event',
  'atmospheric event',
  'sonic boom',
  'sonic blast',
  'acoustic noise',
  'thunder',
  'avalanche',
  'snow avalanche',
  'debris avalanche',
  'hydroacoustic event',
  'ice quake',
  'slide',
  'landslide',
  'rockslide',
  'meteorite',
  'volcanic eruption',
]);

/**
 * QuakeML 1.2 (Basic Event Description): one event per quake with its origin (time in UTC, as the
 * schema wants, depth in metres) and its magnitude. Resource ids are built from the USGS id with
 * any character a QuakeML id may not hold replaced, and made unique.
 */
export function toQuakeMl(quakes: Iterable<Quake>, generated: number): string {
  const used = new Set<string>();
  const events: string[] = [];
  for (const q of quakes) {
    let key = q.id.replace(/[^\w.\-~]/g, '_');
    if (used.has(key)) key = `${key}.${used.size}`;
    used.add(key);
    const base = `smi:local/sismos/${key}`;
    const parts = [`<event publicID="${base}">`];
    if (q.place !== null) {
      parts.push(`<description><text>${xml(q.place)}</text><type>region name</type></description>`);
    }
    parts.push(
      `<origin publicID="${base}/origin">`,
      `<time><value>${new Date(q.time).toISOString()}</value></time>`,
      `<latitude><value>${q.lat}</value></latitude>`,
      `<longitude><value>${q.lon}</value></longitude>`,
      ...(q.depth === null ? [] : [`<depth><value>${Math.round(q.depth * 1000)}</value></depth>`]),
      ...(q.status === 'reviewed' ? ['<evaluationMode>manual</evaluationMode>'] : []),
      ...(q.status === 'automatic' ? ['<evaluationMode>automatic</evaluationMode>'] : []),
      '</origin>',
    );
    if (q.mag !== null) {
      parts.push(
        `<magnitude publicID="${base}/magnitude">`,
        `<mag><value>${q.mag}</value></mag>`,
        ...(q.magType === null ? [] : [`<type>${xml(q.magType)}</type>`]),
        `<originID>${base}/origin</originID>`,
        '</magnitude>',
      );
    }
    parts.push(`<preferredOriginID>${base}/origin</preferredOriginID>`);
    if (q.mag !== null)
      parts.push(`<preferredMagnitudeID>${base}/magnitude</preferredMagnitudeID>`);
    parts.push(`<type>${QUAKEML_TYPES.has(q.type) ? q.type : 'other event'}</type>`, '</event>');
    events.push(parts.join(''));
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<q:quakeml xmlns="http://quakeml.org/xmlns/bed/1.2" xmlns:q="http://quakeml.org/xmlns/quakeml/1.2">',
    `<eventParameters publicID="smi:local/sismos/export/${generated}">`,
    ...events,
    `<creationInfo><creationTime>${new Date(generated).toISOString()}</creationTime></creationInfo>`,
    '</eventParameters>',
    '</q:quakeml>',
    '',
  ].join('\n');
}
