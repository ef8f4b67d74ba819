import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { INDEX_FILE_URL, launchChromium, openPage, type PageProblems } from './browser.ts';
import { type FakeUsgs, startFakeUsgs } from './fake-usgs.ts';
import { type FixtureName, fixtureJson } from './fixtures.ts';

export interface DashboardPage {
  readonly page: Page;
  readonly problems: PageProblems;
  /** Requests to anything but this machine, which tests refuse (map tiles, the real USGS). */
  readonly external: string[];
}

/** index.html from disk with `params` in the query (`feed`, `lang`, `poll`, filters, ...). */
export function dashboardUrl(params: Readonly<Record<string, string>>): string {
  return `${INDEX_FILE_URL}?${new URLSearchParams(params)}`;
}

/**
 * A page for dashboard tests: CSP violations and errors recorded (openPage), every request that
 * would leave the machine refused and recorded, and a fixed desktop size.
 */
export async function openDashboard(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<DashboardPage> {
  const { page, problems } = await openPage(browser);
  const external: string[] = [];
  await page.setViewportSize({ width: options.width ?? 1440, height: options.height ?? 900 });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (!local && (url.protocol === 'http:' || url.protocol === 'https:')) {
      external.push(url.href);
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  return { page, problems, external };
}

/** The page's read-only state on <body data-*> (see src/dashboard/probe/page-state.ts). */
export async function state(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => ({ ...document.body.dataset }) as Record<string, string>);
}

/** Waits until the page has applied `count` good polls in total. */
export async function waitForUpdates(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.body.dataset.updates) >= n, count);
}

/** Waits until the page has made `count` poll attempts, good or failed. */
export async function waitForPolls(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.body.dataset.polls) >= n, count);
}

/** The KPI values as the page publishes them (data-value of each statistic). */
export async function stats(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(() => {
    const out: Record<string, number | null> = {};
    for (const node of document.querySelectorAll<HTMLElement>('[data-stat]')) {
      const value = node.dataset.value ?? '';
      out[node.dataset.stat as string] = value === '' ? null : Number(value);
    }
    return out;
  });
}

/** A raw GeoJSON feature of a recorded feed, as loosely typed as the JSON itself. */
export interface RawFeature {
  id: string;
  properties: {
    mag: number | null;
    place: string | null;
    time: number;
    updated: number;
    tsunami: number | null;
    type: string;
    [key: string]: unknown;
  };
  geometry: { type: 'Point'; coordinates: [number, number, number | null] };
}

/** A recorded feed, decoded, to compute expectations from or to edit into a new feed. */
export function rawFeed(name: FixtureName): {
  metadata: { generated: number; [key: string]: unknown };
  features: RawFeature[];
  [key: string]: unknown;
} {
  return fixtureJson(name);
}

/** The browser and the fake USGS a test file shares. */
export interface BrowserAndUsgs {
  readonly browser: Browser;
  readonly usgs: FakeUsgs;
}

/** Starts headless Chromium and a fake USGS before the file's tests, and stops both after them. */
export function withBrowserAndUsgs(): BrowserAndUsgs {
  const env = {} as { browser: Browser; usgs: FakeUsgs };
  beforeAll(async () => {
    [env.browser, env.usgs] = await Promise.all([launchChromium(), startFakeUsgs()]);
  });
  afterAll(async () => {
    await Promise.all([env.browser?.close(), env.usgs?.close()]);
  });
  return env;
}
