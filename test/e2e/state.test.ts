import { describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  state,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const DAY = '2016-11-03_all_day.geojson';

describe('settings', () => {
  it('live in the URL hash and survive a reload', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    await page.locator('.chip[data-mag="1"]').click();
    await page.locator('input[data-type="quarry blast"]').uncheck();
    await page.locator('input[name="colour-by"][value="depth"]').check();
    await page.locator('#lang-toggle').click();

    const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect(Object.fromEntries(hash)).toMatchObject({
      min: '1',
      hide: 'quarry blast',
      color: 'depth',
      lang: 'es',
    });
    const markers = (await state(page)).markers;
    const expected = rawFeed(DAY).features.filter(
      (f) => (f.properties.mag ?? -9) >= 1 && f.properties.type !== 'quarry blast',
    ).length;
    expect(markers).toBe(String(expected));

    await page.reload();
    await waitForUpdates(page, 1);
    expect((await state(page)).markers).toBe(String(expected));
    expect(await page.locator('.chip[data-mag="1"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('input[data-type="quarry blast"]').isChecked()).toBe(false);
    expect(await page.locator('input[name="colour-by"][value="depth"]').isChecked()).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h1').textContent()).toBe('Sismos en tiempo real');
    expect(await page.locator('.legend h2').textContent()).toBe('Profundidad (km)');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('switch language with Intl formats, and theme, remembered across reloads', async () => {
    const { page } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY}`), lang: 'es' }));
    await waitForUpdates(page, 1);
    expect(await page.locator('.kpi-mean .kpi-value').textContent()).toBe('1,43');
    await page.locator('#lang-toggle').click();
    expect(await page.locator('.kpi-mean .kpi-value').textContent()).toBe('1.43');
    expect(await page.locator('.kpi-mean .kpi-label').textContent()).toBe('Average');

    const theme = await page.locator('html').getAttribute('data-theme');
    await page.locator('#theme-toggle').click();
    const other = theme === 'dark' ? 'light' : 'dark';
    expect(await page.locator('html').getAttribute('data-theme')).toBe(other);
    await page.reload();
    await waitForUpdates(page, 1);
    expect(await page.locator('html').getAttribute('data-theme')).toBe(other);
  });
});

describe('the list', () => {
  it('is navigable with the keyboard and opens the chosen quake on the map', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const list = page.locator('#quake-list');
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = await list.getAttribute('aria-activedescendant');
    const row = page.locator(`#${active}`);
    expect(await row.getAttribute('aria-posinset')).toBe('2');
    const id = await row.getAttribute('data-id');
    await page.keyboard.press('Enter');
    await page.locator(`.leaflet-popup .popup[data-id="${id}"]`).waitFor();
    expect(await row.getAttribute('aria-selected')).toBe('true');
    // Newest first: the second row is the second most recent quake.
    const byTime = rawFeed(DAY).features.sort((a, b) => b.properties.time - a.properties.time);
    expect(id).toBe(byTime[1]!.id);

    await page.keyboard.press('End');
    const last = page.locator(`#${await list.getAttribute('aria-activedescendant')}`);
    expect(await last.getAttribute('aria-posinset')).toBe(String(byTime.length));
    // Only the rows in view exist, whatever the length of the list.
    expect(await page.locator('[role="option"]').count()).toBeLessThan(60);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('the 180° meridian', () => {
  it('draws quakes on both sides of it next to each other', async () => {
    const raw = rawFeed('2018-06-12_4.5_week.geojson');
    const [west, east] = raw.features;
    west!.geometry.coordinates = [179, -17.5, 10];
    east!.geometry.coordinates = [-178.5, -17.5, 10];
    raw.features = [west!, east!];
    env.usgs.set('/fiji.geojson', { body: JSON.stringify(raw) });
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url('/fiji.geojson'), lang: 'en' }));
    await waitForUpdates(page, 1);

    // Centre the map on the quake at 179°E, close its popup, then click 2.5° further east,
    // where the quake at 178.5°W must be drawn (not a world away).
    await page.locator(`[role="option"][data-id="${west!.id}"]`).click();
    await page.locator('.leaflet-popup-close-button').click();
    const box = (await page.locator('#map').boundingBox())!;
    // The first view fits the two quakes as close as a first view goes (MAX_FIT_ZOOM).
    const zoom = 6;
    const pixels = (2.5 / 360) * 256 * 2 ** zoom;
    await page.mouse.click(box.x + box.width / 2 + pixels, box.y + box.height / 2);
    await page.locator(`.leaflet-popup .popup[data-id="${east!.id}"]`).waitFor();
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
