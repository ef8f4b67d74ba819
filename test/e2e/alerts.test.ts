/**
 * Alerts that mean "new": the first load of a feed is backlog (no cards, no NEW marks); a later
 * poll alerts and marks only the quakes that happened since the previous feed (less USGS's
 * reporting delay), so a poll that suddenly brings a week of older quakes raises nothing.
 */
import { describe, expect, it } from 'vitest';
import { alertFields } from '../../src/core/alert.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { HOUR_MS, MINUTE_MS } from '../../src/core/time.ts';
import {
  dashboardUrl,
  openDashboard,
  type RawFeature,
  rawFeed,
  state,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const WEEK = '2023-04-07_all_week.geojson';
const HOUR = '2017-12-03_all_hour.geojson';

/** A copy of the week's strongest quake under a new id, `minutesAgo` before `generated`. */
function newQuake(generated: number, minutesAgo: number, id: string): RawFeature {
  const strongest = rawFeed(WEEK).features.reduce((a, b) =>
    (a.properties.mag ?? 0) >= (b.properties.mag ?? 0) ? a : b,
  );
  const copy = structuredClone(strongest);
  copy.id = id;
  copy.properties.time = generated - minutesAgo * MINUTE_MS;
  copy.properties.updated = copy.properties.time;
  copy.properties.place = '12 km SSW of Valparaíso, Chile';
  return copy;
}

describe('alerts that mean new', () => {
  it('raises no backlog cards and no NEW marks on the first load of a week feed; a later poll alerts and marks only its new quake', async () => {
    const week = rawFeed(WEEK);
    const strong = week.features.filter((f) => (f.properties.mag ?? 0) >= 4.5);
    expect(strong.length).toBeGreaterThan(50);
    const path = '/alerts/all_week.geojson';
    env.usgs.set(path, { body: JSON.stringify(week) });
    const { page, problems } = await openDashboard(env.browser, { width: 1280, height: 720 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(dashboardUrl({ feed: env.usgs.url(path), poll: '200', lang: 'es' }));
    await waitForUpdates(page, 2);
    expect((await state(page)).alerts).toBe('0');
    expect(await page.locator('#alerts').isHidden()).toBe(true);
    expect(await page.locator('.tag-new:visible').count()).toBe(0);

    const generated = week.metadata.generated + 5 * MINUTE_MS;
    const fresh = newQuake(generated, 2, 'us-e2e-new');
    const next = {
      ...week,
      metadata: { ...week.metadata, generated, count: week.features.length + 1 },
      features: [fresh, ...week.features],
    };
    env.usgs.set(path, { body: JSON.stringify(next) });
    await page.waitForFunction(
      (n) => Number(document.body.dataset.quakes) === n,
      next.features.length,
    );
    expect((await state(page)).alerts).toBe('1');
    const card = page.locator('.alert-card');
    expect(await card.getAttribute('data-id')).toBe('us-e2e-new');
    const quake = parseFeedText(JSON.stringify(next)).quakes.find((q) => q.id === 'us-e2e-new');
    const fields = await card.locator('dt, dd').allTextContents();
    const expected = alertFields(quake!).flatMap(({ label, value }) => [label, value]);
    // The lines of the course's alert box, its numbers in Spanish notation (decimal comma).
    const es = (n: number) => n.toLocaleString('es', { maximumFractionDigits: 4 });
    expect(fields).toEqual([
      'Magnitud',
      quake!.mag!.toFixed(1).replace('.', ','),
      ...expected.slice(2, 6),
      'Coords',
      `(${es(quake!.lat)}; ${es(quake!.lon)})`,
      'Profundidad',
      `${es(quake!.depth!)} km`,
    ]);
    await expect.poll(() => page.locator('#announcer').textContent()).toContain('Valparaíso');
    // Only the new quake's row is marked NEW (it is the newest, at the top of the list).
    expect(await page.locator('.tag-new:visible').count()).toBe(1);
    expect(await page.locator('[role="option"]').first().getAttribute('data-id')).toBe(
      'us-e2e-new',
    );

    // "Ver en el mapa" opens the quake, folds the stack and puts the keyboard on the map.
    await card.locator('.alert-show').click();
    await page.locator('.leaflet-popup .popup[data-id="us-e2e-new"]').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('map');
    const folded = page.locator('.alert-folded');
    expect(await folded.textContent()).toBe('ALERTA SÍSMICA · 1');
    await folded.click();
    // Escape dismisses the newest card.
    await card.locator('.alert-show').focus();
    await page.keyboard.press('Escape');
    expect(await page.locator('#alerts').isHidden()).toBe(true);
    expect(await card.count()).toBe(0);

    // A reload is a first load: the quake alerted once and stays quiet.
    await page.reload();
    await waitForUpdates(page, 1);
    expect((await state(page)).alerts).toBe('0');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('marks and alerts nothing when a poll brings a week of older quakes after an hour feed', async () => {
    const hour = rawFeed(HOUR);
    const week = rawFeed(WEEK);
    const path = '/alerts/widening.geojson';
    // The hour feed generated just after the week's: the week's quakes are older than it.
    const generated = week.metadata.generated + 2 * HOUR_MS;
    env.usgs.set(path, {
      body: JSON.stringify({ ...hour, metadata: { ...hour.metadata, generated } }),
    });
    const { page, problems } = await openDashboard(env.browser);
    await page.goto(dashboardUrl({ feed: env.usgs.url(path), poll: '200', lang: 'en' }));
    await waitForUpdates(page, 1);
    env.usgs.set(path, {
      body: JSON.stringify({
        ...week,
        metadata: { ...week.metadata, generated: generated + MINUTE_MS },
      }),
    });
    await page.waitForFunction(
      (n) => Number(document.body.dataset.quakes) === n,
      week.features.length,
    );
    await waitForUpdates(page, Number((await state(page)).updates) + 1);
    expect((await state(page)).alerts).toBe('0');
    expect(await page.locator('.tag-new:visible').count()).toBe(0);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
