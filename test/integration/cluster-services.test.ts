/**
 * The pipeline on a 3-node cluster while brokers die: productor-sismos (fake USGS), consumidor-alertas,
 * estadisticas-sismos and the bridge with a WebSocket client run throughout, nobody restarts them,
 * and the feed grows after each fault. kill -9 takes the leader of a sismos partition, later the
 * active controller. Every quake must be published, alerted, counted and relayed exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type LocalCluster, startCluster } from '../../scripts/kafka-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, recentFeatures } from '../helpers/fixtures.ts';
import { createTopic, readAll, unique } from '../helpers/kafka.ts';
import { loggedIds, stopCommand } from '../helpers/pipeline.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { expectWindows, lastByKey } from '../helpers/stats.ts';
import { connectBridge, cursorBreaks } from '../helpers/ws-client.ts';

const FEED = '2018-06-12_4.5_week.geojson';
/** A week of quakes of magnitude 4.5 or more, moved so the newest happened a minute ago. */
const features = recentFeatures(FEED);
const ids = features.map((f) => f.id as string);

let cluster: LocalCluster;
let usgs: FakeUsgs;
beforeAll(async () => {
  [cluster, usgs] = await Promise.all([startCluster({ nodes: 3 }), startFakeUsgs()]);
}, 240_000);
afterAll(async () => {
  await usgs?.close();
  await cluster?.stop();
}, 120_000);

/** Polls `read` until `done` holds for its value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the services on a 3-node cluster (npm run kafka:local -- --nodes 3)', () => {
  it('publish, alert, count and relay every quake exactly once through kill -9 of a partition leader and of the active controller', async () => {
    const env = {
      KAFKA_BROKERS: cluster.brokers,
      SISMOS_TOPIC: unique('sismos'),
      REVISIONS_TOPIC: unique('sismos-revisiones'),
      ALERTAS_TOPIC: unique('alertas'),
      STATS_TOPIC: unique('stats'),
      DLQ_TOPIC: unique('dlq'),
      KAFKA_SESSION_TIMEOUT_S: '10',
    };
    for (const topic of [
      env.SISMOS_TOPIC,
      env.REVISIONS_TOPIC,
      env.ALERTAS_TOPIC,
      env.STATS_TOPIC,
      env.DLQ_TOPIC,
    ]) {
      await createTopic(topic, 3, cluster.brokers);
    }
    const path = `/${unique('feed')}/4.5_week.geojson`;
    const serve = (count: number) =>
      usgs.set(path, { body: feedText(FEED, features.slice(0, count), Date.now()) });
    serve(25);
    const log = join(mkdtempSync(join(tmpdir(), 'sismos-cluster-')), 'alertas.log');
    const port = await freePort();
    const running: Command[] = [
      startCommand('bridge/productor_sismos.ts', {
        ...env,
        USGS_FEED_URL: usgs.url(path),
        POLL_INTERVAL_S: '0.5',
        RETRY_FIRST_S: '0.5',
        RETRY_MAX_S: '2',
      }),
      startCommand('bridge/consumidor_alertas.ts', {
        ...env,
        ALERTAS_LOG: log,
        ALERTS_GROUP: unique('alertas'),
      }),
      startCommand('bridge/estadisticas_sismos.ts', {
        ...env,
        STATS_GROUP: unique('stats'),
        // A week of quakes arrives newest first: none of it may count as late.
        STATS_LATENESS_MINUTES: '43200',
      }),
    ];
    const bridge = startCommand('bridge/server.ts', {
      ...env,
      BRIDGE_PORT: String(port),
      BRIDGE_GROUP: unique('bridge'),
      BRIDGE_WINDOW_HOURS: '192',
    });
    running.push(bridge);
    const services = [...running];
    try {
      await bridge.waitFor(/Sismos bridge \(Kafka/, 60_000);
      const client = await connectBridge(`ws://127.0.0.1:${port}/ws`);
      const snapshot = await client.next((f) => f.type === 'snapshot');
      const alerted = (count: number) =>
        until(
          async () => loggedIds(log),
          (l) => l.length >= count,
        );
      await alerted(25);

      const leader = await cluster.leaderOf(env.SISMOS_TOPIC, 0);
      await cluster.crash(leader);
      serve(50);
      await alerted(50);
      await cluster.start(leader);

      const controller = await cluster.activeController();
      await cluster.crash(controller);
      serve(features.length);
      await alerted(features.length);
      await cluster.start(controller);

      // Every quake and every alert reaches the client; the stats reach their final figures.
      // Alerts published before the client connected came in its snapshot, the rest as frames.
      const inSnapshot = new Set(snapshot.alerts.map((q: { id: string }) => q.id));
      for (const id of ids.filter((id) => !inSnapshot.has(id))) {
        await client.next((f) => f.type === 'alert' && f.quake.id === id, 90_000);
      }
      const quakes = parseFeedText(feedText(FEED, features, Date.now())).quakes;
      const expected = windowsOf(quakes, tumblingWindows(5 * 60_000));
      const total = expected.reduce((sum, w) => sum + w.count, 0);
      expect(total).toBe(features.length);
      await until(
        async () => lastByKey(await readAll(env.STATS_TOPIC, cluster.brokers)),
        (windows) => [...windows.values()].reduce((sum, w) => sum + w.count, 0) === total,
      );
      await client.close();
      for (const command of running.splice(0)) await stopCommand(command);

      const sismos = await readAll(env.SISMOS_TOPIC, cluster.brokers);
      expect(sismos.map((r) => r.key).sort()).toEqual([...ids].sort());
      expect([...loggedIds(log)].sort()).toEqual([...ids].sort());
      const alerts = await readAll(env.ALERTAS_TOPIC, cluster.brokers);
      expect(alerts.map((r) => r.key).sort()).toEqual([...ids].sort());
      expectWindows(lastByKey(await readAll(env.STATS_TOPIC, cluster.brokers)), expected);
      // The client saw each quake and each alert once (snapshot included), with no gap in between.
      const after = client.frames.slice(client.frames.indexOf(snapshot) + 1);
      const relayed = (type: string) => [
        ...(type === 'quake' ? snapshot.quakes : snapshot.alerts).map((q: { id: string }) => q.id),
        ...after.filter((f) => f.type === type).map((f) => f.quake.id as string),
      ];
      expect(relayed('quake').sort()).toEqual([...ids].sort());
      expect(relayed('alert').sort()).toEqual([...ids].sort());
      expect(cursorBreaks(snapshot.cursor, after)).toEqual([]);
      // One broker down is never reported as the whole cluster down.
      for (const service of services) {
        expect(service.stderr()).not.toContain(`cannot reach Kafka at ${cluster.brokers}`);
      }
    } finally {
      for (const command of running) command.child.kill('SIGKILL');
    }
  }, 300_000);
});
