import { clip, describeValue, FeedError } from './errors.ts';
import {
  finiteOrNull,
  isDepthKm,
  isEpochMs,
  isLatitude,
  isLongitude,
  isMagnitude,
  isObject,
  isQuakeTime,
  latestQuakeTime,
  lowerOrNull,
  PLAUSIBLE,
  safeHttpUrl,
  stringOrNull,
} from './guards.ts';
import type { PagerLevel, Quake } from './quake.ts';

export interface FeedMetadata {
  /** When USGS generated the feed, epoch ms; null when the feed does not say. */
  readonly generated: number | null;
  readonly url: string | null;
  readonly title: string | null;
  /** `metadata.count` as published; it can differ from the number of features. */
  readonly declaredCount: number | null;
}

/** A feature that could not become a quake, and why. */
export interface Reject {
  /** Position of the feature in `features`. */
  readonly index: number;
  readonly id: string | null;
  readonly reason: string;
}

export interface ParsedFeed {
  readonly metadata: FeedMetadata;
  /** Valid quakes in feed order, one per id (the newest revision when an id repeats). */
  readonly quakes: Quake[];
  readonly rejects: Reject[];
}

/**
 * Parses the text of a USGS GeoJSON summary feed read at `now` (see parseFeed).
 * Throws FeedError only when the whole document is unusable.
 */
export function parseFeedText(text: string, now = Date.now()): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FeedError('FEED_NOT_JSON', `feed is not JSON (${reason})`, { cause: error });
  }
  return parseFeed(doc, now);
}

/**
 * Turns a decoded USGS GeoJSON FeatureCollection, read at `now`, into validated quakes.
 * One bad or implausible feature never fails the feed: it lands in `rejects` with its reason.
 */
export function parseFeed(doc: unknown, now = Date.now()): ParsedFeed {
  const features = isObject(doc) ? doc.features : undefined;
  const { metadata, times } = collectionOf(doc, features, now);
  const list = features as unknown[];
  return collectFeed(metadata, list.length, (index) => featureOutcome(list[index], times));
}

/** A feature that is not a quake: its id, if it has one, and why. */
export interface Unusable {
  readonly id: string | null;
  readonly reason: string;
}

/** The origin times a feed's quakes may have: up to `latest`, described in `text` for a reason. */
export interface TimeRange {
  readonly latest: number;
  readonly text: string;
}

/**
 * The metadata of the FeatureCollection `doc` whose features are `features`, and the times its
 * quakes may have when read at `now`; throws FeedError when `doc` is not a FeatureCollection.
 */
export function collectionOf(
  doc: unknown,
  features: unknown,
  now: number,
): { metadata: FeedMetadata; times: TimeRange } {
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(features)) {
    const detail =
      isObject(doc) && doc.type === 'FeatureCollection'
        ? `its features must be an array, got ${describeValue(features)}`
        : `got ${describeShape(doc)}`;
    throw new FeedError(
      'FEED_NOT_COLLECTION',
      `feed is not a GeoJSON FeatureCollection (${detail})`,
    );
  }
  const metadata = toMetadata(doc.metadata);
  const latest = latestQuakeTime(metadata.generated, now);
  const basis =
    metadata.generated !== null && metadata.generated <= now
      ? 'the feed was generated'
      : 'it was read';
  const times: TimeRange = {
    latest,
    text: `from ${isoDate(PLAUSIBLE.firstTime)} to a day after ${basis} (${isoDate(latest)})`,
  };
  return { metadata, times };
}

/** What a decoded feature becomes: a quake, or why it cannot be one. */
export function featureOutcome(feature: unknown, times: TimeRange): Quake | Unusable {
  const result = toQuake(feature, times);
  return typeof result === 'string' ? { id: featureId(feature), reason: result } : result;
}

/**
 * The feed of `count` features whose outcomes `outcomeAt` gives, in feed order: the quakes, one
 * per id (the newest revision when an id repeats), and the rejects.
 */
export function collectFeed(
  metadata: FeedMetadata,
  count: number,
  outcomeAt: (index: number) => Quake | Unusable,
): ParsedFeed {
  const quakes: Quake[] = [];
  const rejects: Reject[] = [];
  const positionById = new Map<string, number>();
  for (let index = 0; index < count; index++) {
    const result = outcomeAt(index);
    if ('reason' in result) {
      rejects.push({ index, id: result.id, reason: result.reason });
      continue;
    }
    const earlier = positionById.get(result.id);
    if (earlier === undefined) {
      positionById.set(result.id, quakes.length);
      quakes.push(result);
      continue;
    }
    const kept = quakes[earlier] as Quake;
    if (result.updated > kept.updated) quakes[earlier] = result;
    const newest = Math.max(result.updated, kept.updated);
    rejects.push({
      index,
      id: result.id,
      reason: `duplicate id; kept the version updated at ${new Date(newest).toISOString()}`,
    });
  }
  return { metadata, quakes, rejects };
}

function toMetadata(value: unknown): FeedMetadata {
  const meta = isObject(value) ? value : {};
  return {
    generated: isEpochMs(meta.generated) ? meta.generated : null,
    url: typeof meta.url === 'string' ? meta.url : null,
    title: typeof meta.title === 'string' ? meta.title : null,
    declaredCount: finiteOrNull(meta.count),
  };
}

/**
 * The longest text field a quake keeps (USGS's are under 100 characters). Six such fields, even
 * escaped in JSON, stay within MAX_MESSAGE_BYTES, so every quake travels as a Kafka message.
 */
const MAX_TEXT = 1000;

const PAGER_LEVELS: ReadonlySet<string> = new Set(['green', 'yellow', 'orange', 'red']);

/** A quake, or the reason the feature is not one. */
function toQuake(feature: unknown, times: TimeRange): Quake | string {
  if (!isObject(feature)) return `feature is not an object (got ${describeValue(feature)})`;
  const { id, properties: p, geometry: g } = feature;
  if (typeof id !== 'string' || id.length === 0) {
    return `id must be a non-empty string, got ${describeValue(id)}`;
  }
  if (!isObject(p)) return `properties must be an object, got ${describeValue(p)}`;
  if (!isObject(g) || g.type !== 'Point') {
    return `geometry must be a GeoJSON Point, got ${describeShape(g)}`;
  }
  if (!Array.isArray(g.coordinates)) {
    return `geometry.coordinates must be [longitude, latitude, depth], got ${describeValue(g.coordinates)}`;
  }
  const [lon, lat, depth] = g.coordinates as unknown[];
  if (!isLongitude(lon))
    return `longitude must be a number in [-180, 180], got ${describeValue(lon)}`;
  if (!isLatitude(lat)) return `latitude must be a number in [-90, 90], got ${describeValue(lat)}`;
  if (depth != null && !isDepthKm(depth)) {
    return `depth must be a number of km from ${PLAUSIBLE.minDepthKm} to ${PLAUSIBLE.maxDepthKm} or null, got ${describeValue(depth)}`;
  }
  if (p.mag != null && !isMagnitude(p.mag)) {
    return `properties.mag must be a magnitude from ${PLAUSIBLE.minMag} to ${PLAUSIBLE.maxMag} or null, got ${describeValue(p.mag)}`;
  }
  if (!isEpochMs(p.time)) {
    return `properties.time must be whole epoch milliseconds of a year from 0000 to 9999, got ${describeValue(p.time)}`;
  }
  if (!isQuakeTime(p.time, times.latest)) {
    return `properties.time must be ${times.text}, got ${isoDate(p.time)}`;
  }
  if (p.updated != null && !isEpochMs(p.updated)) {
    return `properties.updated must be whole epoch milliseconds of a year from 0000 to 9999, got ${describeValue(p.updated)}`;
  }
  const long = longText(id, p);
  if (long !== null) {
    return `${long.name} has ${long.length} characters, more than the ${MAX_TEXT} a quake may have`;
  }
  const alert = lowerOrNull(p.alert);
  const felt = p.felt;
  const tz = p.tz;
  // The impact products USGS attaches (DYFI felt reports, intensities) and its epicentre time
  // zone are optional extras: a value out of range is dropped rather than failing the quake.
  return {
    id,
    time: p.time,
    updated: (p.updated as number | null | undefined) ?? p.time,
    mag: (p.mag as number | null | undefined) ?? null,
    magType: stringOrNull(p.magType),
    place: stringOrNull(p.place),
    lat,
    lon,
    depth: (depth as number | null | undefined) ?? null,
    // Old feeds publish null for "no tsunami flag".
    tsunami: p.tsunami === 1 || p.tsunami === true,
    status: lowerOrNull(p.status),
    type: lowerOrNull(p.type) ?? 'earthquake',
    url: safeHttpUrl(p.url),
    alert: alert !== null && PAGER_LEVELS.has(alert) ? (alert as PagerLevel) : null,
    felt: Number.isSafeInteger(felt) && (felt as number) >= 0 ? (felt as number) : null,
    cdi: intensity(p.cdi),
    mmi: intensity(p.mmi),
    tz: Number.isInteger(tz) && Math.abs(tz as number) <= 14 * 60 ? (tz as number) : null,
  };
}

const TEXT_PROPERTIES = ['place', 'magType', 'status', 'type', 'url'] as const;

/** The first of a feature's texts longer than a quake may keep, named as in the feed, or null. */
function longText(id: string, p: Record<string, unknown>): { name: string; length: number } | null {
  if (id.length > MAX_TEXT) return { name: 'id', length: id.length };
  for (const key of TEXT_PROPERTIES) {
    const value = p[key];
    if (typeof value === 'string' && value.length > MAX_TEXT) {
      return { name: `properties.${key}`, length: value.length };
    }
  }
  return null;
}

/** An intensity (CDI, MMI) from 0 to 12, or null. */
function intensity(value: unknown): number | null {
  return typeof value === 'number' && value >= 0 && value <= 12 ? value : null;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

function featureId(feature: unknown): string | null {
  return isObject(feature) && typeof feature.id === 'string' ? feature.id : null;
}

function describeShape(value: unknown): string {
  if (isObject(value) && typeof value.type === 'string')
    return `type ${JSON.stringify(clip(value.type))}`;
  return describeValue(value);
}
