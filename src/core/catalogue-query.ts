/**
 * The catalogue search: a time range, a magnitude range and optionally the map's view, turned
 * into a USGS FDSN event query (GeoJSON) that the page then polls like any feed.
 * https://earthquake.usgs.gov/fdsnws/event/1/
 */
import { coversAllLongitudes, type MapBox } from './map-view.ts';

export const USGS_CATALOGUE = 'https://earthquake.usgs.gov/fdsnws/event/1/query';

/** The most events USGS returns for one query; more is an HTTP 400, so the query asks for at most these (newest first). */
export const CATALOGUE_LIMIT = 20000;

export interface CatalogueQuery {
  /** Epoch ms; null: USGS's default, 30 days before the end. */
  readonly start: number | null;
  /** Epoch ms; null: up to now, so each poll brings the new quakes. */
  readonly end: number | null;
  readonly minMag: number | null;
  readonly maxMag: number | null;
  /** Only quakes in this box; null for the whole world. */
  readonly region: MapBox | null;
}

/** What is wrong with a query: its start after its end, or its smallest magnitude above its largest. */
export type QueryProblem = 'times' | 'magnitudes';

export type CatalogueUrl =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly problem: QueryProblem };

/** The query's URL on `base` (USGS's FDSN event service unless a test points it elsewhere). */
export function catalogueUrl(query: CatalogueQuery, base = USGS_CATALOGUE): CatalogueUrl {
  const { start, end, minMag, maxMag, region } = query;
  if (start !== null && end !== null && start >= end) return { ok: false, problem: 'times' };
  if (minMag !== null && maxMag !== null && minMag > maxMag) {
    return { ok: false, problem: 'magnitudes' };
  }
  const params = new URLSearchParams({ format: 'geojson', orderby: 'time' });
  params.set('limit', String(CATALOGUE_LIMIT));
  if (start !== null) params.set('starttime', new Date(start).toISOString());
  if (end !== null) params.set('endtime', new Date(end).toISOString());
  if (minMag !== null) params.set('minmagnitude', String(minMag));
  if (maxMag !== null) params.set('maxmagnitude', String(maxMag));
  if (region !== null) {
    params.set('minlatitude', degrees(Math.max(-90, region.south)));
    params.set('maxlatitude', degrees(Math.min(90, region.north)));
    if (!coversAllLongitudes(region)) {
      // USGS takes longitudes from -360 to 360 and wraps a range that crosses ±180 itself:
      // centred on [-180, 180], a range narrower than the world stays within those bounds.
      const half = (region.east - region.west) / 2;
      const middle = region.west + half;
      const centre = middle - 360 * Math.round(middle / 360);
      params.set('minlongitude', degrees(centre - half));
      params.set('maxlongitude', degrees(centre + half));
    }
  }
  return { ok: true, url: `${base}?${params}` };
}

function degrees(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
