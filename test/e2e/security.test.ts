import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const HOSTILE = '<img src=x onerror=alert(1)>, Fiji';
const FORMULA = '=HYPERLINK("http://evil.example","click")';

/**
 * The day feed with a strong quake named by markup, one named by a formula, one with a javascript:
 * URL, and two whose event pages are not on USGS.
 */
function hostileFeed(): string {
  const raw = rawFeed('2016-11-03_all_day.geojson');
  const [a, b, c, d, e] = raw.features;
  a!.properties.place = HOSTILE;
  a!.properties.mag = 6.3;
  a!.properties.time = raw.metadata.generated - 1000;
  a!.properties.updated = raw.metadata.generated;
  b!.properties.place = FORMULA;
  c!.properties.url = 'javascript:alert(1)';
  d!.properties.url = 'https://evil.example/earthquakes/eventpage/x';
  e!.properties.url = 'https://earthquake.usgs.gov@evil.example:8443/earthquakes/eventpage/x';
  return JSON.stringify(raw);
}

describe('text from USGS is untrusted', () => {
  it('a place with markup is shown as text everywhere and runs nothing', async () => {
    const { page, problems, external } = await openDashboard(env.browser);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // The strong quake arrives in the second poll: the first load's quakes raise no cards.
    env.usgs.set('/hostile-later.geojson', {
      body: JSON.stringify(rawFeed('2016-11-03_all_day.geojson')),
    });
    await page.goto(
      dashboardUrl({ feed: env.usgs.url('/hostile-later.geojson'), poll: '200', lang: 'en' }),
    );
    await waitForUpdates(page, 1);
    env.usgs.set('/hostile-later.geojson', { body: hostileFeed() });
    await page.locator('.alert-card').waitFor();

    const raw = rawFeed('2016-11-03_all_day.geojson');
    const id = raw.features[0]!.id;
    // List row, alert card, strongest-quake note and popup all carry the text verbatim.
    const row = page.locator(`[role="option"][data-id="${id}"]`);
    expect(await row.locator('.row-place').textContent()).toBe(HOSTILE);
    expect(await page.locator(`.alert-card[data-id="${id}"]`).textContent()).toContain(HOSTILE);
    expect(await page.locator('.kpi-max .kpi-note').textContent()).toBe(HOSTILE);
    await row.click();
    expect(await page.locator('.leaflet-popup .popup-place').textContent()).toBe(HOSTILE);

    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(external).toEqual([]);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('a javascript: event URL gives no link', async () => {
    const { page } = await openDashboard(env.browser);
    env.usgs.set('/hostile.geojson', { body: hostileFeed() });
    await page.goto(dashboardUrl({ feed: env.usgs.url('/hostile.geojson'), lang: 'en' }));
    await waitForUpdates(page, 1);
    const id = rawFeed('2016-11-03_all_day.geojson').features[2]!.id;
    await page.locator(`[role="option"][data-id="${id}"]`).click();
    await page.locator(`.leaflet-popup .popup[data-id="${id}"]`).waitFor();
    expect(await page.locator('.leaflet-popup a.popup-link').count()).toBe(0);
  });

  it.each([
    ['en', 'View on USGS ↗', 'Open on evil.example ↗', 'Open on evil.example:8443 ↗'],
    ['es', 'Ver en el USGS ↗', 'Abrir en evil.example ↗', 'Abrir en evil.example:8443 ↗'],
  ])(
    '(%s) a link that does not point to USGS names the host it opens',
    async (lang, usgs, other, port) => {
      const { page, problems } = await openDashboard(env.browser);
      env.usgs.set('/hostile.geojson', { body: hostileFeed() });
      await page.goto(dashboardUrl({ feed: env.usgs.url('/hostile.geojson'), lang }));
      await waitForUpdates(page, 1);
      const features = rawFeed('2016-11-03_all_day.geojson').features;
      // Feature 5 keeps its USGS page; 3 and 4 open evil.example (4 behind "earthquake.usgs.gov@").
      const links = [
        [5, usgs],
        [3, other],
        [4, port],
      ] as const;
      for (const [i, label] of links) {
        const { id } = features[i]!;
        await page.locator(`[role="option"][data-id="${id}"]`).click();
        const link = page.locator(`.leaflet-popup .popup[data-id="${id}"] a.popup-link`);
        expect(await link.textContent(), id).toBe(label);
      }
      expect(problems).toEqual({ cspViolations: [], errors: [] });
    },
  );
});

describe('export', () => {
  it('downloads the filtered quakes as CSV with formulas neutralised, and as GeoJSON', async () => {
    const { page, problems } = await openDashboard(env.browser);
    env.usgs.set('/hostile.geojson', { body: hostileFeed() });
    await page.goto(dashboardUrl({ feed: env.usgs.url('/hostile.geojson'), lang: 'en', min: '1' }));
    await waitForUpdates(page, 1);
    const raw = rawFeed('2016-11-03_all_day.geojson');
    const kept = raw.features.filter((f, i) => (i === 0 ? 6.3 : (f.properties.mag ?? -9)) >= 1);

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#export-csv').click(),
    ]);
    expect(csvDownload.suggestedFilename()).toBe('sismos_feed_2016-11-03T1847Z.csv');
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(kept.length + 1);
    expect(lines[0]).toMatch(/^id,time,updated,mag,/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);

    const [geoDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#export-geojson').click(),
    ]);
    const geojson = JSON.parse(readFileSync((await geoDownload.path())!, 'utf8'));
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features.map((f: { id: string }) => f.id).sort()).toEqual(
      kept.map((f) => f.id).sort(),
    );
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
