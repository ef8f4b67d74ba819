/**
 * The dashboard against hostile feeds: after the recorded day feed, the fake USGS serves one hostile
 * version of it at a time (each kind once, and random ones from this run's seed). A feed the
 * parser refuses leaves the last good data on screen under a notice naming the feed and the
 * problem; a feed it accepts shows exactly the quakes it accepted. Nothing throws in the page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sameFeatures } from '../../src/core/feed-text.ts';
import {
  dashboardUrl,
  openDashboard,
  state,
  stats,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';
import { fixtureJson, fixtureText } from '../helpers/fixtures.ts';
import { acceptedQuakes, hostileCases, randomHostileCases } from '../helpers/hostile-feed.ts';
import { printSeedOnFailure, TEST_SEED } from '../helpers/seed.ts';

const env = withBrowserAndUsgs();

const DAY_FEED = '2016-11-03_all_day.geojson';
const doc = fixtureJson(DAY_FEED);
const original = fixtureText(DAY_FEED);
const RANDOM_FEEDS = 4;

/** Waits until the page's counter `name` (data-polls, data-failures, ...) passes `value`. */
function waitForCount(page: Page, name: string, value: number): Promise<unknown> {
  return page.waitForFunction(
    ([key, n]) => Number(document.body.dataset[key as string]) > (n as number),
    [name, value] as const,
  );
}

describe('the dashboard with hostile feeds', () => {
  it('keeps its last good data and shows the error for a feed it cannot read, and shows what the parser accepts of the others', async () => {
    printSeedOnFailure();
    const random = randomHostileCases(doc, RANDOM_FEEDS, TEST_SEED);
    const { page, problems } = await openDashboard(env.browser);
    const path = '/hostile/all_day.geojson';
    const url = env.usgs.url(path);
    env.usgs.set(path, { body: original });
    await page.goto(dashboardUrl({ feed: url, poll: '100', timeout: '10000', lang: 'en' }));
    await waitForUpdates(page, 1);

    /** The text on screen: the page compares a new one with it to skip unchanged features. */
    let shownText = original;
    for (const { name, text } of [...hostileCases(doc), ...random]) {
      const before = await state(page);
      env.usgs.set(path, { body: text });
      const quakes = sameFeatures(shownText, text)
        ? Number(before.quakes)
        : (acceptedQuakes(text)?.length ?? null);
      if (quakes === null) {
        await waitForCount(page, 'failures', Number(before.failures));
        const notice = (await page.locator('#stale').textContent()) ?? '';
        expect(notice, name).toContain(`USGS feed at ${url} could not be read: feed is not`);
        expect(notice, name).toMatch(/Showing the last good data \(.+\)\. Retrying in \d+ s\./);
        expect(await state(page), name).toMatchObject({
          phase: 'stale',
          quakes: before.quakes,
          markers: before.markers,
        });
        expect((await stats(page)).count, name).toBe(Number(before.quakes));
        // Back to the recorded feed, so failures in a row do not slow the polls down.
        env.usgs.set(path, { body: original });
        await page.waitForFunction(() => document.body.dataset.phase === 'live');
        shownText = original;
      } else {
        // One poll may still bring the previous text; the second one after it brings this one.
        await waitForCount(page, 'updates', Number(before.updates) + 1);
        expect(await state(page), name).toMatchObject({
          phase: 'live',
          quakes: String(quakes),
          markers: String(quakes),
        });
        expect((await stats(page)).count, name).toBe(quakes);
        shownText = text;
      }
    }
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  }, 120_000);
});
