/**
 * FeedPoller with the real fetch against a local fake USGS: stop() is final, also when it aborts
 * a fetch in flight (the dashboard stops polling when its bridge is back, and a late poll would
 * overwrite the bridge's data).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FeedPoller } from '../../../src/dashboard/state/poller.ts';
import { type FakeUsgs, startFakeUsgs } from '../../helpers/fake-usgs.ts';

const PERIOD_MS = 20;
/** Long enough for the old poller to have polled many times after the aborted fetch. */
const QUIET_MS = 30 * PERIOD_MS;

let usgs: FakeUsgs;
beforeAll(async () => {
  usgs = await startFakeUsgs();
});
afterAll(() => usgs.close());

function poller(texts: string[] = []): FeedPoller {
  return new FeedPoller({
    timeoutMs: 60_000,
    onText: (text) => texts.push(text),
    onFailure: () => {},
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FeedPoller.stop', () => {
  it('stopping while a fetch is in flight aborts it and makes no further request, ever', async () => {
    usgs.set('/stop/in-flight.geojson', { hang: true });
    const feed = poller();
    feed.start(usgs.url('/stop/in-flight.geojson'), PERIOD_MS);
    await vi.waitFor(() => expect(usgs.hits('/stop/in-flight.geojson')).toBe(1));
    feed.stop();
    await sleep(QUIET_MS);
    expect(usgs.hits('/stop/in-flight.geojson')).toBe(1);
  });

  it('stopping between polls makes no further request, and start() polls again afterwards', async () => {
    usgs.set('/stop/between.geojson', { body: 'first' });
    const texts: string[] = [];
    // Stopped from the second text's handler: no fetch is in flight then, so none may follow.
    const feed = new FeedPoller({
      timeoutMs: 60_000,
      onText: (text) => {
        texts.push(text);
        if (texts.length === 2) feed.stop();
      },
      onFailure: () => {},
    });
    feed.start(usgs.url('/stop/between.geojson'), PERIOD_MS);
    await vi.waitFor(() => expect(texts).toHaveLength(2));
    await sleep(QUIET_MS);
    expect(usgs.hits('/stop/between.geojson')).toBe(2);
    expect(texts).toHaveLength(2);

    usgs.set('/stop/again.geojson', { body: 'again' });
    feed.start(usgs.url('/stop/again.geojson'), 60_000);
    await vi.waitFor(() => expect(texts.at(-1)).toBe('again'));
    feed.stop();
  });
});
