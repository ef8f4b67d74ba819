/** Translation and Intl formatting for the chosen language. */

import type { Quake } from '../../core/quake.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../core/time.ts';
import { offsetFor, offsetLabel, type TimeZoneChoice } from '../../core/time-zone.ts';
import type { Language } from '../../core/url-state.ts';
import { en, es, type MessageKey, type Messages } from './messages.ts';

export type { MessageKey } from './messages.ts';

const MESSAGES: Readonly<Record<Language, Messages>> = { es, en };

/** The language to use when the user chose none: Spanish for any Spanish locale, else English. */
export function browserLanguage(languages: readonly string[]): Language {
  for (const tag of languages) {
    const code = tag.slice(0, 2).toLowerCase();
    if (code === 'es' || code === 'en') return code;
  }
  return 'en';
}

const UNITS: readonly [unit: Intl.NumberFormatOptions['unit'], ms: number, upTo: number][] = [
  ['second', SECOND_MS, 59.5 * SECOND_MS],
  ['minute', MINUTE_MS, 90 * MINUTE_MS],
  ['hour', HOUR_MS, 48 * HOUR_MS],
  ['day', DAY_MS, 730 * DAY_MS],
  ['year', 365.25 * DAY_MS, Number.POSITIVE_INFINITY],
];

/** The reader's offset from UTC at an instant, in minutes (what time-zone.ts calls localOffset). */
export function readerOffset(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

/** What a time belongs to: a quake (its epicentre) or nothing in particular (a chart axis). */
type At = Pick<Quake, 'lon' | 'tz'> | null;

const SHORT: Intl.DateTimeFormatOptions = {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};
const SHORT_YEAR: Intl.DateTimeFormatOptions = { ...SHORT, year: 'numeric' };

export class I18n {
  readonly lang: Language;
  /** The zone every time is written in (local, epicentre or UTC). */
  readonly zone: TimeZoneChoice;
  readonly #messages: Messages;
  readonly #mag: Intl.NumberFormat;
  readonly #decimal: Intl.NumberFormat;
  readonly #integer: Intl.NumberFormat;
  readonly #coordinate: Intl.NumberFormat;
  readonly #local: Intl.DateTimeFormat;
  readonly #short: Intl.DateTimeFormat;
  readonly #shortYear: Intl.DateTimeFormat;
  readonly #utc: Intl.DateTimeFormat;
  readonly #utcShort: Intl.DateTimeFormat;
  readonly #utcShortYear: Intl.DateTimeFormat;
  readonly #units = new Map<string, Intl.NumberFormat>();

  constructor(lang: Language, zone: TimeZoneChoice = 'local') {
    this.lang = lang;
    this.zone = zone;
    this.#messages = MESSAGES[lang];
    this.#mag = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.#decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
    this.#integer = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    this.#coordinate = new Intl.NumberFormat(lang, { maximumFractionDigits: 4 });
    this.#local = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
    this.#short = new Intl.DateTimeFormat(lang, SHORT);
    this.#shortYear = new Intl.DateTimeFormat(lang, SHORT_YEAR);
    this.#utc = new Intl.DateTimeFormat(lang, {
      dateStyle: 'medium',
      timeStyle: 'medium',
      timeZone: 'UTC',
    });
    this.#utcShort = new Intl.DateTimeFormat(lang, { ...SHORT, timeZone: 'UTC' });
    this.#utcShortYear = new Intl.DateTimeFormat(lang, { ...SHORT_YEAR, timeZone: 'UTC' });
  }

  /** The message for `key` with its {placeholders} filled in. */
  t(key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
    return this.#messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  }

  /** Whether `key` is a message (for keys built from data, such as USGS's event types). */
  has(key: string): key is MessageKey {
    return Object.hasOwn(this.#messages, key);
  }

  /** A magnitude with one decimal ("5,2" in Spanish); an em dash when unknown. */
  mag(value: number | null): string {
    return value === null ? '—' : this.#mag.format(value);
  }

  decimal(value: number): string {
    return this.#decimal.format(value);
  }

  integer(value: number): string {
    return this.#integer.format(value);
  }

  /** A coordinate or depth to the 4 decimals USGS gives (about 10 m). */
  coordinate(value: number): string {
    return this.#coordinate.format(value);
  }

  /**
   * Date and time in the chosen zone: the reader's, UTC, or the epicentre's of the quake `at`
   * (UTC for a time of no quake); other than the reader's, it ends with its offset ("UTC+9").
   */
  local(ms: number, at: At = null): string {
    return this.#zoned(ms, at, this.#local, this.#utc);
  }

  /** Day and time in the chosen zone, for dense places like list rows; the year only when it is not this one. */
  short(ms: number, at: At = null): string {
    const sameYear = new Date(ms).getFullYear() === new Date().getFullYear();
    return sameYear
      ? this.#zoned(ms, at, this.#short, this.#utcShort)
      : this.#zoned(ms, at, this.#shortYear, this.#utcShortYear);
  }

  #zoned(ms: number, at: At, local: Intl.DateTimeFormat, utc: Intl.DateTimeFormat): string {
    if (this.zone === 'local') return local.format(ms);
    const offset = offsetFor(this.zone, ms, at, readerOffset);
    return `${utc.format(ms + offset * MINUTE_MS)} ${offsetLabel(offset)}`;
  }

  utc(ms: number): string {
    return `${this.#utc.format(ms)} UTC`;
  }

  /** A duration in the largest sensible unit: "45 s", "12 min", "3 h", "9 años". */
  duration(ms: number): string {
    const abs = Math.abs(ms);
    const [unit, size] = UNITS.find(([, , upTo]) => abs < upTo) ?? ['year', 365.25 * DAY_MS];
    let format = this.#units.get(unit as string);
    if (format === undefined) {
      format = new Intl.NumberFormat(this.lang, { style: 'unit', unit, unitDisplay: 'long' });
      this.#units.set(unit as string, format);
    }
    return format.format(Math.round(abs / size));
  }

  /** Writes the texts of [data-i18n] (content), [data-i18n-label] (aria-label) and [data-i18n-title]. */
  apply(root: ParentNode): void {
    for (const node of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
      node.textContent = this.t(node.dataset.i18n as MessageKey);
    }
    for (const node of root.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
      node.setAttribute('aria-label', this.t(node.dataset.i18nLabel as MessageKey));
    }
    for (const node of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) {
      node.title = this.t(node.dataset.i18nTitle as MessageKey);
    }
  }
}
