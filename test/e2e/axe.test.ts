/**
 * axe-core finds no accessibility violations on the dashboard, in light and dark, Spanish and
 * English, with data on screen, an alert card open, and on a phone.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.ts';
import {
  dashboardUrl,
  openDashboard,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();

const CASES = [
  { lang: 'es', colorScheme: 'light', width: 1440, height: 900 },
  { lang: 'en', colorScheme: 'light', width: 1280, height: 720 },
  { lang: 'es', colorScheme: 'dark', width: 1280, height: 720 },
  { lang: 'en', colorScheme: 'dark', width: 390, height: 844 },
] as const;

describe('axe-core', () => {
  for (const { lang, colorScheme, width, height } of CASES) {
    it(`reports no violations (${lang}, ${colorScheme}, ${width}x${height})`, async () => {
      const { page, problems } = await openDashboard(env.browser, { width, height });
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      const feed = env.usgs.url('/fixtures/2023-04-07_all_week.geojson');
      await page.goto(dashboardUrl({ feed, lang }));
      await waitForUpdates(page, 1);
      expect(await page.locator('html').getAttribute('data-theme')).toBe(colorScheme);
      expect(await axeViolations(page)).toEqual([]);
      expect(problems).toEqual({ cspViolations: [], errors: [] });
    });
  }
});
