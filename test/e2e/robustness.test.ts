/**
 * The dashboard against values no quake has, and against errors nobody expected: it renders
 * what is plausible, says what it skipped and why, stays responsive, and never sits at "loading".
 */
import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../src/core/feed.ts';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  state,
  stats,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

/**
 * The recorded week with a quake of the year 0000, one of 1900, a magnitude of 1e308 and a depth
 * of 1e300. Its URL names no period, so the page's activity chart spans from the oldest quake.
 */
function implausibleWeek() {
  const raw = rawFeed('2023-04-07_all_week.geojson');
  const [year0, year1900, huge, deep] = raw.features;
  year0!.properties.time = -62_167_219_200_000;
  year1900!.properties.time = Date.UTC(1900, 5, 1);
  year1900!.properties.mag = 6.1;
  huge!.properties.mag = 1e308;
  deep!.geometry.coordinates[2] = 1e300;
  return { raw, rejected: [year0!.id, huge!.id, deep!.id] };
}

describe('a feed with values no quake has', () => {
  it('renders the plausible quakes, shows what it skipped and why, and stays responsive', async () => {
    const { raw, rejected } = implausibleWeek();
    const text = JSON.stringify(raw);
    const accepted = parseFeedText(text).quakes;
    expect(accepted).toHaveLength(raw.features.length - 3);
    env.usgs.set('/implausible/feed.geojson', { body: text });
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(
      dashboardUrl({ feed: env.usgs.url('/implausible/feed.geojson'), lang: 'en', poll: '60000' }),
    );
    await page.waitForFunction(() => document.body.dataset.phase !== 'loading');
    expect(await state(page)).toMatchObject({
      phase: 'live',
      quakes: String(accepted.length),
      markers: String(accepted.length),
    });
    // The strongest is a real magnitude, not 1e308.
    expect((await stats(page)).max).toBe(Math.max(...accepted.map((q) => q.mag ?? -9)));

    const note = page.locator('#rejects');
    await note.locator('summary').click();
    expect(await note.locator('summary').textContent()).toBe(
      'Features of the feed skipped as invalid or implausible: 3',
    );
    const reasons = await note.locator('li').allTextContents();
    expect(reasons).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${rejected[0]}: properties\\.time must be from 1900-01-01T00:00:00\\.000Z to a day after the feed was generated \\(.+\\), got 0000-01-01T00:00:00\\.000Z$`,
        ),
      ),
      `${rejected[1]}: properties.mag must be a magnitude from -2 to 10.5 or null, got number 1e+308`,
      `${rejected[2]}: depth must be a number of km from -10 to 1000 or null, got number 1e+300`,
    ]);

    // 123 years of activity in a few hundred bars at most, not one per day; the first holds 1900.
    const bars = await page.locator('#activity rect').count();
    expect(bars).toBeGreaterThan(100);
    expect(bars).toBeLessThanOrEqual(200);
    expect(await page.locator('#activity rect title').first().textContent()).toMatch(
      /^1 quakes between .*1(899|900)/,
    );

    // A filter click is applied, and the page answers afterwards.
    await page.locator('.chip[data-mag="4.5"]').click();
    const strong = accepted.filter((q) => q.mag !== null && q.mag >= 4.5).length;
    await page.waitForFunction((n) => document.body.dataset.markers === String(n), strong);
    expect(await page.evaluate(() => document.querySelectorAll('#activity rect').length)).toBe(
      bars,
    );
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('an error nobody expected', () => {
  it('turns the page into a visible error state that names the feed and the fix, instead of data that may be wrong', async () => {
    const feed = env.usgs.url('/fixtures/2016-11-03_all_day.geojson');
    const { page } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed, lang: 'en' }));
    await waitForUpdates(page, 1);
    // An error thrown by some callback of the page (a bug), as a timer or a listener would.
    await page.evaluate(() => {
      setTimeout(() => {
        throw new RangeError('Maximum call stack size exceeded');
      });
    });
    await page.waitForFunction(() => document.body.dataset.phase === 'error');
    expect(await page.locator('#feed-status').getAttribute('data-phase')).toBe('error');
    expect(await page.locator('#feed-status .phase').textContent()).toBe('Error');
    expect(await page.locator('#stale').isVisible()).toBe(true);
    expect(await page.locator('#stale').textContent()).toBe(
      `The page failed while showing the data of ${feed}: RangeError: Maximum call stack size exceeded. Reload it; if it happens again, please report this message.`,
    );
  });
});
