import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../../src/core/feed.ts';
import { SeenQuakes } from '../../../src/core/seen.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { makeQuake } from '../../helpers/quake.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 15, 12);
const feed = parseFeedText(fixtureText('2017-12-03_all_hour.geojson')).quakes;

describe('SeenQuakes', () => {
  it('sorts a first feed as all new, and changes nothing until the quakes are marked sent', () => {
    const seen = new SeenQuakes(HOUR);
    const sorted = seen.sort(feed);
    expect(sorted.fresh.map((q) => q.id)).toEqual(feed.map((q) => q.id));
    expect([sorted.revised, sorted.unchanged]).toEqual([[], 0]);
    expect(seen.sort(feed).fresh).toHaveLength(feed.length);
    expect(seen.size).toBe(0);
  });

  it('sorts an overlapping feed into new, revised (newer updated) and unchanged quakes', () => {
    const seen = new SeenQuakes(HOUR);
    for (const quake of feed.slice(0, 5)) seen.markSent(quake, T0);
    const revision = { ...feed[1]!, updated: feed[1]!.updated + 60_000, mag: 4.9 };
    const stale = { ...feed[2]!, updated: feed[2]!.updated - 60_000 };
    const sorted = seen.sort([feed[0]!, revision, stale, ...feed.slice(3)]);
    expect(sorted.fresh.map((q) => q.id)).toEqual(feed.slice(5).map((q) => q.id));
    expect(sorted.revised).toEqual([revision]);
    // An older copy of a published quake (a stale cached feed) is not a revision.
    expect(sorted.unchanged).toBe(4);
  });

  it('keeps the newest updated of an id read back more than once, in any order', () => {
    const seen = new SeenQuakes(HOUR);
    seen.remember('a', 300, T0);
    seen.remember('a', 100, T0);
    expect(seen.updatedOf('a')).toBe(300);
    expect(seen.sort([makeQuake({ id: 'a', updated: 300 })]).unchanged).toBe(1);
    expect(seen.sort([makeQuake({ id: 'a', updated: 301 })]).revised).toHaveLength(1);
    expect(seen.updatedOf('b')).toBeNull();
  });

  it('forgets ids neither in a feed nor sent for a whole window, and keeps those still in the feed', () => {
    const seen = new SeenQuakes(HOUR);
    const [a, b, c] = [makeQuake({ id: 'a' }), makeQuake({ id: 'b' }), makeQuake({ id: 'c' })];
    seen.markSent(a, T0);
    seen.markSent(b, T0);
    seen.remember('c', c.updated, T0 + HOUR / 2);
    seen.touch([a], T0 + HOUR);
    expect(seen.forget(T0 + HOUR)).toBe(0);
    expect(seen.forget(T0 + HOUR + 1)).toBe(1);
    expect(seen.updatedOf('b')).toBeNull();
    expect(seen.forget(T0 + 2 * HOUR)).toBe(1);
    expect([seen.updatedOf('a'), seen.updatedOf('c')]).toEqual([a.updated, null]);
  });

  it('stays bounded by one window of ids over days of polling a feed that keeps changing', () => {
    const seen = new SeenQuakes(HOUR);
    const minute = 60_000;
    let largest = 0;
    // Each minute the feed holds the last 60 quakes of a stream of one new quake per minute.
    for (let t = 0; t < 3 * 24 * 60; t++) {
      const now = T0 + t * minute;
      const current = Array.from({ length: 60 }, (_, i) => makeQuake({ id: `q${t - i}` }));
      for (const quake of seen.sort(current).fresh) seen.markSent(quake, now);
      seen.touch(current, now);
      seen.forget(now);
      largest = Math.max(largest, seen.size);
    }
    expect(largest).toBeLessThanOrEqual(61 + 60);
  });

  it('forgets everything on clear(), before the topic is read back again', () => {
    const seen = new SeenQuakes(HOUR);
    seen.markSent(feed[0]!, T0);
    seen.clear();
    expect(seen.size).toBe(0);
  });

  it('refuses a window that is not positive', () => {
    expect(() => new SeenQuakes(0)).toThrow(/windowMs must be positive/);
  });
});
