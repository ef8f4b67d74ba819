import { describe, expect, it } from 'vitest';
import { feedSource } from '../../../src/core/feed-source.ts';

describe('feedSource', () => {
  it('polls a USGS feed as often as USGS regenerates it', () => {
    expect(feedSource({ level: '4.5', period: 'week' }, null)).toEqual({
      url: 'https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/4.5_week.geojson',
      name: '4.5_week',
      period: 'week',
      pollMs: 60_000,
      spanMs: 7 * 86_400_000,
    });
    expect(feedSource({ level: 'all', period: 'month' }, null).pollMs).toBe(15 * 60_000);
  });

  it('reads the period of a custom URL from its file name, and lets ?poll= win', () => {
    const url = 'http://127.0.0.1:9/fixtures/2023-10-11_significant_month.geojson';
    expect(feedSource(url, 250)).toMatchObject({ url, name: url, period: 'month', pollMs: 250 });
    expect(feedSource('http://x/feed.json', null)).toMatchObject({
      period: null,
      spanMs: null,
      pollMs: 60_000,
    });
  });
});
