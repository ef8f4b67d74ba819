/** The export buttons: the quakes of the list (filtered, in list order) as CSV, GeoJSON, KML or QuakeML. */
import { type OffsetOf, toCsv, toGeoJson, toKml, toQuakeMl } from '../../core/export.ts';
import type { Quake } from '../../core/quake.ts';
import { download } from '../ui/download.ts';

export interface ExportSource {
  readonly quakes: readonly Quake[];
  /** Used in the file name: "all_day", or "feed" for a custom feed. */
  readonly name: string;
  readonly title: string;
  readonly generated: number;
  /** The time zone the page shows times in, for the formats that write local times (CSV, KML). */
  readonly offsetOf: OffsetOf;
}

export class Exporter {
  /** What to export, read at click time. */
  source: () => ExportSource = () => ({
    quakes: [],
    name: 'feed',
    title: 'Sismos',
    generated: 0,
    offsetOf: () => 0,
  });

  constructor(csv: HTMLElement, geojson: HTMLElement, kml: HTMLElement, quakeMl: HTMLElement) {
    csv.addEventListener('click', () => {
      const { quakes, name, generated, offsetOf } = this.source();
      download(toCsv(quakes, offsetOf), fileName(name, generated, 'csv'), 'text/csv;charset=utf-8');
    });
    kml.addEventListener('click', () => {
      const { quakes, name, title, generated, offsetOf } = this.source();
      download(
        toKml(quakes, title, offsetOf),
        fileName(name, generated, 'kml'),
        'application/vnd.google-earth.kml+xml',
      );
    });
    quakeMl.addEventListener('click', () => {
      const { quakes, name, generated } = this.source();
      download(toQuakeMl(quakes, generated), fileName(name, generated, 'xml'), 'application/xml');
    });
    geojson.addEventListener('click', () => {
      const { quakes, name, title, generated } = this.source();
      download(
        toGeoJson(quakes, title, generated),
        fileName(name, generated, 'geojson'),
        'application/geo+json',
      );
    });
  }
}

/** "sismos_all_day_2016-11-03T1847Z.csv" */
function fileName(name: string, generated: number, extension: string): string {
  const stamp = new Date(generated).toISOString().slice(0, 16).replace(':', '');
  return `sismos_${name}_${stamp}Z.${extension}`;
}
