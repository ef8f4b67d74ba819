/**
 * Benchmark 2, dashboard memory: the JS heap of the built index.html in headless Chromium after
 * 500 polls of a feed that changes at every poll, against the heap after 10 polls.
 *
 *   npx tsx bench/dashboard-memory.ts      (BENCH_RUNS=3 by default)
 *
 * The feed is a week of quakes (2,389, made from the real week with new ids) that moves on at each
 * poll as a live feed does: 5 new quakes, the 5 oldest gone, 3 revised. The page polls it every
 * 50 ms (?poll=50). To weigh the heap, the server holds the next poll, the page is left 5 s for
 * the pulse rings of the newest quakes to end, and Chromium collects garbage first.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { INDEX_FILE_URL, launchChromium } from '../test/helpers/browser.ts';
import { startFeedServer } from './lib/feed-server.ts';
import { weekText } from './lib/feeds.ts';
import { saveResult, timed } from './lib/results.ts';
import { figure, figuresTable, format, median, renderTable } from './lib/stats.ts';
import { type RawFeature, type RawFeed, syntheticFeed } from './lib/synthetic-feed.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const POLLS = 500;
const SAMPLES = [10, 250, POLLS];
const WINDOW = 2389;
const NEW_PER_POLL = 5;
const REVISED_PER_POLL = 3;
const SETTLE_MS = 5000;

/** The feed at its `version`-th poll: a window sliding through time-ordered quakes, newest first. */
function changingFeed(pool: RawFeed, version: number): string {
  const start = version * NEW_PER_POLL;
  const features = pool.features.slice(start, start + WINDOW).map((feature, i) => {
    if (i % Math.floor(WINDOW / REVISED_PER_POLL) !== version % 7) return feature;
    // Revised by USGS at this poll: a newer `updated`, another magnitude.
    const mag = ((feature.properties.mag as number | null) ?? 1) + (version % 2 === 0 ? 0.1 : -0.1);
    const updated = feature.properties.updated + version * 1000;
    return { ...feature, properties: { ...feature.properties, updated, mag } };
  });
  const newest = features.at(-1) as RawFeature;
  return JSON.stringify({
    ...pool,
    metadata: {
      ...pool.metadata,
      count: features.length,
      generated: newest.properties.time + 60_000,
    },
    features: features.reverse(),
  });
}

interface Sample {
  readonly polls: number;
  readonly heap: number;
  readonly nodes: number;
  readonly listeners: number;
}

async function sample(page: Page, cdp: CDPSession): Promise<Omit<Sample, 'polls'>> {
  await page.waitForTimeout(SETTLE_MS);
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const counters = await cdp.send('Memory.getDOMCounters');
  return { heap: usedSize, nodes: counters.nodes, listeners: counters.jsEventListeners };
}

async function run(browser: Browser, pool: RawFeed): Promise<Sample[]> {
  const server = await startFeedServer();
  /** While set, the next poll waits (the page is being weighed). */
  let gate: { opened: Promise<void>; open: () => void } | null = null;
  let version = 0;
  server.route('/changing.geojson', async () => {
    if (gate !== null) await gate.opened;
    return changingFeed(pool, version++);
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const params = new URLSearchParams({
    feed: server.url('/changing.geojson'),
    poll: '50',
    lang: 'en',
  });
  await page.goto(`${INDEX_FILE_URL}?${params}`);
  const samples: Sample[] = [];
  try {
    for (const polls of SAMPLES) {
      await page.waitForFunction((n) => Number(document.body.dataset.updates) >= n, polls, {
        timeout: 300_000,
        polling: 100,
      });
      let open = () => {};
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { opened, open };
      const done = Number(await page.evaluate(() => document.body.dataset.updates));
      samples.push({ polls: done, ...(await sample(page, cdp)) });
      gate = null;
      open();
      console.log(
        `  after ${done} polls: heap ${((samples.at(-1)?.heap ?? 0) / 2 ** 20) | 0} MiB, ${samples.at(-1)?.nodes} DOM nodes`,
      );
    }
    const failures = await page.evaluate(() => document.body.dataset.failures);
    if (failures !== '0') throw new Error(`${failures} polls failed`);
  } finally {
    await page.close();
    await server.close();
  }
  return samples;
}

async function main(): Promise<void> {
  const week = JSON.parse(weekText()) as RawFeed;
  const pool = syntheticFeed(week, WINDOW + NEW_PER_POLL * (POLLS + 20), 500);
  pool.features.sort((a, b) => a.properties.time - b.properties.time);
  const result = await timed(async () => {
    const runs: Sample[][] = [];
    for (let i = 1; i <= RUNS; i++) {
      console.log(`run ${i}/${RUNS}`);
      const browser = await launchChromium();
      try {
        runs.push(await run(browser, pool));
      } finally {
        await browser.close();
      }
    }
    const at = (index: number, pick: (s: Sample) => number) =>
      runs.map((samples) => pick(samples[index] as Sample));
    const last = SAMPLES.length - 1;
    const mib = (values: number[]) => `${format(median(values) / 2 ** 20)} MiB`;
    return {
      title: 'Dashboard memory (headless Chromium, index.html)',
      figures: [
        figure(
          'memory-500',
          `JS heap after ${POLLS} polls of a changing feed ÷ after ${SAMPLES[0]}`,
          '×',
          at(last, (s) => s.heap).map((heap, i) => heap / (at(0, (s) => s.heap)[i] as number)),
          { op: '<=', value: 1.2 },
        ),
      ],
      tables: [
        {
          title: `after each number of polls, ${WINDOW} quakes, ${NEW_PER_POLL} new, ${NEW_PER_POLL} gone and ${REVISED_PER_POLL} revised per poll: medians of ${RUNS} runs`,
          headers: ['polls', 'JS heap (after GC)', 'DOM nodes', 'event listeners'],
          rows: SAMPLES.map((polls, i) => [
            String(polls),
            mib(at(i, (s) => s.heap)),
            String(median(at(i, (s) => s.nodes))),
            String(median(at(i, (s) => s.listeners))),
          ]),
        },
      ],
      notes: [
        'The JS heap is Runtime.getHeapUsage().usedSize after three HeapProfiler.collectGarbage calls; DOM nodes and listeners come from Memory.getDOMCounters.',
        'Over 500 polls the page sees 2,500 new quakes and as many leave; new ones at or above M4.5 raise alert cards, of which the page keeps the latest 100.',
      ],
    };
  });
  for (const table of [...result.tables, figuresTable('Figures', result.figures)]) {
    console.log(`\n${renderTable(table)}`);
  }
  saveResult('dashboard-memory', result);
}

await main();
