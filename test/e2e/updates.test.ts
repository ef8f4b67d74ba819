import { describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  state,
  stats,
  waitForPolls,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const NAME = '2016-11-03_all_day.geojson';
let feedCount = 0;

/** A fresh path on the fake USGS serving the recorded day feed (tests then replace its answer). */
function servedFeed() {
  const path = `/feed-${++feedCount}/all_day.geojson`;
  const raw = rawFeed(NAME);
  env.usgs.set(path, { body: JSON.stringify(raw) });
  return { path, url: env.usgs.url(path), raw };
}

describe('automatic updates', () => {
  it('apply a changed feed in place: one quake added, one revised, one removed, no reload', async () => {
    const { page, problems } = await openDashboard(env.browser);
    const { path, url, raw } = servedFeed();
    await page.goto(dashboardUrl({ feed: url, poll: '200', lang: 'en' }));
    await waitForUpdates(page, 1);
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
    });
    const before = await state(page);
    expect(before.created).toBe('151');

    const [gone, revised, ...rest] = raw.features;
    const newcomer = structuredClone(revised!);
    newcomer.id = 'us9999new';
    newcomer.properties.place = '5 km N of Nowhere, Chile';
    newcomer.properties.mag = 6.1;
    newcomer.properties.time = raw.metadata.generated - 60_000;
    const newVersion = structuredClone(revised!);
    newVersion.properties.mag = 4.9;
    newVersion.properties.updated += 60_000;
    newVersion.geometry.coordinates = [-70.1, -33.2, 12];
    env.usgs.set(path, {
      body: JSON.stringify({
        ...raw,
        metadata: { ...raw.metadata, generated: raw.metadata.generated + 60_000 },
        features: [newcomer, newVersion, ...rest],
      }),
    });
    await page.waitForFunction(() => document.body.dataset.created === '152');

    const after = await state(page);
    expect(after).toMatchObject({ quakes: '151', markers: '151', created: '152', removed: '1' });
    expect(await page.evaluate(() => (window as unknown as { marker: string }).marker)).toBe(
      'same page',
    );
    expect(await page.locator(`[role="option"][data-id="${gone!.id}"]`).count()).toBe(0);
    // The newest quake heads the list, marked new.
    const top = page.locator('[role="option"]').first();
    expect(await top.getAttribute('data-id')).toBe('us9999new');
    expect(await top.locator('.tag-new').isVisible()).toBe(true);
    expect((await stats(page)).max).toBe(6.1);
    // The revised quake shows its new magnitude.
    const row = page.locator(`[role="option"][data-id="${revised!.id}"]`);
    expect(await row.locator('.mag-badge').textContent()).toBe('4.9');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('leave every marker alone when the feed did not change', async () => {
    const { page } = await openDashboard(env.browser);
    const { url } = servedFeed();
    await page.goto(dashboardUrl({ feed: url, poll: '100' }));
    await waitForUpdates(page, 4);
    expect(await state(page)).toMatchObject({ created: '151', removed: '0', markers: '151' });
    const measure = await page.evaluate(() =>
      performance
        .getEntriesByName('sismos:ingest', 'measure')
        .map((entry) => [entry.name, (entry as PerformanceMeasure).detail]),
    );
    expect(measure).toHaveLength(1);
    const [name, detail] = measure[0] as [string, Record<string, unknown>];
    expect(name).toBe('sismos:ingest');
    // The fields bench/dashboard-ingest.ts reads.
    expect(Object.keys(detail).sort()).toEqual([
      'changed',
      'frameMs',
      'parseMs',
      'quakes',
      'update',
      'updateMs',
      'waitMs',
    ]);
    expect(detail.quakes).toBe(151);
  });
});

describe('a failing feed', () => {
  it.each([
    ['HTTP 503', { status: 503, body: 'Service Unavailable' }, /returned HTTP 503\./],
    [
      'a body that is not JSON',
      { body: '<html>maintenance</html>' },
      /could not be read: feed is not JSON/,
    ],
    ['no answer', { hang: true }, /did not answer within 0\.5 s\./],
  ] as const)(
    'after %s keeps the last good data, says so, and recovers',
    async (_, answer, message) => {
      const { page, problems } = await openDashboard(env.browser);
      const { path, url, raw } = servedFeed();
      await page.goto(dashboardUrl({ feed: url, poll: '150', timeout: '500', lang: 'en' }));
      await waitForUpdates(page, 1);
      env.usgs.set(path, answer);
      await page.waitForFunction(() => document.body.dataset.phase === 'stale');

      const notice = (await page.locator('#stale').textContent()) ?? '';
      expect(notice).toContain(`USGS feed at ${url}`);
      expect(notice).toMatch(message);
      expect(notice).toMatch(/Showing the last good data \(.+\)\. Retrying in \d+ s\./);
      expect(await state(page)).toMatchObject({ quakes: '151', markers: '151' });
      expect((await stats(page)).count).toBe(151);
      expect(await page.locator('#feed-status').getAttribute('data-phase')).toBe('stale');

      const polls = Number((await state(page)).polls);
      env.usgs.set(path, { body: JSON.stringify(raw) });
      await waitForPolls(page, polls + 1);
      await page.waitForFunction(() => document.body.dataset.phase === 'live');
      expect(await page.locator('#stale').isHidden()).toBe(true);
      expect(await state(page)).toMatchObject({ markers: '151', removed: '0' });
      expect(problems.cspViolations).toEqual([]);
      // Chromium reports the failed load itself on the console; nothing else may go wrong.
      expect(problems.errors.filter((e) => !e.includes('503'))).toEqual([]);
    },
  );
});
