import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_FILE_URL, launchChromium, openPage } from '../helpers/browser.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';

let browser: Browser;
let usgs: FakeUsgs;

beforeAll(async () => {
  [browser, usgs] = await Promise.all([launchChromium(), startFakeUsgs()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), usgs?.close()]);
});

describe('index.html opened from disk', () => {
  it('draws every quake of the ?feed= URL on the map without CSP violations', async () => {
    const { page, problems } = await openPage(browser);
    const feed = usgs.url('/fixtures/2016-11-03_all_day.geojson');
    await page.goto(`${INDEX_FILE_URL}?feed=${encodeURIComponent(feed)}`);
    await page.waitForSelector('#status[data-count]');

    expect(await page.getAttribute('#status', 'data-count')).toBe('151');
    expect(await page.locator('.leaflet-container canvas').count()).toBe(1);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
