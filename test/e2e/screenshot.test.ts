import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

/** docs/screenshot*.png are rewritten only on request, so test runs leave the tree clean. */
function target(name: string): string {
  return process.env.UPDATE_SCREENSHOT === '1'
    ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url))
    : join(tmpdir(), `sismos-${name}`);
}
const TARGET = target('screenshot.png');
const PHONE_TARGET = target('screenshot-phone.png');

const env = withBrowserAndUsgs();

describe('docs/screenshot.png', () => {
  it('shows the dashboard on a recorded week of quakes (UPDATE_SCREENSHOT=1 to rewrite it)', async () => {
    const { page, problems } = await openDashboard(env.browser, { width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    const feed = env.usgs.url('/fixtures/2023-04-07_all_week.geojson');
    await page.goto(dashboardUrl({ feed, lang: 'es' }));
    await waitForUpdates(page, 1);
    // Every basemap tile in view has been drawn.
    await page.waitForFunction(() => {
      const tiles = document.querySelectorAll('.basemap .leaflet-tile');
      return (
        tiles.length > 0 &&
        [...tiles].every((tile) => tile.classList.contains('leaflet-tile-loaded'))
      );
    });
    mkdirSync(join(TARGET, '..'), { recursive: true });
    await page.screenshot({ path: TARGET });
    expect(statSync(TARGET).size).toBeGreaterThan(50_000);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });

  it('shows the phone layout on the same week (UPDATE_SCREENSHOT=1 to rewrite docs/screenshot-phone.png)', async () => {
    const { page, problems } = await openDashboard(env.browser, { width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    const feed = env.usgs.url('/fixtures/2023-04-07_all_week.geojson');
    await page.goto(dashboardUrl({ feed, lang: 'es' }));
    await waitForUpdates(page, 1);
    await page.waitForFunction(() => {
      const tiles = document.querySelectorAll('.basemap .leaflet-tile');
      return (
        tiles.length > 0 &&
        [...tiles].every((tile) => tile.classList.contains('leaflet-tile-loaded'))
      );
    });
    mkdirSync(join(PHONE_TARGET, '..'), { recursive: true });
    await page.screenshot({ path: PHONE_TARGET });
    expect(statSync(PHONE_TARGET).size).toBeGreaterThan(20_000);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
  });
});
