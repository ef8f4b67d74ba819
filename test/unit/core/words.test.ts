import { describe, expect, it } from 'vitest';
import { isGenericFetchError } from '../../../src/core/browser-errors.ts';
import { parseFeedText } from '../../../src/core/feed.ts';
import { feedOddities } from '../../../src/core/feed-oddities.ts';
import { isFresh, MIN_FRESH_MS } from '../../../src/core/freshness.ts';
import { MINUTE_MS, SECOND_MS } from '../../../src/core/time.ts';
import { fixtureJson } from '../../helpers/fixtures.ts';

const NOW = Date.UTC(2026, 11, 1, 12);

describe('isGenericFetchError', () => {
  it("recognises the browsers' wordless fetch failures and keeps every other reason", () => {
    expect(isGenericFetchError('Failed to fetch')).toBe(true);
    expect(isGenericFetchError('NetworkError when attempting to fetch resource.')).toBe(true);
    expect(isGenericFetchError('Load failed')).toBe(true);
    expect(isGenericFetchError('net::ERR_NAME_NOT_RESOLVED')).toBe(false);
    expect(isGenericFetchError('Failed to fetch: certificate expired')).toBe(false);
  });
});

describe('isFresh', () => {
  it('calls data live for a few poll periods, never less than five minutes', () => {
    expect(isFresh(NOW - 2 * MINUTE_MS, 60 * SECOND_MS, NOW)).toBe(true);
    expect(isFresh(NOW - MIN_FRESH_MS - 1, 60 * SECOND_MS, NOW)).toBe(false);
    expect(isFresh(NOW - 40 * MINUTE_MS, 15 * MINUTE_MS, NOW)).toBe(true);
    expect(isFresh(NOW - 50 * MINUTE_MS, 15 * MINUTE_MS, NOW)).toBe(false);
  });
});

describe('feedOddities', () => {
  const week = fixtureJson('2023-04-07_all_week.geojson') as {
    metadata: { generated: number; count: number };
    features: { properties: { time: number } }[];
  };

  it('finds nothing odd in a recorded feed', () => {
    expect(feedOddities(parseFeedText(JSON.stringify(week), NOW))).toEqual([]);
  });

  it('notes a metadata.count that disagrees with the features, and quakes dated after the generation', () => {
    const odd = structuredClone(week);
    odd.metadata.count = week.features.length + 3;
    odd.features[0]!.properties.time = week.metadata.generated + MINUTE_MS;
    odd.features[1]!.properties.time = week.metadata.generated + 2 * MINUTE_MS;
    expect(feedOddities(parseFeedText(JSON.stringify(odd), NOW))).toEqual([
      { kind: 'count', declared: week.features.length + 3, features: week.features.length },
      { kind: 'future', quakes: 2 },
    ]);
  });
});
