/**
 * Issue 14's table, row by row: what USGS Latest Earthquakes offers (plate boundaries, four sort
 * orders, a time-zone switch, KML and QuakeML downloads, impact, catalogue search, a list of
 * what the map shows), each used as a reader would, in Chromium, against the fake USGS.
 */
import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { USGS_CATALOGUE } from '../../src/core/catalogue-query.ts';
import {
  dashboardUrl,
  openDashboard,
  type RawFeature,
  rawFeed,
  state,
  waitForPolls,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';
import { feedText, fixtureText } from '../helpers/fixtures.ts';

const env = withBrowserAndUsgs();

const DAY = '2016-11-03_all_day.geojson';
const SIGNIFICANT = '2023-10-11_significant_month.geojson';

/** The ids of the first `count` list rows, in list order. */
async function firstRows(page: Page, count: number): Promise<string[]> {
  return page.evaluate((n) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#quake-list .row')].filter(
      (row) => !row.hidden && row.dataset.id !== undefined,
    );
    rows.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    return rows.slice(0, n).map((row) => row.dataset.id as string);
  }, count);
}

async function rowOf(page: Page, id: string) {
  return page.locator(`#quake-list .row[data-id="${id}"]`);
}

/** Opens or closes the preferences menu (it covers the top of the list while open). */
async function togglePrefs(page: Page, open: boolean): Promise<void> {
  if (((await page.locator('details.prefs').getAttribute('open')) !== null) !== open) {
    await page.locator('details.prefs > summary').click();
  }
}

/** On a phone, which shows one view at a time, taps the view button that holds `view`'s controls. */
async function showView(page: Page, view: 'map' | 'list' | 'side'): Promise<void> {
  const button = page.locator(`#views button[data-view="${view}"]`);
  if (await button.isVisible()) await button.click();
}

async function downloadText(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(button).click(),
  ]);
  return {
    name: download.suggestedFilename(),
    text: readFileSync((await download.path()) as string, 'utf8'),
  };
}

describe('sort orders', () => {
  it('lists newest, oldest, largest and smallest first, as chosen, and keeps the choice in the link', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const features = rawFeed(DAY).features;
    const byMag = (f: RawFeature) => f.properties.mag ?? Number.NEGATIVE_INFINITY;
    const expected: Record<string, RawFeature[]> = {
      newest: [...features].sort((a, b) => b.properties.time - a.properties.time),
      oldest: [...features].sort((a, b) => a.properties.time - b.properties.time),
      largest: [...features].sort(
        (a, b) => byMag(b) - byMag(a) || b.properties.time - a.properties.time,
      ),
      smallest: [...features]
        .filter((f) => f.properties.mag !== null)
        .sort((a, b) => byMag(a) - byMag(b) || b.properties.time - a.properties.time),
    };
    for (const order of ['oldest', 'largest', 'smallest', 'newest']) {
      await page.locator('#list-sort').selectOption(order);
      const want = (expected[order] as RawFeature[]).slice(0, 6).map((f) => f.id);
      await expect.poll(() => firstRows(page, 6)).toEqual(want);
      expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('sort')).toBe(
        order === 'newest' ? null : order,
      );
    }
    await page.locator('#list-sort').selectOption('smallest');
    await page.reload();
    await waitForUpdates(page, 1);
    expect(await page.locator('#list-sort').inputValue()).toBe('smallest');
    expect(await firstRows(page, 3)).toEqual(expected.smallest?.slice(0, 3).map((f) => f.id));
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('time zone switch', () => {
  it('writes list, popup, chart and export times at the epicentre, in UTC, or locally', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${SIGNIFICANT}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    // us6000len8, western Afghanistan, 62.04° E: nautical zone UTC+4 (USGS gives no tz).
    const quake = rawFeed(SIGNIFICANT).features.find((f) => f.id === 'us6000len8') as RawFeature;
    const utc = new Date(quake.properties.time);
    const atEpicentre = new Date(quake.properties.time + 4 * 3_600_000);
    const hhmm = (date: Date) => {
      const h = date.getUTCHours() % 12 || 12;
      return `${String(h).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
    };

    await togglePrefs(page, true);
    await page.locator('#pref-tz').selectOption('epicentre');
    await togglePrefs(page, false);
    const row = await rowOf(page, quake.id);
    await expect
      .poll(() => row.locator('.row-meta').textContent())
      .toContain(`${hhmm(atEpicentre)} ${atEpicentre.getUTCHours() < 12 ? 'AM' : 'PM'} UTC+4`);
    await row.click();
    const popup = page.locator('.leaflet-popup .facts');
    await expect.poll(() => popup.textContent()).toContain('Time at the epicentre');
    expect(await popup.textContent()).toContain('UTC+4');
    expect(await popup.textContent()).toContain('UTC time');
    // A chart's axis belongs to no one quake: UTC.
    expect(await page.locator('#activity').textContent()).toContain('UTC');
    const csv = await downloadText(page, '#export-csv');
    const lines = csv.text.trimEnd().split('\r\n');
    const shownColumn = lines[0]?.split(',').indexOf('time_shown') as number;
    const line = lines.find((text) => text.startsWith(`${quake.id},`)) as string;
    expect(line.split(',')[shownColumn]).toBe(`${atEpicentre.toISOString().slice(0, -1)}+04:00`);
    const kml = await downloadText(page, '#export-kml');
    expect(kml.text).toContain(`<when>${atEpicentre.toISOString().slice(0, -1)}+04:00</when>`);

    await togglePrefs(page, true);
    await page.locator('#pref-tz').selectOption('utc');
    await togglePrefs(page, false);
    await expect
      .poll(() => row.locator('.row-meta').textContent())
      .toContain(`${hhmm(utc)} ${utc.getUTCHours() < 12 ? 'AM' : 'PM'} UTC`);
    await expect.poll(() => popup.textContent()).not.toContain('Time at the epicentre');
    expect(await popup.textContent()).toContain('UTC time');
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('tz')).toBe('utc');

    await togglePrefs(page, true);
    await page.locator('#pref-tz').selectOption('local');
    await togglePrefs(page, false);
    await expect.poll(() => popup.textContent()).toContain('Local time');
    expect(await row.locator('.row-meta').textContent()).not.toContain('UTC');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('time zone of alerts', () => {
  it('an alert card gives the time in the chosen zone under the course’s UTC box', async () => {
    const { page, problems } = await openDashboard(env.browser);
    const raw = rawFeed(SIGNIFICANT);
    // A quake that arrives with the second poll: an alert whatever the page does with the backlog.
    const fresh = {
      ...raw.features[0],
      id: 'us-fresh-m6',
      properties: {
        ...raw.features[0]?.properties,
        time: raw.metadata.generated - 60_000,
        mag: 6.1,
      },
      geometry: { type: 'Point', coordinates: [139.7, 35.6, 10] },
    };
    // Every poll after the first answers with the fresh quake, however many the test's steps take.
    env.usgs.queue('/alerts-tz.geojson', [{ body: feedText(SIGNIFICANT, raw.features) }]);
    env.usgs.set('/alerts-tz.geojson', { body: feedText(SIGNIFICANT, [fresh, ...raw.features]) });
    await page.goto(
      dashboardUrl({
        feed: env.usgs.url('/alerts-tz.geojson'),
        lang: 'en',
        tz: 'epicentre',
        poll: '300',
      }),
    );
    const card = page.locator('.alert-card[data-id="us-fresh-m6"]');
    await card.waitFor();
    const at = new Date(fresh.properties.time + 9 * 3_600_000);
    const minutes = String(at.getUTCMinutes()).padStart(2, '0');
    expect(await card.locator('.alert-when').textContent()).toMatch(
      new RegExp(
        `^Time at the epicentre: .*${at.getUTCHours() % 12 || 12}:${minutes}:\\d\\d [AP]M UTC\\+9$`,
      ),
    );
    await togglePrefs(page, true);
    await page.locator('#pref-tz').selectOption('utc');
    await expect.poll(() => card.locator('.alert-when').count()).toBe(0);
    await page.locator('#pref-tz').selectOption('local');
    await expect.poll(() => card.locator('.alert-when').textContent()).toMatch(/^Local time: /);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('plate boundaries', () => {
  it('are drawn offline when switched on in the preferences, credited, and remembered', async () => {
    const { page, problems, external } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    expect(await page.locator('path.plate-boundary').count()).toBe(0);
    expect(await page.locator('.leaflet-control-attribution').textContent()).not.toContain(
      'Peter Bird',
    );

    await togglePrefs(page, true);
    await page.locator('#pref-plates').check();
    const path = page.locator('path.plate-boundary');
    await expect.poll(() => path.count()).toBe(1);
    const drawn = await path.evaluate((node) => (node as SVGPathElement).getTotalLength());
    // The Earth's plate boundaries are some 200,000 km long: thousands of pixels even at world scale.
    expect(drawn).toBeGreaterThan(5000);
    expect(await page.locator('.leaflet-control-attribution').textContent()).toContain(
      'Plates: Peter Bird (2003); Hugo Ahlenius, Nordpil (ODC-By)',
    );
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('plates')).toBe('1');

    await page.reload();
    await waitForUpdates(page, 1);
    await expect.poll(() => page.locator('path.plate-boundary').count()).toBe(1);
    await togglePrefs(page, true);
    await page.locator('#pref-plates').uncheck();
    await expect.poll(() => page.locator('path.plate-boundary').count()).toBe(0);
    expect(external).toEqual([]);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('KML and QuakeML downloads', () => {
  it('give the list’s quakes: KML styled by magnitude, QuakeML 1.2 events', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(
      dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY}`), lang: 'en', min: '2.5' }),
    );
    await waitForUpdates(page, 1);
    const kept = rawFeed(DAY).features.filter((f) => (f.properties.mag ?? -9) >= 2.5);

    const kml = await downloadText(page, '#export-kml');
    expect(kml.name).toMatch(/_2016-11-03T1847Z\.kml$/);
    const doc = new DOMParser().parseFromString(kml.text, 'text/xml');
    const placemarks = Array.from(doc.getElementsByTagName('Placemark'));
    expect(placemarks.map((p) => p.getAttribute('id')).sort()).toEqual(
      kept.map((f) => f.id).sort(),
    );
    for (const placemark of placemarks) {
      const feature = kept.find((f) => f.id === placemark.getAttribute('id')) as RawFeature;
      const mag = feature.properties.mag as number;
      const style = placemark.getElementsByTagName('styleUrl')[0]?.textContent;
      expect(style).toBe(mag >= 4.5 ? '#m3' : '#m2');
      const [lon, lat] = (placemark.getElementsByTagName('coordinates')[0]?.textContent ?? '')
        .split(',')
        .map(Number);
      expect([lon, lat]).toEqual(feature.geometry.coordinates.slice(0, 2));
    }

    const quakeMl = await downloadText(page, '#export-quakeml');
    expect(quakeMl.name).toMatch(/_2016-11-03T1847Z\.xml$/);
    const events = new DOMParser()
      .parseFromString(quakeMl.text, 'text/xml')
      .getElementsByTagName('event');
    expect(events).toHaveLength(kept.length);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('impact', () => {
  it('shows DYFI reports, ShakeMap intensity and PAGER level in list and popup, and filters by them', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${SIGNIFICANT}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const features = rawFeed(SIGNIFICANT).features;
    const p = (f: RawFeature) =>
      f.properties as unknown as { felt: number | null; mmi: number | null; alert: string | null };

    // us6000len8: 49 felt reports (max CDI 6), ShakeMap MMI 7.857, PAGER red.
    const row = await rowOf(page, 'us6000len8');
    expect(await row.locator('.tag-felt').textContent()).toBe('49 felt');
    expect(await row.locator('.tag-shakemap').textContent()).toBe('MMI VIII');
    expect(await row.locator('.tag-pager').textContent()).toBe('PAGER red');
    // us6000ldqf: no DYFI, so no felt tag.
    expect(await (await rowOf(page, 'us6000ldqf')).locator('.tag-felt').isHidden()).toBe(true);
    await row.click();
    const head = page.locator('.leaflet-popup .popup-head');
    await expect.poll(() => head.locator('.tag-felt').textContent()).toBe('49 felt');
    expect(await head.locator('.tag-shakemap').textContent()).toBe('MMI VIII');
    expect(await head.locator('.tag-pager').textContent()).toBe('PAGER red');
    await (await rowOf(page, 'us6000ldqf')).click();
    await expect
      .poll(() => page.locator('.leaflet-popup .popup').getAttribute('data-id'))
      .toBe('us6000ldqf');
    expect(await head.locator('.tag-felt').isHidden()).toBe(true);
    expect(await head.locator('.tag-pager').textContent()).toBe('PAGER green');

    const count = async () => Number((await state(page)).markers);
    const filter = page.locator('#filter-impact');
    await filter.locator('input[value="felt"]').check();
    await expect.poll(count).toBe(features.filter((f) => (p(f).felt ?? 0) > 0).length);
    await filter.locator('input[value="felt"]').uncheck();
    await filter.locator('input[value="shakemap"]').check();
    await expect.poll(count).toBe(features.filter((f) => p(f).mmi !== null).length);
    await filter.locator('input[value="shakemap"]').uncheck();
    await filter.locator('input[value="pager"]').check();
    const yellowUp = features.filter((f) => ['yellow', 'orange', 'red'].includes(p(f).alert ?? ''));
    await expect.poll(count).toBe(yellowUp.length);
    expect((await firstRows(page, 20)).sort()).toEqual(yellowUp.map((f) => f.id).sort());
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('impact')).toBe('pager');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe('catalogue search', () => {
  it('builds a USGS FDSN query from the form and the map view, then shows and polls it like a feed', async () => {
    const { page, problems, external } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const service = env.usgs.url('/fdsnws/event/1/query');
    env.usgs.set('/fdsnws/event/1/query', { body: fixtureText(SIGNIFICANT) });
    await page.goto(
      dashboardUrl({
        feed: env.usgs.url(`/fixtures/${DAY}`),
        lang: 'en',
        catalogue: service,
        poll: '500',
      }),
    );
    await waitForUpdates(page, 1);
    await page.locator('#catalogue > summary').click();
    await page.locator('#search-start').fill('2023-09-11T00:00');
    await page.locator('#search-end').fill('2023-09-01T00:00');
    await page.locator('#search-min').fill('4');
    await page.locator('#catalogue-form button[type="submit"]').click();
    expect(await page.locator('#search-error').textContent()).toBe(
      '"From" is after "To": change one of them.',
    );
    expect(env.usgs.hits('/fdsnws/event/1/query')).toBe(0);

    await page.locator('#search-end').fill('');
    // Showing a quake zooms the map in: "this map view" is then a region, not the world.
    const first = (await firstRows(page, 1))[0] as string;
    await (await rowOf(page, first)).click();
    await page.locator('.leaflet-popup-close-button').click();
    await page.locator('#search-region').check();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().startsWith(service)),
      page.locator('#catalogue-form button[type="submit"]').click(),
    ]);
    expect(await page.locator('#search-error').isHidden()).toBe(true);
    const params = Object.fromEntries(new URL(request.url()).searchParams);
    const start = new Date(await page.evaluate(() => new Date('2023-09-11T00:00').toISOString()));
    expect(params).toMatchObject({
      format: 'geojson',
      orderby: 'time',
      starttime: start.toISOString(),
      minmagnitude: '4',
    });
    expect(params.endtime).toBeUndefined();
    for (const key of ['minlatitude', 'maxlatitude', 'minlongitude', 'maxlongitude']) {
      expect(Number.isFinite(Number(params[key])), key).toBe(true);
    }
    expect(Number(params.minlatitude)).toBeLessThan(Number(params.maxlatitude));

    await page.waitForFunction(
      (n) => document.body.dataset.quakes === String(n),
      rawFeed(SIGNIFICANT).features.length,
    );
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('feed')).toBe(request.url());
    const hits = env.usgs.hits('/fdsnws/event/1/query');
    await waitForPolls(page, Number((await state(page)).polls) + 2);
    expect(env.usgs.hits('/fdsnws/event/1/query')).toBeGreaterThan(hits);
    expect(await page.locator('#feed-select').inputValue()).not.toBe('');
    expect(external).toEqual([]);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('queries USGS itself by default, which the page’s CSP lets it reach', () => {
    const html = readFileSync('index.html', 'utf8');
    const csp = /content="([^"]*)"/.exec(html)?.[1] ?? '';
    const connect = csp.split(';').find((rule) => rule.trim().startsWith('connect-src')) ?? '';
    expect(connect.split(/\s+/)).toContain(new URL(USGS_CATALOGUE).origin);
  });
});

describe('list only what the map shows', () => {
  it('narrows the list (and its exports) to the map view, and follows the map as it moves', async () => {
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${DAY}`), lang: 'en' }));
    await waitForUpdates(page, 1);
    const features = rawFeed(DAY).features;
    const total = features.length;
    await page.locator('#list-in-view').check();
    // The initial world view shows every quake.
    await expect.poll(() => page.locator('#list-count').textContent()).toBe(`${total} of ${total}`);

    // Showing the newest quake zooms the map to it: the list keeps what is around it.
    const newest = (await firstRows(page, 1))[0];
    const target = features.find((f) => f.id === newest) as RawFeature;
    await (await rowOf(page, target.id)).click();
    await expect
      .poll(
        async () => (await page.locator('#list-count').textContent()) !== `${total} of ${total}`,
      )
      .toBe(true);
    const exported = JSON.parse((await downloadText(page, '#export-geojson')).text);
    const ids = new Set<string>(exported.features.map((f: { id: string }) => f.id));
    expect(ids.has(target.id)).toBe(true);
    const [lon0, lat0] = target.geometry.coordinates;
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates;
      const near = Math.abs(lat - lat0) < 4 && Math.abs(((lon - lon0 + 540) % 360) - 180) < 6;
      const far = Math.abs(lat - lat0) > 40 || Math.abs(((lon - lon0 + 540) % 360) - 180) > 90;
      if (near) expect(ids.has(f.id), `${f.id} near the view's centre`).toBe(true);
      if (far) expect(ids.has(f.id), `${f.id} far from the view`).toBe(false);
    }
    const shown = Number(
      /^(\d+)/.exec((await page.locator('#list-count').textContent()) ?? '')?.[1],
    );
    expect(shown).toBe(ids.size);

    await page.locator('#list-in-view').uncheck();
    await expect.poll(() => page.locator('#list-count').textContent()).toBe(`${total} of ${total}`);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});

describe.each([
  { device: 'a phone', width: 390, height: 844 },
  { device: 'a 1280x720 laptop', width: 1280, height: 720 },
])('on $device', ({ width, height }) => {
  it('the new controls are reachable and work: order, impact, time zone, plates, KML', async () => {
    const { page, problems } = await openDashboard(env.browser, { width, height });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${SIGNIFICANT}`), lang: 'es' }));
    await waitForUpdates(page, 1);
    const features = rawFeed(SIGNIFICANT).features;

    await showView(page, 'list');
    await page.locator('#list-sort').selectOption('smallest');
    const smallest = [...features].sort(
      (a, b) => (a.properties.mag as number) - (b.properties.mag as number),
    )[0] as RawFeature;
    await expect.poll(async () => (await firstRows(page, 1))[0]).toBe(smallest.id);

    await showView(page, 'side');
    await page.locator('#filter-impact input[value="pager"]').check();
    const yellowUp = features.filter((f) =>
      ['yellow', 'orange', 'red'].includes(String(f.properties.alert)),
    );
    await expect.poll(async () => Number((await state(page)).markers)).toBe(yellowUp.length);

    await togglePrefs(page, true);
    await page.locator('#pref-tz').selectOption('utc');
    await page.locator('#pref-plates').check();
    await togglePrefs(page, false);
    const first = (await firstRows(page, 1))[0] as string;
    await expect
      .poll(() => page.locator(`.row[data-id="${first}"] .row-meta`).textContent())
      .toContain('UTC');
    await showView(page, 'map');
    await expect.poll(() => page.locator('path.plate-boundary').count()).toBe(1);

    // The catalogue form fits the page: it does not make it scroll sideways.
    await showView(page, 'side');
    await page.locator('#catalogue > summary').click();
    await page.locator('#search-start').scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);

    await showView(page, 'list');
    const kml = await downloadText(page, '#export-kml');
    expect(
      new DOMParser().parseFromString(kml.text, 'text/xml').getElementsByTagName('Placemark'),
    ).toHaveLength(yellowUp.length);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
