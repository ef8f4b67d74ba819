import { describe, expect, it } from 'vitest';
import { isNews, newsIds, newsSince, REPORTING_DELAY_MS } from '../../../src/core/news.ts';
import { HOUR_MS, MINUTE_MS } from '../../../src/core/time.ts';
import { makeQuake } from '../../helpers/quake.ts';

const GENERATED = Date.UTC(2026, 11, 1, 12);

describe('news', () => {
  it('is nothing on a first load', () => {
    expect(newsSince(null)).toBeNull();
    expect(isNews(makeQuake({ time: GENERATED + HOUR_MS }), null)).toBe(false);
  });

  it('is what happened after the previous feed, less the reporting delay', () => {
    const since = newsSince(GENERATED);
    expect(since).toBe(GENERATED - REPORTING_DELAY_MS);
    const late = makeQuake({ id: 'late', time: GENERATED - 20 * MINUTE_MS });
    const old = makeQuake({ id: 'old', time: GENERATED - 2 * HOUR_MS });
    const week = makeQuake({ id: 'week', time: GENERATED - 6 * 24 * HOUR_MS });
    const fresh = makeQuake({ id: 'fresh', time: GENERATED + MINUTE_MS });
    expect([...newsIds([late, old, week, fresh], since)]).toEqual(['late', 'fresh']);
  });
});
