import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, recentFeatures, revised } from '../helpers/fixtures.ts';
import { type Command, runCommand, startCommand } from '../helpers/process.ts';
import { connectBridge, type Frame } from '../helpers/ws-client.ts';

// The real day of 2016, moved so that its newest quake happened a minute ago.
const features = recentFeatures('2016-11-03_all_day.geojson');
const strong = {
  ...features[0],
  id: 'us-new-m5',
  properties: { ...features[0].properties, mag: 5.3, updated: Date.now() },
};

let usgs: FakeUsgs;
let bridge: Command;
let base: string;

beforeAll(async () => {
  usgs = await startFakeUsgs();
  usgs.set('/day.geojson', { body: feedText('2016-11-03_all_day.geojson', features, Date.now()) });
  const port = await freePort();
  base = `ws://127.0.0.1:${port}/ws`;
  bridge = startCommand('bridge/server.ts', {
    KAFKA_BROKERS: '',
    BRIDGE_PORT: String(port),
    BRIDGE_FEED_URL: usgs.url('/day.geojson'),
    BRIDGE_POLL_S: '0.2',
    RETRY_FIRST_S: '0.2',
    RETRY_MAX_S: '0.5',
  });
  await bridge.waitFor(/Sismos bridge \(direct mode/);
  // The first poll is in: a client starts from a snapshot of the whole feed, not from its records.
  await bridge.waitFor(new RegExp(`: ${features.length} new, `));
});
afterAll(async () => {
  bridge?.child.kill('SIGINT');
  expect(await bridge?.exited).toBe(0);
  await usgs?.close();
});

/** Every quake id a client has been told about, in its snapshot or live. */
const known = (frames: Frame[]) =>
  new Set(
    frames.flatMap((f) =>
      f.type === 'snapshot'
        ? f.quakes.map((q: { id: string }) => q.id)
        : f.type === 'quake'
          ? [f.quake.id]
          : [],
    ),
  );

describe('bridge in direct mode (no Kafka)', () => {
  it('pushes the feed, then new quakes, revisions, alerts and windows', async () => {
    const client = await connectBridge(base);
    await client.next(() => known(client.frames).size === features.length);
    expect(client.frames[0]).toMatchObject({ type: 'hello', mode: 'direct' });

    usgs.set('/day.geojson', {
      body: feedText(
        '2016-11-03_all_day.geojson',
        [strong, revised(features[1], 3.3), ...features.slice(2)],
        Date.now(),
      ),
    });
    const alert = await client.next((f) => f.type === 'alert' && f.quake.id === 'us-new-m5');
    const revision = await client.next(
      (f) => f.type === 'quake' && f.quake.id === features[1].id && f.quake.magnitud === 3.3,
    );
    expect(alert.quake).toMatchObject({ magnitud: 5.3 });
    expect(revision.cursor).toMatch(/^d-/);
    const window = await client.next(
      (f) =>
        f.type === 'stats' &&
        Date.parse(f.window.inicio) <= strong.properties.time &&
        Date.parse(f.window.fin) > strong.properties.time,
    );
    expect(window.window.magnitud_maxima).toBeGreaterThanOrEqual(5.3);
    // A viewer arriving later starts from a snapshot that has it all.
    const second = await connectBridge(base);
    const snapshot = await second.next((f) => f.type === 'snapshot');
    expect(snapshot.quakes.map((q: { id: string }) => q.id)).toContain('us-new-m5');
    expect(snapshot.alerts.map((q: { id: string }) => q.id)).toEqual(
      expect.arrayContaining(['us-new-m5']),
    );
    await Promise.all([client.close(), second.close()]);
  });

  it('polls USGS once per poll period however many clients are connected', async () => {
    // A period of an hour: every request USGS gets in this test falls in the bridge's first period.
    const path = '/one-poll.geojson';
    usgs.set(path, { body: feedText('2016-11-03_all_day.geojson', features, Date.now()) });
    const port = await freePort();
    const single = startCommand('bridge/server.ts', {
      KAFKA_BROKERS: '',
      BRIDGE_PORT: String(port),
      BRIDGE_FEED_URL: usgs.url(path),
      BRIDGE_POLL_S: '3600',
    });
    try {
      await single.waitFor(new RegExp(`: ${features.length} new, `));
      const clients = await Promise.all(
        Array.from({ length: 6 }, () => connectBridge(`ws://127.0.0.1:${port}/ws`)),
      );
      for (const client of clients) {
        await client.next(() => known(client.frames).size === features.length);
      }
      // Six clients served from one request; a bridge polling per client would have made seven.
      expect(usgs.hits(path)).toBe(1);
      expect(single.stdout().match(/^bridge: .*: \d+ new, /gm)).toHaveLength(1);
      await Promise.all(clients.map((client) => client.close()));
    } finally {
      single.child.kill('SIGINT');
      expect(await single.exited).toBe(0);
    }
  });

  it('tells clients when USGS fails and when it answers again, keeping what it had', async () => {
    const client = await connectBridge(base);
    await client.next((f) => f.type === 'snapshot');
    usgs.set('/day.geojson', { status: 503, body: 'busy' });
    const down = await client.next((f) => f.type === 'source' && f.ok === false);
    expect(down.message).toMatch(
      /^USGS feed at .*\/day\.geojson returned HTTP 503.*; retrying in /,
    );
    usgs.set('/day.geojson', {
      body: feedText('2016-11-03_all_day.geojson', features, Date.now()),
    });
    await client.next((f) => f.type === 'source' && f.ok === true);
    const again = await connectBridge(base);
    const snapshot = await again.next((f) => f.type === 'snapshot');
    expect(snapshot.quakes.length).toBeGreaterThanOrEqual(features.length);
    await Promise.all([client.close(), again.close()]);
  });

  it.each([
    [
      { BRIDGE_MAX_CONNECTIONS: '0' },
      'BRIDGE_MAX_CONNECTIONS must be a number of at least 1, got "0"',
    ],
    [
      { RETRY_FIRST_S: '5', RETRY_MAX_S: '1' },
      'RETRY_MAX_S (1) must not be below RETRY_FIRST_S (5)',
    ],
  ])(
    'refuses settings it cannot run with (%o) at start, in one line naming them',
    async (env, line) => {
      const run = await runCommand('bridge/server.ts', {
        KAFKA_BROKERS: '',
        BRIDGE_PORT: String(await freePort()),
        ...env,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`bridge: ${line}\n`);
      expect(run.stdout).toBe('');
    },
  );
});
