import { describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  state,
  waitForPolls,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

/** How many pixels of the offline basemap's tiles are painted (land, coasts, graticule). */
function paintedBasemapPixels(): number {
  let painted = 0;
  for (const canvas of document.querySelectorAll<HTMLCanvasElement>('.basemap canvas')) {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    if (data === undefined) continue;
    for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) painted++;
  }
  return painted;
}

describe('index.html opened from disk', () => {
  it('draws one marker per quake of the ?feed= URL, on one canvas, without CSP violations', async () => {
    const { page, problems, external } = await openDashboard(env.browser);
    const feed = env.usgs.url('/fixtures/2016-11-03_all_day.geojson');
    await page.goto(dashboardUrl({ feed }));
    await waitForUpdates(page, 1);

    const { quakes, markers } = await state(page);
    expect(quakes).toBe(String(rawFeed('2016-11-03_all_day.geojson').features.length));
    expect(markers).toBe(quakes);
    // One canvas for all markers; the basemap tiles are canvases of their own.
    expect(await page.locator('.leaflet-overlay-pane canvas').count()).toBe(1);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    expect(external).toEqual([]);
  });

  it('with no network at all, still draws the world basemap and explains the failure', async () => {
    const { page, problems, external } = await openDashboard(env.browser);
    // The default feed is the real USGS, which the test's network refuses.
    await page.goto(dashboardUrl({ tiles: 'carto', lang: 'en' }));
    await waitForPolls(page, 1);
    await page.waitForFunction(() => document.querySelectorAll('.basemap canvas').length > 0);

    expect(await page.evaluate(paintedBasemapPixels)).toBeGreaterThan(10_000);
    expect(external.some((url) => url.startsWith('https://earthquake.usgs.gov/'))).toBe(true);
    expect(external.some((url) => url.includes('basemaps.cartocdn.com'))).toBe(true);
    const notice = await page.locator('#stale').textContent();
    expect(notice).toContain(
      'Could not reach the USGS feed at https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/all_day.geojson',
    );
    expect(notice).toMatch(/No data yet\. Retrying in \d+ s\./);
    expect(await page.locator('#feed-status .phase').textContent()).toBe('No data');
    expect(problems.cspViolations).toEqual([]);
    // The refused requests are the only console errors (Chromium logs each failed load).
    expect(
      problems.errors.every((text) =>
        /net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(text),
      ),
    ).toBe(true);
  });

  it('shows a popup with every detail of a clicked quake, as text', async () => {
    const { page, problems } = await openDashboard(env.browser);
    // Reduced motion: the map jumps to a selected quake instead of flying there.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const feed = env.usgs.url('/fixtures/2023-10-11_significant_month.geojson');
    await page.goto(dashboardUrl({ feed, lang: 'en' }));
    await waitForUpdates(page, 1);
    const target = rawFeed('2023-10-11_significant_month.geojson').features.find(
      (f) => f.properties.tsunami === 1,
    )!;
    // Selecting it in the list centres the map on it and opens its popup; close that, then
    // click the marker itself in the middle of the map.
    await page.locator(`[role="option"][data-id="${target.id}"]`).click();
    const popup = page.locator('.leaflet-popup .popup');
    await expect.poll(() => popup.getAttribute('data-id')).toBe(target.id);
    await page.locator('.leaflet-popup-close-button').click();
    await page.locator('.leaflet-popup').waitFor({ state: 'detached' });
    const box = (await page.locator('#map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => popup.getAttribute('data-id')).toBe(target.id);

    const text = await popup.innerText();
    expect(text).toContain(target.properties.place);
    expect(text).toContain(String(target.properties.magType));
    expect(text).toContain('UTC time');
    expect(text).toContain('Local time');
    expect(text).toContain('Tsunami\nYes, USGS flag');
    expect(text).toContain('Review\nreviewed by a seismologist');
    expect(text).toMatch(/Depth\n[\d.,]+ km/);
    expect(await popup.locator('a').getAttribute('href')).toBe(target.properties.url);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
