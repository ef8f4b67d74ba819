import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  type RawFeature,
  rawFeed,
  state,
  stats,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const HOUR = 3_600_000;
const DAY_FEED = '2016-11-03_all_day.geojson';

/** The statistics of some raw features, computed here without any Sismos code. */
function expected(features: RawFeature[], generated: number) {
  const mags = features.map((f) => f.properties.mag).filter((m): m is number => m !== null);
  return {
    count: features.length,
    max: mags.length === 0 ? null : Math.max(...mags),
    mean: mags.length === 0 ? null : mags.reduce((a, b) => a + b, 0) / mags.length,
    significant: mags.filter((m) => m >= 4.5).length,
    tsunami: features.filter((f) => f.properties.tsunami === 1).length,
    lastHour: features.filter((f) => f.properties.time > generated - HOUR).length,
  };
}

async function expectStats(page: Page, features: RawFeature[], generated: number) {
  const want = expected(features, generated);
  const got = await stats(page);
  expect({ ...got, mean: null }).toEqual({ ...want, mean: null });
  if (want.mean === null) expect(got.mean).toBeNull();
  else expect(got.mean).toBeCloseTo(want.mean, 9);
  const published = await state(page);
  expect(published.markers).toBe(String(want.count));
  expect(await page.locator('#list-count').textContent()).toBe(
    `${want.count} of ${published.quakes}`,
  );
}

describe('live statistics', () => {
  it.each([
    DAY_FEED,
    '2018-06-12_4.5_week.geojson',
    '2023-10-11_significant_month.geojson',
  ] as const)('match values computed from the raw feed %s', async (name) => {
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${name}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const raw = rawFeed(name);
    await expectStats(page, raw.features, raw.metadata.generated);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('draw the hourly activity of a day feed, and the most active regions', async () => {
    const { page } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY_FEED}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const raw = rawFeed(DAY_FEED);
    const generated = raw.metadata.generated;
    const bars = page.locator('#activity svg rect');
    expect(await bars.count()).toBe(24);
    // The last bar is the hour before the feed was generated.
    const lastHour = raw.features.filter((f) => f.properties.time > generated - HOUR).length;
    expect(await bars.nth(23).locator('title').textContent()).toMatch(
      new RegExp(`^${lastHour} quakes between`),
    );
    const places = raw.features.map((f) => f.properties.place ?? '');
    const californian = places.filter((p) => /, (CA|California)$/.test(p)).length;
    const first = page.locator('.regions li').first();
    expect(await first.locator('.region-name').textContent()).toBe('California');
    expect(await first.locator('.region-count').textContent()).toBe(String(californian));
  });
});

describe("a feed's first data", () => {
  it('shows its map and list in one frame, its statistics right after, and data-* with them', async () => {
    const name = '2018-06-12_4.5_week.geojson';
    const { page, problems } = await openDashboard(env.browser);
    // Counts the frames, and notes the frame in which each part of the page first changed.
    await page.addInitScript(() => {
      let frames = 0;
      const tick = () => {
        frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const seen: Record<string, number> = {};
      Object.assign(window, { seen });
      const note = (part: string) => () => {
        seen[part] ??= frames;
      };
      /** The markers are painted on the overlay canvas: seen once it has coloured pixels. */
      const noteMap = () => {
        const canvas = document.querySelector<HTMLCanvasElement>('.leaflet-overlay-pane canvas');
        const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        if (data?.some((value, i) => i % 4 === 3 && value > 0)) note('map')();
      };
      addEventListener('DOMContentLoaded', () => {
        const watch = (id: string, part: string) =>
          new MutationObserver(note(part)).observe(document.getElementById(id) as HTMLElement, {
            subtree: true,
            childList: true,
            characterData: true,
          });
        new MutationObserver(noteMap).observe(
          document.getElementById('quake-list') as HTMLElement,
          {
            subtree: true,
            childList: true,
          },
        );
        watch('quake-list', 'list');
        watch('kpis', 'kpis');
        watch('regions', 'regions');
        new MutationObserver(() => {
          if (document.body.dataset.quakes !== undefined && document.body.dataset.quakes !== '0')
            note('data')();
        }).observe(document.body, { attributes: true, attributeFilter: ['data-quakes'] });
      });
    });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${name}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const seen = await page.evaluate(
      () => (window as unknown as { seen: Record<string, number> }).seen,
    );
    expect(seen.list).toBeDefined();
    expect(seen.map).toBe(seen.list);
    for (const later of ['kpis', 'regions', 'data'] as const) {
      expect(seen[later], later).toBe((seen.list as number) + 1);
    }
    const raw = rawFeed(name);
    await expectStats(page, raw.features, raw.metadata.generated);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('gets its statistics in a page that renders no frame (a hidden tab)', async () => {
    const name = '2018-06-12_4.5_week.geojson';
    const { page, problems } = await openDashboard(env.browser);
    // A hidden tab runs no requestAnimationFrame callback.
    await page.addInitScript(() => {
      window.requestAnimationFrame = () => 0;
    });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${name}`), lang: 'en' }));
    // waitForUpdates polls on animation frames, which this page never renders.
    await page.waitForFunction(() => document.body.dataset.updates === '1', null, {
      polling: 50,
    });
    const raw = rawFeed(name);
    await expectStats(page, raw.features, raw.metadata.generated);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('a re-poll that changes nothing shown', () => {
  it('writes nothing in the statistics, the charts or the list', async () => {
    const raw = rawFeed(DAY_FEED);
    const path = '/stats/regenerated.geojson';
    env.usgs.set(path, { body: JSON.stringify(raw) });
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(path), poll: '200', lang: 'en' }));
    await waitForUpdates(page, 1);
    await page.evaluate(() => {
      const changed: string[] = [];
      Object.assign(window, { changed });
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const target =
            record.target instanceof Element ? record.target : record.target.parentElement;
          changed.push(`${record.type} in ${target?.closest('[id]')?.id} (${target?.tagName})`);
        }
      });
      for (const id of ['kpis', 'activity', 'windows', 'regions', 'filters', 'quake-list']) {
        observer.observe(document.getElementById(id) as HTMLElement, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      }
    });
    // USGS regenerated the feed a millisecond later: the same quakes, figures and labels.
    const generated = raw.metadata.generated + 1;
    env.usgs.set(path, {
      body: JSON.stringify({ ...raw, metadata: { ...raw.metadata, generated } }),
    });
    const polls = Number((await state(page)).updates);
    await waitForUpdates(page, polls + 2);
    expect(await page.evaluate(() => (window as unknown as { changed: string[] }).changed)).toEqual(
      [],
    );
    await expectStats(page, raw.features, generated);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('a poll that revises a quake out of view', () => {
  it('rewrites no row of the list', async () => {
    const raw = rawFeed(DAY_FEED);
    const path = '/stats/revised.geojson';
    env.usgs.set(path, { body: JSON.stringify(raw) });
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(path), poll: '200', lang: 'en' }));
    await waitForUpdates(page, 1);
    await page.evaluate(() => {
      const changed: string[] = [];
      Object.assign(window, { changed });
      new MutationObserver((records) => {
        for (const record of records) changed.push(`${record.type} ${record.attributeName}`);
      }).observe(document.getElementById('quake-list') as HTMLElement, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    // The list shows the newest quakes first: the oldest one is far below the rows in view.
    const oldest = raw.features.reduce((a, b) => (a.properties.time < b.properties.time ? a : b));
    const revised = {
      ...oldest,
      properties: { ...oldest.properties, mag: 3.3, updated: oldest.properties.updated + 60_000 },
    };
    const features = raw.features.map((f) => (f === oldest ? revised : f));
    env.usgs.set(path, { body: JSON.stringify({ ...raw, features }) });
    const polls = Number((await state(page)).updates);
    await waitForUpdates(page, polls + 2);
    expect(await page.evaluate(() => (window as unknown as { changed: string[] }).changed)).toEqual(
      [],
    );
    expect(await page.locator(`[role="option"][data-id="${oldest.id}"]`).count()).toBe(0);
    await expectStats(page, features, raw.metadata.generated);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('filters', () => {
  it('change the markers, the list and the statistics together', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY_FEED}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const raw = rawFeed(DAY_FEED);
    const generated = raw.metadata.generated;
    const all = raw.features;

    await page.locator('.chip[data-mag="2.5"]').click();
    const atLeast25 = all.filter((f) => (f.properties.mag ?? -9) >= 2.5);
    await expectStats(page, atLeast25, generated);
    expect(await page.locator('.chip[data-mag="2.5"]').getAttribute('aria-pressed')).toBe('true');

    await page.locator('#filter-max').fill('4.5');
    await page.locator('#filter-max').press('Enter');
    await page.locator('#filter-max').blur();
    const band = atLeast25.filter((f) => (f.properties.mag as number) < 4.5);
    await expect.poll(async () => (await state(page)).markers).toBe(String(band.length));
    await expectStats(page, band, generated);

    await page.locator('#filter-reset').click();
    await page.locator('input[data-type="quarry blast"]').uncheck();
    await page.locator('input[data-type="explosion"]').uncheck();
    const quakesOnly = all.filter((f) => f.properties.type === 'earthquake');
    await expect.poll(async () => (await state(page)).markers).toBe(String(quakesOnly.length));
    await expectStats(page, quakesOnly, generated);

    await page.locator('#filter-reset').click();
    await page.locator('#filter-window').selectOption({ label: '6 hours' });
    const recent = all.filter((f) => f.properties.time >= generated - 6 * HOUR);
    await expect.poll(async () => (await state(page)).markers).toBe(String(recent.length));
    await expectStats(page, recent, generated);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
