import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalBroker, startBroker } from '../../scripts/kafka-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, fixtureJson, revised } from '../helpers/fixtures.ts';
import { createTopic, readAll } from '../helpers/kafka.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { expectWindows, lastByKey, waitUntilHandled } from '../helpers/stats.ts';

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

function loggedIds(path: string): string[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.startsWith('# alerta '))
    .map((line) => JSON.parse(line.slice('# alerta '.length)).id);
}

async function stop(command: Command) {
  command.child.kill('SIGTERM');
  expect(await command.exited).toBe(0);
}

describe('the pipeline across a broker crash', () => {
  it('loses no quake and duplicates no record, alert or window count when the broker is killed and restarted mid-stream', async () => {
    const path = '/summary/4.5_week.geojson';
    const logPath = join(mkdtempSync(join(tmpdir(), 'sismos-restart-')), 'alertas.log');
    await Promise.all(
      ['sismos', 'sismos-alertas', 'sismos-stats'].map((topic) =>
        createTopic(topic, 3, broker.brokers),
      ),
    );
    usgs.set(path, { body: feedText(WEEK_FEED, features.slice(0, 40)) });
    const common = { KAFKA_BROKERS: broker.brokers, KAFKA_SESSION_TIMEOUT_S: '6' };
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
    await broker.crash();

    // While the broker is down USGS publishes 31 more quakes and revises 3.
    const revisions = [0, 1, 2].map((i) => revised(features[i], features[i].properties.mag + 0.3));
    usgs.set(path, {
      body: feedText(WEEK_FEED, [...revisions, ...features.slice(3)]),
    });
    await producer.waitForStderr(/^cannot publish 34 quakes to sismos: .*; retrying in/m);
    await broker.start();

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
    await Promise.all([stop(producer), stop(consumer), stop(stats)]);

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
    expectWindows(
      lastByKey(await readAll('sismos-stats', broker.brokers)),
      windowsOf(newest, tumblingWindows()),
    );

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
  });
});
