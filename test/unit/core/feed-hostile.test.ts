/**
 * Hostile feeds: the recorded USGS feeds mutated at random (fast-check). Whatever arrives, the
 * parser either returns valid quakes, checked here field by field without the code under test, or
 * throws its typed FeedError with a short reason; it never throws anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../src/core/errors.ts';
import { type ParsedFeed, parseFeed, parseFeedText } from '../../../src/core/feed.ts';
import { generatedOf, sameFeatures } from '../../../src/core/feed-text.ts';
import { type FixtureName, fixtureJson, fixtureText } from '../../helpers/fixtures.ts';
import {
  buildHostileText,
  type DocMutation,
  docMutations,
  garbage,
  hostileText,
  mutateDoc,
} from '../../helpers/hostile-feed.ts';
import { quakeProblems } from '../../helpers/quake.ts';
import { runs } from '../../helpers/seed.ts';

/** The three smaller recorded feeds (8, 151 and 71 features): mutating them is cheap. */
const FEEDS = [
  '2017-12-03_all_hour.geojson',
  '2016-11-03_all_day.geojson',
  '2018-06-12_4.5_week.geojson',
] as const satisfies readonly FixtureName[];
const docs = new Map(FEEDS.map((name) => [name, fixtureJson(name)]));
// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON
const featuresOf = (name: (typeof FEEDS)[number]): any[] => docs.get(name).features;

/** Each property runs a bounded number of cases; this leaves room for a loaded machine. */
const TIMEOUT_MS = 30_000;

/** A user sees the reason in one line: it must stay short whatever the input was. */
const MAX_REASON = 500;

/** Runs `parse`; returns the feed, or null after checking that it threw a short FeedError. */
function parsedOrFeedError(parse: () => ParsedFeed): ParsedFeed | null {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(FeedError);
    expect(['FEED_NOT_JSON', 'FEED_NOT_COLLECTION']).toContain((error as FeedError).code);
    expect((error as FeedError).message.length).toBeLessThan(MAX_REASON);
    return null;
  }
}

const DAY_MS = 86_400_000;

/** A day after the feed was generated, or after `readAt` when it does not say or says a time to come. */
function latestTime(feed: ParsedFeed, readAt: number): number {
  return Math.min(feed.metadata.generated ?? readAt, readAt) + DAY_MS;
}

/** Every quake valid and plausible, none later than latestTime, ids unique, every reject explained in a short line. */
function expectValid(feed: ParsedFeed, featureCount: number, readAt: number): void {
  const latest = latestTime(feed, readAt);
  for (const quake of feed.quakes) {
    expect(quakeProblems(quake), quake.id).toEqual([]);
    expect(quake.time, quake.id).toBeLessThanOrEqual(latest);
  }
  expect(new Set(feed.quakes.map((q) => q.id)).size).toBe(feed.quakes.length);
  for (const reject of feed.rejects) {
    expect(reject.index).toBeGreaterThanOrEqual(0);
    expect(reject.index).toBeLessThan(featureCount);
    expect(reject.reason.length).toBeGreaterThan(0);
    expect(reject.reason.length).toBeLessThan(MAX_REASON);
  }
}

/** Indexes of the features no mutation reached. */
function untouched(count: number, mutations: readonly DocMutation[]): number[] {
  const touched = new Set(
    mutations.filter((m) => m.path[0] === 'features').map((m) => m.path[1] ?? 'all'),
  );
  if (touched.has('all')) return [];
  return Array.from({ length: count }, (_, i) => i).filter((i) => !touched.has(i));
}

describe('parseFeed on mutated recorded feeds (JavaScript values)', () => {
  it(
    'returns only valid quakes, keeps every untouched feature, and throws nothing but FeedError',
    () => {
      const feedAndMutations = fc
        .constantFrom(...FEEDS)
        .chain((name) => fc.tuple(fc.constant(name), docMutations(featuresOf(name).length, false)));
      fc.assert(
        fc.property(feedAndMutations, ([name, mutations]) => {
          const doc = mutateDoc(docs.get(name), mutations) as { features?: unknown };
          const feed = parsedOrFeedError(() => parseFeed(doc));
          if (feed === null) return;
          const readAt = Date.now();
          const features = doc.features as unknown[];
          expectValid(feed, features.length, readAt);
          // One bad feature never costs the others: each untouched one is still a quake, unless a
          // mutated feature now claims its id, or a mutated generation time makes it too late.
          const original = parseFeed(docs.get(name)).quakes;
          const ids = features.map((f) => (f as { id?: unknown } | null)?.id);
          const latest = latestTime(feed, readAt);
          for (const i of untouched(features.length, mutations)) {
            const quake = original[i];
            if (quake === undefined || quake.time > latest) continue;
            if (ids.filter((id) => id === quake.id).length > 1) continue;
            expect(feed.quakes.find((q) => q.id === quake.id)).toEqual(quake);
          }
        }),
        runs(200),
      );
    },
    TIMEOUT_MS,
  );
});

describe('parseFeedText on mutated recorded feeds (text)', () => {
  it(
    'returns only valid quakes or throws a short FeedError, for truncations, invalid tokens, garbage, huge strings and deep nesting',
    () => {
      const feedAndMutations = fc
        .constantFrom(...FEEDS)
        .chain((name) => fc.tuple(fc.constant(name), hostileText(featuresOf(name).length)));
      fc.assert(
        fc.property(feedAndMutations, ([name, hostile]) => {
          const text = buildHostileText(docs.get(name), hostile);
          const feed = parsedOrFeedError(() => parseFeedText(text));
          if (feed !== null) {
            expectValid(feed, (JSON.parse(text).features as unknown[]).length, Date.now());
          }
        }),
        runs(150),
      );
    },
    TIMEOUT_MS,
  );

  it('refuses NaN and Infinity written as tokens, which JSON does not have', () => {
    const text = fixtureText('2017-12-03_all_hour.geojson');
    for (const token of ['NaN', 'Infinity', '-Infinity']) {
      const error = (() => {
        try {
          parseFeedText(text.replace(/"mag":[\d.]+/, `"mag":${token}`));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).code).toBe('FEED_NOT_JSON');
    }
    // 1e999 is valid JSON that reads as Infinity: that feature is rejected, the others kept.
    const feed = parseFeedText(text.replace(/"mag":[\d.]+/, '"mag":1e999'));
    expect(feed.rejects).toEqual([
      expect.objectContaining({
        index: 0,
        reason: expect.stringMatching(
          /^properties\.mag must be a magnitude from -2 to 10\.5 or null, got number Infinity$/,
        ),
      }),
    ]);
    expect(feed.quakes).toHaveLength(7);
  });

  it(
    'throws a short FeedError for 10 MB of garbage, of random bytes or of JSON that is no feed',
    () => {
      const TEN_MB = 10 * 1024 * 1024;
      const bytes = fc.record({ seed: fc.integer(), json: fc.boolean() });
      fc.assert(
        fc.property(bytes, ({ seed, json }) => {
          const text = json ? jsonGarbage(seed, TEN_MB) : garbage(TEN_MB, seed);
          expect(text.length).toBeGreaterThanOrEqual(TEN_MB / 2);
          expect(parsedOrFeedError(() => parseFeedText(text))).toBeNull();
        }),
        runs(4),
      );
    },
    TIMEOUT_MS,
  );
});

describe('the re-poll shortcut on hostile texts', () => {
  it(
    'sameFeatures never throws, and generatedOf gives null or a time a message can carry',
    () => {
      const original = fixtureText('2016-11-03_all_day.geojson');
      fc.assert(
        fc.property(hostileText(featuresOf('2016-11-03_all_day.geojson').length), (hostile) => {
          const text = buildHostileText(docs.get('2016-11-03_all_day.geojson'), hostile);
          expect(typeof sameFeatures(original, text)).toBe('boolean');
          const generated = generatedOf(text);
          if (generated !== null) expect(new Date(generated).toISOString()).toMatch(/^\d{4}-.*Z$/);
        }),
        runs(100),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'sameFeatures never says "unchanged" of a feed whose features changed, whatever its metadata says',
    () => {
      const name = '2016-11-03_all_day.geojson';
      const doc = docs.get(name) as { metadata: object; features: unknown[] };
      const previous = JSON.stringify(doc);
      // A regenerated feed: its generation time moved, and its features changed or did not. (Deep
      // nesting is left out: JSON.stringify cannot write it, and the parser's tests cover it.)
      const regenerated = fc.record({
        mutations: docMutations(featuresOf(name).length, true).filter((mutations) =>
          mutations.every((m) => m.op === 'delete' || m.value.kind !== 'deep'),
        ),
        generated: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      });
      let changes = 0;
      fc.assert(
        fc.property(regenerated, ({ mutations, generated }) => {
          const next = mutateDoc(doc, mutations) as { metadata?: object; features?: unknown };
          const text = JSON.stringify({ ...next, metadata: { ...next.metadata, generated } });
          if (JSON.stringify(next.features) === JSON.stringify(doc.features)) return;
          changes++;
          expect(sameFeatures(previous, text)).toBe(false);
        }),
        runs(300),
      );
      // Most draws change a feature: the property is not vacuous.
      expect(changes).toBeGreaterThan(150);
    },
    TIMEOUT_MS,
  );

  it('sameFeatures says "changed" for one digit changed anywhere in the features, the length kept', () => {
    const previous = JSON.stringify(docs.get('2016-11-03_all_day.geojson'));
    const start = previous.indexOf('"features":');
    const digits = [...previous.matchAll(/\d/g)]
      .map((match) => match.index)
      .filter((at) => at > start);
    fc.assert(
      fc.property(fc.constantFrom(...digits), fc.integer({ min: 1, max: 9 }), (at, step) => {
        const digit = String((Number(previous[at]) + step) % 10);
        const next = previous.slice(0, at) + digit + previous.slice(at + 1);
        expect(next).toHaveLength(previous.length);
        expect(sameFeatures(previous, next)).toBe(false);
      }),
      runs(300),
    );
    // What it is for: a feed regenerated with the same features is recognised.
    const regenerated = previous.replace(/"generated":\d+/, '"generated":1478196000000');
    expect(regenerated).not.toBe(previous);
    expect(sameFeatures(previous, regenerated)).toBe(true);
  });
});

/** About `size` characters of valid JSON from `seed` that is not a FeatureCollection. */
function jsonGarbage(seed: number, size: number): string {
  const item = JSON.stringify({ type: 'Feature', seed, properties: { place: 'x'.repeat(1000) } });
  const items = Array.from({ length: Math.ceil(size / item.length) }, () => item);
  return seed % 2 === 0
    ? `[${items.join(',')}]`
    : `{"type":"Feature","features":[${items.join(',')}]}`;
}
