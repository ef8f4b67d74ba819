/**
 * The catalogue search form: its time range, magnitude range and "this map view" become a USGS
 * FDSN event query (core/catalogue-query.ts), which the page then follows like a feed.
 */
import { type CatalogueQuery, catalogueUrl } from '../../core/catalogue-query.ts';
import type { MapBox } from '../../core/map-view.ts';
import type { I18n, MessageKey } from '../i18n/i18n.ts';
import { byId } from '../ui/dom.ts';

export class CatalogueSearch {
  readonly #form = byId<HTMLFormElement>('catalogue-form');
  readonly #start = byId<HTMLInputElement>('search-start');
  readonly #end = byId<HTMLInputElement>('search-end');
  readonly #min = byId<HTMLInputElement>('search-min');
  readonly #max = byId<HTMLInputElement>('search-max');
  readonly #region = byId<HTMLInputElement>('search-region');
  readonly #error = byId('search-error');
  #problem: MessageKey | null = null;
  #i18n: I18n;
  /** The service queried: USGS's, or the one a link names (`?catalogue=`, for tests). */
  service: string | undefined;
  /** The map's view when the form is sent. */
  view: () => MapBox = () => ({ south: -90, north: 90, west: -180, east: 180 });
  /** A valid query was sent: its URL. */
  onQuery: (url: string) => void = () => {};

  constructor(i18n: I18n) {
    this.#i18n = i18n;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const result = catalogueUrl(this.#query(), this.service);
      this.#problem = result.ok ? null : `search.error.${result.problem}`;
      this.setLanguage(this.#i18n);
      if (result.ok) this.onQuery(result.url);
    });
  }

  setLanguage(i18n: I18n): void {
    this.#i18n = i18n;
    this.#error.hidden = this.#problem === null;
    this.#error.textContent = this.#problem === null ? '' : i18n.t(this.#problem);
  }

  #query(): CatalogueQuery {
    // datetime-local fields are read in the reader's time zone, as the browser shows them.
    const time = (input: HTMLInputElement) =>
      input.value === '' ? null : new Date(input.value).getTime();
    const mag = (input: HTMLInputElement) =>
      input.value === '' || !Number.isFinite(input.valueAsNumber) ? null : input.valueAsNumber;
    return {
      start: time(this.#start),
      end: time(this.#end),
      minMag: mag(this.#min),
      maxMag: mag(this.#max),
      region: this.#region.checked ? this.view() : null,
    };
  }
}
