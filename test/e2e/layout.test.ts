/**
 * A map people can read on any screen: the first view fits the quakes without bands beyond the
 * poles, dots repeat on every world copy in view with small ones above large ones, the map gets
 * the height on a 1280x720 laptop, the alert stack covers none of the map's controls, and a phone
 * shows one view at a time under a compact header.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SYNTHETIC_QUAKES, syntheticText } from '../../bench/lib/feeds.ts';
import { MINUTE_MS } from '../../src/core/time.ts';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  state,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const WEEK = '2023-04-07_all_week.geojson';

type Box = { x: number; y: number; width: number; height: number };

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function box(page: Page, selector: string): Promise<Box> {
  const found = await page.locator(selector).boundingBox();
  if (found === null) throw new Error(`${selector} is not on screen`);
  return found;
}

/** The basemap's tiles reach the map's top and bottom edges: no band beyond the poles. */
async function tilesCoverHeight(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const map = (document.querySelector('#map') as HTMLElement).getBoundingClientRect();
    const tiles = [...document.querySelectorAll('.basemap .leaflet-tile')].map((tile) =>
      tile.getBoundingClientRect(),
    );
    const top = Math.min(...tiles.map((tile) => tile.top));
    const bottom = Math.max(...tiles.map((tile) => tile.bottom));
    return top <= map.top + 1 && bottom >= map.bottom - 1;
  });
}

/** Serves the week feed, then the same with one new strong quake, so one alert card opens. */
async function withAlert(page: Page, path: string, lang = 'en'): Promise<void> {
  const week = rawFeed(WEEK);
  env.usgs.set(path, { body: JSON.stringify(week) });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto(dashboardUrl({ feed: env.usgs.url(path), poll: '200', lang }));
  await waitForUpdates(page, 1);
  const strong = structuredClone(week.features.find((f) => (f.properties.mag ?? 0) >= 6)!);
  strong.id = 'us-e2e-layout';
  strong.properties.time = week.metadata.generated + MINUTE_MS;
  strong.properties.updated = strong.properties.time;
  const generated = week.metadata.generated + 2 * MINUTE_MS;
  env.usgs.set(path, {
    body: JSON.stringify({
      ...week,
      metadata: { ...week.metadata, generated },
      features: [strong, ...week.features],
    }),
  });
  await page.locator('.alert-card').waitFor();
}

describe('laptop and tablet layouts', () => {
  for (const [width, height] of [
    [1280, 720],
    [1366, 768],
    [1024, 768],
  ] as const) {
    it(`at ${width}x${height} the alert stack covers none of the map's controls, and no band shows beyond the poles`, async () => {
      const { page, problems } = await openDashboard(env.browser, { width, height });
      await withAlert(page, `/layout/alerts-${width}.geojson`);
      const stack = await box(page, '#alerts');
      for (const control of ['.leaflet-control-zoom', '.legend', '.leaflet-control-attribution']) {
        expect(overlap(stack, await box(page, control)), control).toBe(false);
      }
      expect(await tilesCoverHeight(page)).toBe(true);
      expect(problems).toEqual({ cspViolations: [], errors: [] });
    });
  }

  it('at 1440x900 keeps the map its size when the first data replaces "Loading"', async () => {
    const { page, problems } = await openDashboard(env.browser, { width: 1440, height: 900 });
    // Every size the map's box takes from the start: a resize would redraw the map a second time.
    await page.addInitScript(() => {
      const sizes: string[] = [];
      Object.assign(window, { mapSizes: sizes });
      document.addEventListener('DOMContentLoaded', () => {
        new ResizeObserver(([entry]) => {
          const { width, height } = (entry as ResizeObserverEntry).contentRect;
          sizes.push(`${width}x${height}`);
        }).observe(document.querySelector('#map') as HTMLElement);
      });
    });
    // "Loading <a short URL>" shares a line with the feed picker; the status of the data ("Not
    // updating · Generated ... · refreshes every 2 minutes") is too long to.
    env.usgs.set('/w', { body: JSON.stringify(rawFeed(WEEK)) });
    await page.goto(dashboardUrl({ feed: env.usgs.url('/w'), poll: '120000', lang: 'en' }));
    await waitForUpdates(page, 1);
    // Two frames later, the observer has reported any resize the data caused.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const sizes = await page.evaluate(() => (window as unknown as { mapSizes: string[] }).mapSizes);
    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes).size).toBe(1);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('at 1280x720 gives the map the window height beside the list', async () => {
    const { page } = await openDashboard(env.browser, { width: 1280, height: 720 });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${WEEK}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const map = await box(page, '#map');
    const list = await box(page, '#quake-list');
    expect(map.height).toBeGreaterThan(0.8 * (720 - map.y));
    expect(list.x).toBeGreaterThan(map.x + map.width);
    expect(list.y).toBeLessThan(map.y + 100);
  });
});

describe('the map at world scale', () => {
  it('draws a small quake above a large one at the same place, so a click opens the small one', async () => {
    const raw = rawFeed('2018-06-12_4.5_week.geojson');
    const [small, large] = raw.features;
    small!.properties.mag = 1.2;
    large!.properties.mag = 7.5;
    // The large one last in the feed: the order a feed comes in decides nothing.
    for (const feature of [small!, large!]) feature.geometry.coordinates = [140, 36, 10];
    raw.features = [small!, large!];
    env.usgs.set('/layout/stacked.geojson', { body: JSON.stringify(raw) });
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url('/layout/stacked.geojson'), lang: 'en' }));
    await waitForUpdates(page, 1);
    // The first view fits the two quakes: they sit at the map's centre.
    const map = await box(page, '#map');
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    await page.locator(`.leaflet-popup .popup[data-id="${small!.id}"]`).waitFor();
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('repeats the dots on every copy of the world in view', async () => {
    // A wide, short map: the week's quakes fit at a zoom where the world is narrower than the map.
    const { page, problems } = await openDashboard(env.browser, { width: 1920, height: 560 });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${WEEK}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const painted = await page.evaluate(() => {
      const map = (document.querySelector('#map') as HTMLElement).getBoundingClientRect();
      const canvas = document.querySelector('.leaflet-overlay-pane canvas') as HTMLCanvasElement;
      const at = canvas.getBoundingClientRect();
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const ratio = canvas.width / at.width;
      /** Painted pixels in a strip of the map, `from` to `to` (fractions of its width). */
      const strip = (from: number, to: number) => {
        const x = (map.left + from * map.width - at.left) * ratio;
        const y = (map.top - at.top) * ratio;
        const data = ctx.getImageData(
          x,
          y,
          (to - from) * map.width * ratio,
          map.height * ratio,
        ).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) count++;
        return count;
      };
      return { left: strip(0, 0.12), right: strip(0.88, 1), world: map.width };
    });
    expect(painted.left).toBeGreaterThan(50);
    expect(painted.right).toBeGreaterThan(50);
    expect(Number((await state(page)).markers)).toBeGreaterThan(2000);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('crowds at low zoom', () => {
  it("draw the bench's 20,000-quake feed as clusters with counts, which split into dots once zoomed in", async () => {
    env.usgs.set('/layout/synthetic.geojson', { body: syntheticText() });
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url('/layout/synthetic.geojson'), lang: 'en' }));
    await waitForUpdates(page, 1);
    expect((await state(page)).markers).toBe(String(SYNTHETIC_QUAKES));
    const canvas = page.locator('.leaflet-overlay-pane canvas');
    const clusters = Number(await canvas.getAttribute('data-clusters'));
    const clustered = Number(await canvas.getAttribute('data-clustered'));
    expect(clusters).toBeGreaterThan(0);
    // Most of the 20,000 dots are inside a few hundred clusters at most.
    expect(clustered).toBeGreaterThan(SYNTHETIC_QUAKES / 2);
    expect(clusters).toBeLessThan(500);
    for (let i = 0; i < 4; i++) await page.locator('.leaflet-control-zoom-in').click();
    await page.waitForFunction(
      () =>
        document.querySelector('.leaflet-overlay-pane canvas')?.getAttribute('data-clusters') ===
        '0',
    );
    expect(await canvas.getAttribute('data-clustered')).toBe('0');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('on a phone (390x844)', () => {
  it('shows one view at a time under a compact header, and a tapped row on the map in view', async () => {
    const { page, problems } = await openDashboard(env.browser, { width: 390, height: 844 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${WEEK}`), lang: 'es' }));
    await waitForUpdates(page, 1);
    // The page does not scroll: header and view buttons stay put, each view scrolls inside.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
      844,
    );
    expect((await box(page, '.topbar')).height).toBeLessThan(130);
    expect(await page.locator('#map').isVisible()).toBe(true);
    expect(await page.locator('#quake-list').isVisible()).toBe(false);
    // The legend starts folded; one tap opens it.
    const legend = page.locator('.legend-toggle');
    expect(await legend.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('.legend ul').isVisible()).toBe(false);
    await legend.click();
    expect(await page.locator('.legend ul').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Filtros', exact: true }).click();
    expect(await page.locator('#filters').isVisible()).toBe(true);
    expect(await page.locator('#map').isVisible()).toBe(false);
    await expectTapTargets(page);

    await page.getByRole('button', { name: 'Lista', exact: true }).click();
    expect(await page.locator('#quake-list').isVisible()).toBe(true);
    await expectTapTargets(page);
    const row = page.locator('[role="option"]').nth(2);
    const id = await row.getAttribute('data-id');
    await row.click();
    // The tap brings the map back with the quake's popup inside it.
    const popup = page.locator(`.leaflet-popup .popup[data-id="${id}"]`);
    await popup.waitFor();
    expect(await page.locator('#quake-list').isVisible()).toBe(false);
    const map = await box(page, '#map');
    const shown = await box(page, '.leaflet-popup');
    expect(shown.y).toBeGreaterThanOrEqual(map.y);
    expect(shown.y + shown.height).toBeLessThanOrEqual(map.y + map.height);
    expect(shown.x).toBeGreaterThanOrEqual(map.x);
    expect(shown.x + shown.width).toBeLessThanOrEqual(map.x + map.width);
    await expectTapTargets(page);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

/** Every visible control is at least 24x24 CSS pixels (WCAG 2.2 target size), the map's credits aside. */
async function expectTapTargets(page: Page): Promise<void> {
  const small = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        'button, select, input, summary, a, [role="option"]',
      ),
    ]
      .filter((node) => node.checkVisibility() && !node.closest('.leaflet-control-attribution'))
      .filter((node) => !node.classList.contains('skip'))
      .map((node) => ({ node, rect: node.getBoundingClientRect() }))
      .filter(({ rect }) => rect.width > 0 && (rect.width < 24 || rect.height < 24))
      .map(({ node, rect }) => `${node.outerHTML.slice(0, 80)} ${rect.width}x${rect.height}`),
  );
  expect(small).toEqual([]);
}
