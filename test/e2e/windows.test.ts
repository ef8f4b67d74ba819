import { describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const FIVE_MINUTES = 300_000;

describe('the 5-minute window chart (challenge 6) when the page polls', () => {
  it('shows the 24 windows up to the feed time with the counts, averages and maxima of the feed', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(
      dashboardUrl({ feed: env.usgs.url('/fixtures/2016-11-03_all_day.geojson'), lang: 'en' }),
    );
    await waitForUpdates(page, 1);
    const bars = await page.$$eval('#windows rect.window-bar', (rects) =>
      rects.map((rect) => ({
        start: rect.getAttribute('data-start'),
        count: Number(rect.getAttribute('data-count')),
        title: rect.querySelector('title')?.textContent ?? '',
      })),
    );

    // Expected independently, from the raw feed: windows aligned to the epoch, ending with the feed time's.
    const raw = rawFeed('2016-11-03_all_day.geojson');
    const last = raw.metadata.generated - (raw.metadata.generated % FIVE_MINUTES);
    const expected = Array.from({ length: 24 }, (_, i) => {
      const start = last - (23 - i) * FIVE_MINUTES;
      const inside = raw.features.filter(
        (f) => f.properties.time >= start && f.properties.time < start + FIVE_MINUTES,
      );
      const mags = inside.map((f) => f.properties.mag).filter((m): m is number => m !== null);
      return {
        start: new Date(start).toISOString(),
        count: inside.length,
        max: mags.length === 0 ? null : Math.max(...mags),
      };
    });
    expect(bars.map(({ start, count }) => ({ start, count }))).toEqual(
      expected.map(({ start, count }) => ({ start, count })),
    );
    expect(expected.some((w) => w.count > 0)).toBe(true);
    for (const [i, window] of expected.entries()) {
      if (window.max !== null) expect(bars[i]?.title).toContain(`maximum ${window.max.toFixed(1)}`);
      else expect(bars[i]?.title).toContain('no quakes');
    }
    expect(await page.locator('#windows circle.window-avg').count()).toBe(
      expected.filter((w) => w.count > 0).length,
    );
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
