import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type LocalBroker, startBroker } from '../../scripts/kafka-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, fixtureJson, revised } from '../helpers/fixtures.ts';
import { createTopic, endOffsets, readAll } from '../helpers/kafka.ts';
import { loggedIds, stopCommand } from '../helpers/pipeline.ts';
import { startCommand } from '../helpers/process.ts';
import { expectWindows, lastByKey, waitUntilHandled } from '../helpers/stats.ts';
import {
  type BridgeClient,
  connectBridge,
  cursorBreaks,
  type Frame,
} from '../helpers/ws-client.ts';

const WEEK_FEED = '2018-06-12_4.5_week.geojson';
// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON
const features: any[] = fixtureJson(WEEK_FEED).features;

// This file restarts its broker, so it runs its own instead of sharing the suite's.
let broker: LocalBroker;
let usgs: FakeUsgs;
beforeAll(async () => {
  [broker, usgs] = await Promise.all([startBroker(), startFakeUsgs()]);
});
afterAll(async () => {
  await Promise.all([broker?.stop(), usgs?.close()]);
});

const TOPICS = ['sismos', 'sismos-alertas', 'sismos-stats'];

/** The frames a client got that carry records (not hello, snapshot or source). */
const dataFrames = (frames: readonly Frame[]) =>
  frames.filter((f) => 'quake' in f || 'window' in f);

/** Resolves once `client`'s last cursor has every topic's end offsets: it got every record. */
async function waitUntilAtEnd(client: BridgeClient, at: string): Promise<void> {
  const ends = new Map<string, number>();
  for (const topic of TOPICS) {
    for (const [partition, end] of await endOffsets(topic, at))
      ends.set(`${topic}:${partition}`, end);
  }
  const expected = [...ends].map(([position, end]) => `${position}=${end}`).sort();
  await client.next((frame) => {
    const cursor = typeof frame.cursor === 'string' ? frame.cursor : '';
    const got = cursor
      .slice(cursor.indexOf(';') + 1)
      .split(',')
      .sort();
    return JSON.stringify(got) === JSON.stringify(expected);
  }, 60_000);
}

describe('the pipeline across a broker crash', () => {
  it('loses no quake and duplicates no record, alert, window count or WebSocket frame when the broker is killed and restarted mid-stream', async () => {
    const path = '/summary/4.5_week.geojson';
    const logPath = join(mkdtempSync(join(tmpdir(), 'sismos-restart-')), 'alertas.log');
    await Promise.all(TOPICS.map((topic) => createTopic(topic, 3, broker.brokers)));
    usgs.set(path, { body: feedText(WEEK_FEED, features.slice(0, 40)) });
    // Revisions into sismos (REVISIONS_TOPIC=sismos): every version on one topic, which this test
    // counts; revisions.test.ts and cluster-services.test.ts run the default separate topic.
    const common = {
      KAFKA_BROKERS: broker.brokers,
      KAFKA_SESSION_TIMEOUT_S: '6',
      REVISIONS_TOPIC: 'sismos',
    };
    // The bridge and two dashboards first, so they see every record as it comes: one stays
    // connected throughout, the other leaves while the broker is down and resumes by cursor.
    const port = await freePort();
    const bridge = startCommand('bridge/server.ts', { ...common, BRIDGE_PORT: String(port) });
    await bridge.waitFor(/Sismos bridge \(Kafka/);
    const ws = `ws://127.0.0.1:${port}/ws`;
    const [steady, leaving] = await Promise.all([connectBridge(ws), connectBridge(ws)]);
    const [start] = await Promise.all([
      steady.next((f) => f.type === 'snapshot'),
      leaving.next((f) => f.type === 'snapshot'),
    ]);
    const producer = startCommand('bridge/productor_sismos.ts', {
      ...common,
      USGS_FEED_URL: usgs.url(path),
      POLL_INTERVAL_S: '0.3',
      FETCH_TIMEOUT_S: '2',
      RETRY_FIRST_S: '0.2',
      RETRY_MAX_S: '1',
    });
    const consumer = startCommand('bridge/consumidor_alertas.ts', {
      ...common,
      ALERTAS_LOG: logPath,
    });
    // The feed lists the newest quake first: a lateness of 8 days keeps every one of the week's.
    const stats = startCommand('bridge/estadisticas_sismos.ts', {
      ...common,
      STATS_LATENESS_MINUTES: String(8 * 24 * 60),
    });

    await producer.waitFor(/^poll \d+: 40 new, 0 revised, 0 unchanged, 0 rejected/m);
    await consumer.waitFor(/ALERTA SISMICA/);
    await stats.waitFor(/^Batch \d+: /m);
    await leaving.next((f) => f.type === 'alert');
    await broker.crash();
    await leaving.close();
    const leftAt = leaving.lastCursor() as string;

    // While the broker is down USGS publishes 31 more quakes and revises 3.
    const revisions = [0, 1, 2].map((i) => revised(features[i], features[i].properties.mag + 0.3));
    usgs.set(path, {
      body: feedText(WEEK_FEED, [...revisions, ...features.slice(3)]),
    });
    await producer.waitForStderr(/^cannot publish 34 quakes to sismos: .*; retrying in/m);
    await broker.start();
    const resumed = await connectBridge(`${ws}?cursor=${encodeURIComponent(leftAt)}`);

    await producer.waitFor(/^poll \d+: 0 new, 0 revised, 71 unchanged, 0 rejected/m, 60_000);
    // Done when every quake is alerted and every revision was seen (as an update of its alert).
    const updates = (out: string) =>
      new Set(
        [...out.matchAll(/^update (\S+) .*: already alerted, no new alert$/gm)].map((m) => m[1]),
      );
    await consumer.waitFor(
      (out) => loggedIds(logPath).length >= features.length && updates(out).size >= 3,
      60_000,
    );
    await waitUntilHandled(stats, 'sismos', broker.brokers, 60_000);
    await Promise.all([stopCommand(producer), stopCommand(consumer), stopCommand(stats)]);
    // Every record of the three topics reaches both dashboards.
    await Promise.all([
      waitUntilAtEnd(steady, broker.brokers),
      waitUntilAtEnd(resumed, broker.brokers),
    ]);
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    await Promise.all([steady.close(), resumed.close()]);
    await stopCommand(bridge);

    // Every quake version is on `sismos` exactly once: 71 quakes, 3 of them twice (a revision).
    const records = await readAll('sismos', broker.brokers);
    const versions = records.map((r) => `${r.key} ${JSON.parse(r.value ?? '').actualizado}`);
    expect(new Set(versions).size).toBe(versions.length);
    expect(records).toHaveLength(74);
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(features.map((f) => f.id)));
    // Every quake (all M4.5+) is alerted exactly once in both sinks; the revisions were updates.
    const ids = features.map((f) => f.id).sort();
    expect(loggedIds(logPath).sort()).toEqual(ids);
    const alerts = await readAll('sismos-alertas', broker.brokers);
    expect(alerts.map((r) => r.key).sort()).toEqual(ids);
    expect(updates(consumer.stdout())).toEqual(new Set(revisions.map((f) => f.id)));
    // Every quake counts once in its window, with its newest version: the last feed's.
    const newest = parseFeedText(feedText(WEEK_FEED, [...revisions, ...features.slice(3)])).quakes;
    const windows = await readAll('sismos-stats', broker.brokers);
    expectWindows(lastByKey(windows), windowsOf(newest, tumblingWindows()));

    // Each dashboard got every record once, in order, without a gap: the one that stayed
    // connected through the crash, and the one that resumed by cursor (no new snapshot).
    expect(cursorBreaks(start.cursor, steady.frames)).toEqual([]);
    const resumedFrames = [...leaving.frames, ...resumed.frames];
    expect(resumed.frames.filter((f) => f.type === 'snapshot')).toEqual([]);
    expect(cursorBreaks(start.cursor, resumedFrames)).toEqual([]);
    const version = (f: Frame) =>
      `${f.type} ${f.quake?.id ?? f.window.inicio} ${f.quake?.actualizado ?? ''}`;
    const stored = [
      ...versions.map((v) => `quake ${v}`),
      ...alerts.map((r) => `alert ${r.key} ${JSON.parse(r.value ?? '').actualizado}`),
      ...windows.map((r) => `stats ${r.key} `),
    ].sort();
    expect(dataFrames(steady.frames).map(version).sort()).toEqual(stored);
    expect(dataFrames(resumedFrames).map(version).sort()).toEqual(stored);
    // The bridge recovered by itself: consuming again, nothing left to relay.
    expect(health.source).toMatchObject({ state: 'consuming' });
    expect(Object.values(health.source.lag).every((lag) => lag === '0')).toBe(true);
    for (const line of bridge.stdout().match(/^bridge: .*$/gm) ?? []) {
      expect(line).toMatch(/^bridge: Kafka consumer failed \(.+\); reconnecting$/);
    }
    expect(bridge.stderr()).toBe('');

    // While the broker was away each service printed one line per failed try, naming the broker.
    // Mostly "cannot reach"; right after the restart, a broker still electing leaders answers with errors.
    const unreachable = `(cannot reach Kafka at ${broker.brokers} \\(.*\\); start a broker .* or set KAFKA_BROKERS|Kafka at ${broker.brokers} failed: .+)`;
    for (const line of producer.stderr().trim().split('\n')) {
      expect(line).toMatch(
        new RegExp(
          `^(cannot publish 34 quakes to sismos: ${unreachable}; they are sent at the next try|cannot read back sismos to learn what is already published: ${unreachable}); retrying in \\d+ (ms|s)$`,
        ),
      );
    }
    for (const line of stats
      .stderr()
      .trim()
      .split('\n')
      .filter((l) => l !== '')) {
      expect(line).toMatch(
        new RegExp(
          `^(lost the consumer group: ${unreachable}; rejoining|cannot (read the committed offsets of group estadisticas-sismos|publish \\d+ windows? to sismos-stats|commit the offsets of sismos for group estadisticas-sismos): ${unreachable}; (retrying|counting again from the last commit))$`,
        ),
      );
    }
    for (const line of consumer.stderr().trim().split('\n')) {
      expect(line).toMatch(
        new RegExp(
          `^(lost the consumer group: ${unreachable}; rejoining|cannot (publish the alert for \\S+ to sismos-alertas|read back sismos-alertas to learn which alerts it holds): ${unreachable}; retrying(, offset not committed)?)$`,
        ),
      );
    }
    // A crash, a restart and five services: about 40 s alone, longer on a loaded machine.
  }, 180_000);
});
