/** The export buttons: the quakes of the list (filtered, in list order) as CSV or GeoJSON. */
import { toCsv, toGeoJson } from '../../core/export.ts';
import type { Quake } from '../../core/quake.ts';
import { download } from '../ui/download.ts';

export interface ExportSource {
  readonly quakes: readonly Quake[];
  /** Used in the file name: "all_day", or "feed" for a custom feed. */
  readonly name: string;
  readonly title: string;
  readonly generated: number;
}

export class Exporter {
  /** What to export, read at click time. */
  source: () => ExportSource = () => ({ quakes: [], name: 'feed', title: 'Sismos', generated: 0 });

  constructor(csv: HTMLElement, geojson: HTMLElement) {
    csv.addEventListener('click', () => {
      const { quakes, name, generated } = this.source();
      download(toCsv(quakes), fileName(name, generated, 'csv'), 'text/csv;charset=utf-8');
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
