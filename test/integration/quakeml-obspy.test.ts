/**
 * The QuakeML download, read by ObsPy (PyPI), the seismology community's own library, and
 * validated against the QuakeML 1.2 schemas it ships: every quake the page lists comes back with
 * the same origin time, position, depth and magnitude as the page's own CSV download.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardUrl,
  openDashboard,
  waitForUpdates,
  withBrowserAndUsgs,
} from '../helpers/dashboard.ts';
import type { FixtureName } from '../helpers/fixtures.ts';
import { obspyPython, readWithObspy } from '../helpers/obspy.ts';

const env = withBrowserAndUsgs();

beforeAll(() => {
  obspyPython();
}, 600_000);

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return (await file.path()) as string;
}

const FEEDS: FixtureName[] = ['2016-11-03_all_day.geojson', '2023-10-11_significant_month.geojson'];

describe('the QuakeML download read by ObsPy', () => {
  it.each(FEEDS)(
    'is valid QuakeML 1.2 with every quake of %s as the page shows it',
    async (name) => {
      const { page, problems } = await openDashboard(env.browser);
      await page.goto(dashboardUrl({ feed: env.usgs.url(`/fixtures/${name}`), lang: 'en' }));
      await waitForUpdates(page, 1);

      const reading = await readWithObspy(await download(page, '#export-quakeml'));
      expect(reading.xsd_errors).toEqual([]);
      expect(reading.valid_xsd).toBe(true);
      expect(reading.valid_relaxng).toBe(true);

      const [header, ...rows] = readFileSync(await download(page, '#export-csv'), 'utf8')
        .trimEnd()
        .split('\r\n');
      const columns = (header as string).split(',');
      // Only the place can hold a (quoted) comma: columns before it are read from the start of the
      // row, those after it from the end.
      const place = columns.indexOf('place');
      const cell = (row: string, column: string) => {
        const cells = row.split(',');
        const index = columns.indexOf(column);
        return (
          index < place ? cells[index] : cells[cells.length - columns.length + index]
        ) as string;
      };
      const number = (text: string) => (text === '' ? null : Number(text));
      const shown = Number((await page.evaluate(() => document.body.dataset.quakes)) ?? 0);
      expect(rows).toHaveLength(shown);
      expect(reading.events).toHaveLength(rows.length);

      reading.events.forEach((event, i) => {
        const row = rows[i] as string;
        const id = cell(row, 'id');
        expect(event.id).toBe(`smi:local/sismos/${id}`);
        expect(Date.parse(`${event.time}Z`), id).toBe(Date.parse(cell(row, 'time')));
        expect([event.latitude, event.longitude], id).toEqual([
          number(cell(row, 'latitude')),
          number(cell(row, 'longitude')),
        ]);
        expect(event.mag, id).toBe(number(cell(row, 'mag')));
        const depth = number(cell(row, 'depth_km'));
        if (depth === null) expect(event.depth_m, id).toBeNull();
        // QuakeML writes depths in metres: equal to the metre.
        else
          expect(Math.abs((event.depth_m as number) - depth * 1000), id).toBeLessThanOrEqual(0.5);
        expect(event.type, id).toBe(cell(row, 'type'));
      });
      expect(problems).toEqual({ cspViolations: [], errors: [] });
    },
  );
});
