/**
 * Revisions against a course-style consumer: our productor-sismos polls the fake USGS twice, the
 * second time with revised quakes. `sismos` keeps one record per quake (what the Python
 * consumidor_alertas of test/peers reads), the revisions go to their own topic, and our alert
 * consumer and the bridge read both.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, recentFeatures, revised } from '../helpers/fixtures.ts';
import {
  brokers,
  committedOffsets,
  createTopic,
  endOffsets,
  readAll,
  unique,
} from '../helpers/kafka.ts';
import { type PythonAlert, pythonAlerts, startPeer } from '../helpers/peers.ts';
import { loggedIds, stopCommand } from '../helpers/pipeline.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { connectBridge } from '../helpers/ws-client.ts';

const FEED = '2018-06-12_4.5_week.geojson';
// Moved to the last hours, for the bridge's snapshot window; every one of magnitude 4.5 or more.
const features = recentFeatures(FEED).slice(0, 20);
/** The first version of features[0] is below the alert threshold; its revision is above it. */
const weak = revised(features[0], 4.1, 0);
const first = [weak, ...features.slice(1)];
/** The second poll revises 11 quakes, as on the real two-poll sample of issue 13. */
const revisions = [
  revised(features[0], 5.2),
  ...features.slice(1, 11).map((f) => revised(f, Math.round(f.properties.mag * 10 + 3) / 10)),
];
const second = [...revisions, ...features.slice(11)];
const ids = first.map((f) => f.id as string);

let usgs: FakeUsgs;
beforeAll(async () => {
  usgs = await startFakeUsgs();
});
afterAll(() => usgs?.close());

/** Own topics, and a producer polling its own path of the fake USGS every 200 ms. */
async function pipeline(revisionsTopic: (sismos: string) => string) {
  const topics = {
    SISMOS_TOPIC: unique('sismos'),
    ALERTAS_TOPIC: unique('alertas'),
    STATS_TOPIC: unique('stats'),
    DLQ_TOPIC: unique('dlq'),
  };
  const env = {
    ...topics,
    KAFKA_BROKERS: brokers(),
    REVISIONS_TOPIC: revisionsTopic(topics.SISMOS_TOPIC),
  };
  const created = new Set([...Object.values(topics), env.REVISIONS_TOPIC]);
  await Promise.all([...created].map((topic) => createTopic(topic)));
  const path = `/${unique('feed')}/4.5_week.geojson`;
  usgs.set(path, { body: feedText(FEED, first, Date.now()) });
  const producer = startCommand('bridge/productor_sismos.ts', {
    ...env,
    USGS_FEED_URL: usgs.url(path),
    POLL_INTERVAL_S: '0.2',
  });
  const polled = (counts: string) => producer.waitFor(new RegExp(`^poll \\d+: ${counts}`, 'm'));
  await polled('20 new, 0 revised, 0 unchanged');
  return {
    env,
    producer,
    /** Serves the second feed and waits for the producer to publish its revisions. */
    async revise() {
      usgs.set(path, { body: feedText(FEED, second, Date.now()) });
      await polled('0 new, 11 revised');
    },
  };
}

/** The Python consumidor_alertas on `sismos`, stopped once its group committed everything there. */
async function pythonAlertsOf(sismos: string): Promise<PythonAlert[]> {
  const group = unique('alertas-py');
  const log = join(mkdtempSync(join(tmpdir(), 'sismos-peer-')), 'alertas.log');
  const consumer = startPeer('consumidor_alertas.py', {
    KAFKA_BROKERS: brokers(),
    SISMOS_TOPIC: sismos,
    CONSUMER_GROUP: group,
    ALERTAS_LOG: log,
  });
  const ends = await endOffsets(sismos);
  // confluent-kafka commits what it consumed every 5 s: once all of sismos is committed, it read it all.
  for (;;) {
    const committed = await committedOffsets(group, sismos);
    if ([...ends].every(([partition, end]) => committed.get(partition) === end)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  consumer.child.kill('SIGINT');
  expect(await consumer.exited).toBe(0);
  return pythonAlerts(readFileSync(log, 'utf8'));
}

const places = (alerts: readonly PythonAlert[]) => alerts.map((a) => `${a.hora} ${a.lugar}`);

describe('revisions (REVISIONS_TOPIC)', () => {
  it('by default a course-style consumer of sismos alerts each quake once; our alert consumer and the bridge get the revisions too', async () => {
    const { env, producer, revise } = await pipeline(() => unique('sismos-revisiones'));
    const log = join(mkdtempSync(join(tmpdir(), 'sismos-alertas-')), 'alertas.log');
    const alerts = startCommand('bridge/consumidor_alertas.ts', {
      ...env,
      ALERTAS_LOG: log,
      ALERTS_GROUP: unique('alertas'),
    });
    const port = await freePort();
    const bridge = startCommand('bridge/server.ts', {
      ...env,
      BRIDGE_PORT: String(port),
      BRIDGE_GROUP: unique('bridge'),
      // The 20 quakes span a few days of the week's feed.
      BRIDGE_WINDOW_HOURS: '168',
    });
    let running: Command[] = [producer, alerts, bridge];
    try {
      await bridge.waitFor(/Sismos bridge \(Kafka/, 60_000);
      expect(bridge.stdout()).toContain(`${env.SISMOS_TOPIC}, ${env.REVISIONS_TOPIC}, `);
      const client = await connectBridge(`ws://127.0.0.1:${port}/ws`);
      const snapshot = await client.next((f) => f.type === 'snapshot');
      expect(snapshot.quakes.map((q: { id: string }) => q.id).sort()).toEqual([...ids].sort());
      await alerts.waitFor(() => loggedIds(log).length === 19, 60_000);

      await revise();
      // Each revision reaches the client as a newer version of its quake (same id: replace it).
      for (const revision of revisions) {
        await client.next(
          (f) =>
            f.type === 'quake' &&
            f.quake.id === revision.id &&
            f.quake.magnitud === revision.properties.mag,
        );
      }
      // The revision lifts the weak quake over the threshold: our consumer alerts it then, once.
      await alerts.waitFor(() => loggedIds(log).length === 20, 60_000);
      await alerts.waitFor(
        (out) => (out.match(/^update \S+ M[\d.]+ → M[\d.]+ .*no new alert$/gm) ?? []).length === 10,
        60_000,
      );
      await client.close();
      await Promise.all(running.map(stopCommand));
      running = [];

      expect([...loggedIds(log)].sort()).toEqual([...ids].sort());
      expect((await readAll(env.ALERTAS_TOPIC)).map((r) => r.key).sort()).toEqual([...ids].sort());
      const inSismos = await readAll(env.SISMOS_TOPIC);
      expect(inSismos.map((r) => r.key).sort()).toEqual([...ids].sort());
      const inRevisions = await readAll(env.REVISIONS_TOPIC);
      expect(inRevisions.map((r) => [r.key, JSON.parse(r.value ?? '').magnitud]).sort()).toEqual(
        revisions.map((f) => [f.id, f.properties.mag]).sort(),
      );

      const python = await pythonAlertsOf(env.SISMOS_TOPIC);
      expect(python).toHaveLength(19);
      expect(new Set(places(python)).size).toBe(19);
    } finally {
      for (const command of running) command.child.kill('SIGKILL');
    }
  }, 240_000);

  it('with REVISIONS_TOPIC=sismos (the old behaviour) a course-style consumer alerts a revised quake again', async () => {
    const { env, producer, revise } = await pipeline((sismos) => sismos);
    await revise();
    await stopCommand(producer);
    expect(await readAll(env.SISMOS_TOPIC)).toHaveLength(31);
    const python = await pythonAlertsOf(env.SISMOS_TOPIC);
    // 19 first versions of 4.5 or more, then all 11 revisions: 10 of them alert a quake again.
    expect(python).toHaveLength(30);
    expect(new Set(places(python)).size).toBe(20);
  }, 180_000);

  it('the bridge relays the rest when the revisions topic does not exist, saying so in one line', async () => {
    const topics = {
      SISMOS_TOPIC: unique('sismos'),
      ALERTAS_TOPIC: unique('alertas'),
      STATS_TOPIC: unique('stats'),
    };
    await Promise.all(Object.values(topics).map((topic) => createTopic(topic)));
    const missing = unique('sismos-revisiones');
    const port = await freePort();
    const bridge = startCommand('bridge/server.ts', {
      ...topics,
      REVISIONS_TOPIC: missing,
      KAFKA_BROKERS: brokers(),
      BRIDGE_PORT: String(port),
      BRIDGE_GROUP: unique('bridge'),
    });
    await bridge.waitFor(/Sismos bridge \(Kafka/, 60_000);
    expect(bridge.stdout().split('\n')[0]).toBe(
      `bridge: topic ${missing} does not exist, so its records are not relayed; create it (npm run kafka:local and docker compose do) and restart the bridge`,
    );
    expect(bridge.stdout()).toContain(
      `: ${topics.SISMOS_TOPIC}, ${topics.ALERTAS_TOPIC}, ${topics.STATS_TOPIC}) at http://`,
    );
    const client = await connectBridge(`ws://127.0.0.1:${port}/ws`);
    await client.next((f) => f.type === 'snapshot');
    await client.close();
    await stopCommand(bridge);
  });
});
