/**
 * Words and numbers a user reads: failures explained in the page's language, "Live" only for
 * fresh data, "—" in tiles without data, event types translated, place names isolated from the
 * text around them, and feed oddities said quietly in the status line.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/core/time.ts';
import {
  dashboardUrl,
  openDashboard,
  rawFeed,
  stats,
  waitForPolls,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const WEEK = '2023-04-07_all_week.geojson';

describe('words and numbers', () => {
  it('explain a failed fetch in Spanish, say "Sin datos" and show "—" in every tile', async () => {
    const { page } = await openDashboard(env.browser, { width: 1280, height: 720 });
    // A port nobody listens on: the browser's fetch fails with its English "Failed to fetch".
    await page.goto(dashboardUrl({ feed: 'http://127.0.0.1:9/all_day.geojson', lang: 'es' }));
    await waitForPolls(page, 1);
    const notice = (await page.locator('#stale').textContent()) ?? '';
    expect(notice).toContain(
      'No se pudo conectar con el feed del USGS en http://127.0.0.1:9/all_day.geojson: sin conexión a internet',
    );
    expect(notice).not.toContain('Failed to fetch');
    expect(await page.locator('#feed-status .phase').textContent()).toBe('Sin datos');
    expect(await page.locator('#feed-status').textContent()).not.toContain('Cargando');
    const values = await page.locator('.kpi-value').allTextContents();
    expect(values).toEqual(Array(6).fill('—'));
    expect(Object.values(await stats(page))).toEqual(Array(6).fill(null));
  });

  it('say "Live" only for a freshly generated feed, and translate event types', async () => {
    const week = rawFeed(WEEK);
    const { page, problems } = await openDashboard(env.browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${WEEK}`), lang: 'es' }));
    await waitForUpdates(page, 1);
    // A recording from 2023 is not live.
    expect(await page.locator('#feed-status .phase').textContent()).toBe('Sin actualizar');

    const shift = Date.now() - week.metadata.generated;
    for (const feature of week.features) {
      feature.properties.time += shift;
      feature.properties.updated += shift;
    }
    week.metadata.generated += shift;
    env.usgs.set('/words/now.geojson', { body: JSON.stringify(week) });
    await page.goto(dashboardUrl({ feed: env.usgs.url('/words/now.geojson'), lang: 'es' }));
    await waitForUpdates(page, 1);
    expect(await page.locator('#feed-status .phase').textContent()).toBe('En vivo');

    const blast = week.features.find((f) => f.properties.type === 'quarry blast')!;
    expect(await page.locator('input[data-type="quarry blast"] + .type-name').textContent()).toBe(
      'voladura de cantera',
    );
    const row = page.locator(`[role="option"][data-id="${blast.id}"]`);
    // Show only quarry blasts, so the row is in view.
    for (const type of [
      'earthquake',
      'explosion',
      'other event',
      'volcanic eruption',
      'ice quake',
    ]) {
      const box = page.locator(`input[data-type="${type}"]`);
      if ((await box.count()) > 0) await box.uncheck();
    }
    expect(await row.locator('.row-meta').textContent()).toContain('voladura de cantera');
    await row.click();
    expect(await page.locator('.leaflet-popup .facts').textContent()).toContain(
      'Tipovoladura de cantera',
    );
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('isolate place names, name the language button by its visible text, and note feed oddities', async () => {
    const week = rawFeed(WEEK);
    const [first] = week.features;
    // A right-to-left override in a place would reverse the text after it if not isolated.
    first!.properties.place = '\u202Eabc, Chile';
    first!.properties.mag = 9;
    first!.properties.time = week.metadata.generated + 5 * MINUTE_MS;
    week.metadata.count = week.features.length + 3;
    env.usgs.set('/words/odd.geojson', { body: JSON.stringify(week) });
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url('/words/odd.geojson'), lang: 'en' }));
    await waitForUpdates(page, 1);

    const status = (await page.locator('#feed-status .status-text').textContent()) ?? '';
    expect(status).toContain(
      `metadata.count says ${(week.features.length + 3).toLocaleString('en')}, ${week.features.length.toLocaleString('en')} arrived`,
    );
    expect(status).toContain('1 dated after the feed');

    // The strongest quake's place, in its tile, the list and the popup: each an isolate.
    const row = page.locator(`[role="option"][data-id="${first!.id}"] .row-place`);
    await page.locator('#list-sort').selectOption('largest');
    for (const place of [page.locator('.kpi-max .kpi-note'), row]) {
      expect(await place.textContent()).toBe('\u202Eabc, Chile');
      expect(await place.getAttribute('dir')).toBe('auto');
      expect(await place.evaluate((node) => getComputedStyle(node).unicodeBidi)).toBe('isolate');
    }
    await row.click();
    expect(await page.locator('.leaflet-popup .popup-place').getAttribute('dir')).toBe('auto');

    const lang = page.locator('#lang-toggle');
    const visible = (await lang.textContent()) ?? '';
    expect(visible).toBe('ES');
    expect(await lang.getAttribute('aria-label')).toContain(visible);
    await page.getByRole('button', { name: 'ES · Español' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
