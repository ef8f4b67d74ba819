/**
 * The dashboard's settings as URL parameters, so a view can be shared as a link and restored.
 * The same text form is used in the query (`?feed=…&min=4.5`), the hash (`#feed=4.5_week`) and
 * localStorage. Unknown keys and invalid values are ignored: a broken link still opens.
 */
import { type FeedId, feedName, parseFeedName } from './feeds.ts';
import { MAG_RANGE, NO_FILTER, type QuakeFilter } from './filter.ts';
import { safeHttpUrl } from './guards.ts';
import { IMPACTS } from './impact.ts';
import type { ColourBy } from './scale.ts';
import { SORT_ORDERS, type SortOrder } from './sort-order.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.ts';
import { TIME_ZONES, type TimeZoneChoice } from './time-zone.ts';

const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const TILE_PROVIDERS = ['none', 'carto', 'osm'] as const;
export type Tiles = (typeof TILE_PROVIDERS)[number];

/** What the user chose; saved in the hash and localStorage. */
export interface Settings {
  /** One of the 20 USGS feeds, or the URL of any GeoJSON feed. */
  readonly feed: FeedId | string;
  readonly filter: QuakeFilter;
  readonly colourBy: ColourBy;
  /** Null: follow the browser's language. */
  readonly lang: Language | null;
  /** Magnitude from which a quake raises an alert card. */
  readonly alertMag: number;
  readonly tiles: Tiles;
  /** The list's order (also the exports'). */
  readonly sort: SortOrder;
  /** The zone every time is shown in. */
  readonly timeZone: TimeZoneChoice;
  /** Tectonic plate boundaries drawn over the basemap. */
  readonly plates: boolean;
  /** The list shows only the quakes inside the map's view. */
  readonly inView: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  feed: { level: 'all', period: 'day' },
  filter: NO_FILTER,
  colourBy: 'magnitude',
  lang: null,
  alertMag: 4.5,
  tiles: 'none',
  sort: 'newest',
  timeZone: 'local',
  plates: false,
  inView: false,
};

/** Parameters only a link or a test sets; they are never saved. */
export interface SessionOptions {
  /** Poll period in ms instead of the feed's regeneration period. */
  readonly pollMs: number | null;
  /** Fetch timeout in ms. */
  readonly timeoutMs: number | null;
  /** WebSocket address of a Sismos bridge (ws: or wss:). */
  readonly bridge: string | null;
  /** The FDSN event service the catalogue search queries, instead of USGS's (tests). */
  readonly catalogue: string | null;
}

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/** The settings one source names: absent or invalid ones are left out. */
interface SettingsPatch {
  readonly settings: Mutable<Omit<Settings, 'filter'>>;
  readonly filter: Mutable<QuakeFilter>;
}

function decodeSettings(params: URLSearchParams): SettingsPatch {
  const out: Mutable<Omit<Settings, 'filter'>> = {};
  const feed = params.get('feed');
  if (feed !== null) {
    const parsed = parseFeedName(feed) ?? safeHttpUrl(feed);
    if (parsed !== null) out.feed = parsed;
  }
  const filter: Mutable<QuakeFilter> = {};
  const min = magnitude(params.get('min'));
  if (min !== undefined) filter.minMag = min;
  const max = magnitude(params.get('max'));
  if (max !== undefined) filter.maxMag = max;
  const hide = params.get('hide');
  if (hide !== null) {
    filter.hiddenTypes = [
      ...new Set(
        hide
          .split(',')
          .map((type) => type.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
  }
  const window = params.get('window');
  if (window !== null) {
    const ms = parseDuration(window);
    if (ms !== undefined) filter.windowMs = ms;
  }
  const colour = params.get('color');
  if (colour === 'magnitude' || colour === 'depth') out.colourBy = colour;
  const lang = params.get('lang');
  if (lang === 'auto') out.lang = null;
  else if (lang !== null) {
    const code = lang.slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(code)) out.lang = code as Language;
  }
  const alert = magnitude(params.get('alert'));
  if (alert !== undefined && alert !== null) out.alertMag = alert;
  const tiles = params.get('tiles');
  if (tiles !== null && (TILE_PROVIDERS as readonly string[]).includes(tiles)) {
    out.tiles = tiles as Tiles;
  }
  const impact = params.get('impact');
  if (impact !== null) {
    filter.impact = IMPACTS.filter((need) => impact.split(',').includes(need));
  }
  const sort = oneOf(params.get('sort'), SORT_ORDERS);
  if (sort !== undefined) out.sort = sort;
  const zone = oneOf(params.get('tz'), TIME_ZONES);
  if (zone !== undefined) out.timeZone = zone;
  const plates = flag(params.get('plates'));
  if (plates !== undefined) out.plates = plates;
  const inView = flag(params.get('inview'));
  if (inView !== undefined) out.inView = inView;
  return { settings: out, filter };
}

function oneOf<T extends string>(text: string | null, values: readonly T[]): T | undefined {
  return values.find((value) => value === text);
}

/** "1" -> true, "0" -> false, anything else -> undefined. */
function flag(text: string | null): boolean | undefined {
  return text === '1' ? true : text === '0' ? false : undefined;
}

/**
 * Merges sources, most important first (e.g. hash, query, localStorage): each setting comes from
 * the first source that has it, else from the defaults.
 */
export function mergeSettings(...sources: URLSearchParams[]): Settings {
  let settings: Settings = DEFAULT_SETTINGS;
  for (const params of [...sources].reverse()) {
    const patch = decodeSettings(params);
    settings = { ...settings, ...patch.settings, filter: { ...settings.filter, ...patch.filter } };
  }
  return settings;
}

/**
 * The settings as parameters. Only those that differ from the defaults are written, plus the
 * keys in `explicit` (written even at their default, e.g. `min=any`), so that a value the user
 * reset still overrides the same key in a less important source such as the query.
 */
export function encodeSettings(
  settings: Settings,
  explicit: ReadonlySet<string> = new Set(),
): URLSearchParams {
  const params = new URLSearchParams();
  const put = (key: string, value: string, isDefault: boolean) => {
    if (!isDefault || explicit.has(key)) params.set(key, value);
  };
  const feed = typeof settings.feed === 'string' ? settings.feed : feedName(settings.feed);
  put('feed', feed, feed === feedName(DEFAULT_SETTINGS.feed as FeedId));
  const { minMag, maxMag, hiddenTypes, windowMs } = settings.filter;
  put('min', minMag === null ? 'any' : String(minMag), minMag === null);
  put('max', maxMag === null ? 'any' : String(maxMag), maxMag === null);
  put('hide', hiddenTypes.join(','), hiddenTypes.length === 0);
  put('window', windowMs === null ? 'all' : formatDuration(windowMs), windowMs === null);
  put('color', settings.colourBy, settings.colourBy === DEFAULT_SETTINGS.colourBy);
  put('lang', settings.lang ?? 'auto', settings.lang === null);
  put('alert', String(settings.alertMag), settings.alertMag === DEFAULT_SETTINGS.alertMag);
  put('tiles', settings.tiles, settings.tiles === DEFAULT_SETTINGS.tiles);
  const { impact } = settings.filter;
  put('impact', impact.join(','), impact.length === 0);
  put('sort', settings.sort, settings.sort === DEFAULT_SETTINGS.sort);
  put('tz', settings.timeZone, settings.timeZone === DEFAULT_SETTINGS.timeZone);
  put('plates', settings.plates ? '1' : '0', settings.plates === DEFAULT_SETTINGS.plates);
  put('inview', settings.inView ? '1' : '0', settings.inView === DEFAULT_SETTINGS.inView);
  return params;
}

/** The parameter names settings use (the others are session options or unknown). */
export const SETTING_KEYS: readonly string[] = [
  'feed',
  'min',
  'max',
  'hide',
  'window',
  'color',
  'lang',
  'alert',
  'tiles',
  'impact',
  'sort',
  'tz',
  'plates',
  'inview',
];

export function decodeSession(params: URLSearchParams): SessionOptions {
  const bridge = params.get('bridge');
  return {
    pollMs: positiveMs(params.get('poll')),
    timeoutMs: positiveMs(params.get('timeout')),
    bridge: bridge !== null && /^wss?:\/\/\S+$/i.test(bridge) ? bridge : null,
    catalogue: safeHttpUrl(params.get('catalogue')),
  };
}

/** "4.5" -> 4.5, "" or "any" -> null (no limit), anything else or out of range -> undefined. */
function magnitude(text: string | null): number | null | undefined {
  if (text === null) return undefined;
  if (text === '' || text === 'any') return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value < MAG_RANGE.min || value > MAG_RANGE.max) return undefined;
  return value;
}

const UNITS: Readonly<Record<string, number>> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** "6h" -> 21600000; "all" -> null; invalid -> undefined. */
export function parseDuration(text: string): number | null | undefined {
  if (text === 'all') return null;
  const match = /^(\d{1,4})([mhd])$/.exec(text);
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] as string] as number);
  return ms > 0 ? ms : undefined;
}

/** The shortest exact form: 86400000 -> "1d", 21600000 -> "6h", 300000 -> "5m". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm']) {
    const size = UNITS[unit] as number;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.max(1, Math.round(ms / MINUTE_MS))}m`;
}

function positiveMs(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : null;
}
