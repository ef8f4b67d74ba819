import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revisedTexts } from '../../../bench/lib/feeds.ts';
import { type ParsedFeed, parseFeedText } from '../../../src/core/feed.ts';
import { FeedReader, generatedOf, sameFeatures } from '../../../src/core/feed-text.ts';
import { fixtureJson, fixtureText } from '../../helpers/fixtures.ts';
import { buildHostileText, hostileText } from '../../helpers/hostile-feed.ts';
import { runs } from '../../helpers/seed.ts';

const text = fixtureText('2016-11-03_all_day.geojson');
const regenerated = text.replace(
  /"generated":(\d+)/,
  (_, ms) => `"generated":${Number(ms) + 60_000}`,
);

describe('sameFeatures', () => {
  it('is true for the same text and for a regenerated feed whose features did not change', () => {
    expect(regenerated).not.toBe(text);
    expect(sameFeatures(text, text)).toBe(true);
    expect(sameFeatures(text, regenerated)).toBe(true);
  });

  it('is false when any feature changed, or there is no previous text', () => {
    const revised = text.replace('"mag":1.09', '"mag":1.1');
    expect(revised).not.toBe(text);
    expect(sameFeatures(text, revised)).toBe(false);
    expect(sameFeatures(null, text)).toBe(false);
    expect(sameFeatures(text, '{"type":"FeatureCollection"}')).toBe(false);
  });
});

describe('generatedOf', () => {
  it('reads metadata.generated from the text before the features', () => {
    expect(generatedOf(text)).toBe(JSON.parse(text).metadata.generated);
    expect(generatedOf(regenerated)).toBe(JSON.parse(text).metadata.generated + 60_000);
    expect(generatedOf('{"features":[{"generated":5}]}')).toBeNull();
    // Past the year 9999 a number is no generation time (a Date cannot even hold this one).
    expect(generatedOf('{"metadata":{"generated":9999999999999999},"features":[]}')).toBeNull();
    expect(generatedOf('{"metadata":{"generated":253402300800000},"features":[]}')).toBeNull();
  });
});

/** What parseFeedText makes of `text` read at `now`: the feed, or the code of its FeedError. */
function parsedOrCode(read: () => ParsedFeed): ParsedFeed | string {
  try {
    return read();
  } catch (error) {
    return (error as { code: string }).code;
  }
}

const NOW = Date.parse('2024-01-01T00:00:00Z');
const DAY = fixtureJson('2016-11-03_all_day.geojson');

describe('FeedReader', () => {
  it('reads a feed, its revisions and the feed again exactly as parseFeedText does', () => {
    const reader = new FeedReader();
    const week = fixtureText('2023-04-07_all_week.geojson');
    for (const next of [week, ...revisedTexts(week, 3), week, text, regenerated]) {
      expect(reader.read(next, NOW)).toEqual(parseFeedText(next, NOW));
    }
  });

  it('keeps the quake of every feature whose text did not change, and decodes the revised ones', () => {
    const reader = new FeedReader();
    const week = fixtureText('2023-04-07_all_week.geojson');
    const [revised] = revisedTexts(week, 1) as [string];
    const before = reader.read(week, NOW).quakes;
    const after = reader.read(revised, NOW).quakes;
    const kept = after.filter((quake, i) => quake === before[i]).length;
    // revisedTexts revises one quake in a hundred: the first, the 101st, ...
    expect(after.length - kept).toBe(Math.ceil(before.length / 100));
    expect(after[0]).not.toBe(before[0]);
    expect(after[0]?.mag).toBeCloseTo((before[0]?.mag ?? 0) + 0.1, 9);
    expect(after[1]).toBe(before[1]);
    // A new quake on top: every other feature moved (the last one past the end of the last
    // text), and keeps its quake.
    const doc = JSON.parse(revised);
    const arrival = { ...doc.features[1], id: 'us-new-arrival' };
    const moved = JSON.stringify({ ...doc, features: [arrival, ...doc.features] });
    const next = reader.read(moved, NOW);
    expect(next).toEqual(parseFeedText(moved, NOW));
    expect(next.quakes.slice(1)).toEqual(after);
    next.quakes.slice(1).forEach((quake, i) => {
      expect(quake).toBe(after[i]);
    });
  });

  it('checks the known quakes again when the feed says an earlier time (a quake may now be too late)', () => {
    const reader = new FeedReader();
    const latestQuake = Math.max(
      ...DAY.features.map((f: { properties: { time: number } }) => f.properties.time),
    );
    const earlier = JSON.stringify({
      ...DAY,
      metadata: { ...DAY.metadata, generated: latestQuake - 2 * 86_400_000 },
    });
    reader.read(JSON.stringify(DAY), NOW);
    const feed = reader.read(earlier, NOW);
    expect(feed).toEqual(parseFeedText(earlier, NOW));
    expect(feed.rejects.length).toBeGreaterThan(0);
  });

  it('is not fooled by text that looks like its cut: a separator inside a feature, a features key repeated after the array or named in the metadata', () => {
    const reader = new FeedReader();
    reader.read(text, NOW);
    const features = DAY.features.slice(0, 3);
    // Inside a string the separator's quotes are escaped; inside a nested array it is itself.
    const nested = JSON.stringify({
      ...DAY,
      features: [
        {
          ...features[0],
          properties: { ...features[0].properties, extra: [{}, { type: 'Feature' }] },
        },
        ...features.slice(1),
      ],
    });
    const repeated = `${JSON.stringify({ ...DAY, features })}`.replace(/}$/, ',"features":5}');
    const repeatedZero = repeated.replace(/"features":5}$/, '"features":0}');
    const inMetadata = JSON.stringify({
      ...DAY,
      metadata: { ...DAY.metadata, title: '"features":[{"type":"Feature"}]' },
      features,
    });
    expect(nested).toContain('},{"type":"Feature"}');
    for (const hostile of [nested, repeated, repeatedZero, inMetadata]) {
      expect(parsedOrCode(() => reader.read(hostile, NOW))).toEqual(
        parsedOrCode(() => parseFeedText(hostile, NOW)),
      );
    }
    expect(parsedOrCode(() => reader.read(repeated, NOW))).toBe('FEED_NOT_COLLECTION');
    expect(parsedOrCode(() => reader.read(repeatedZero, NOW))).toBe('FEED_NOT_COLLECTION');
  });

  it('reads any hostile feed after a good one, and a good one after it, as parseFeedText does', () => {
    fc.assert(
      fc.property(hostileText(DAY.features.length), (hostile) => {
        const reader = new FeedReader();
        const bad = buildHostileText(DAY, hostile);
        for (const next of [text, bad, text]) {
          expect(parsedOrCode(() => reader.read(next, NOW))).toEqual(
            parsedOrCode(() => parseFeedText(next, NOW)),
          );
        }
      }),
      runs(60),
    );
  });
});
