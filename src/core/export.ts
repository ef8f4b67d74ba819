/** The filtered quakes as files a user can take away: CSV for spreadsheets, GeoJSON for GIS tools. */
import type { Quake } from './quake.ts';

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
] as const;

/**
 * RFC 4180 CSV (CRLF line ends, quotes doubled), times in ISO 8601 UTC. Text cells that a
 * spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a
 * leading apostrophe, so a hostile place name stays text. Numbers are written as numbers.
 */
export function toCsv(quakes: Iterable<Quake>): string {
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
