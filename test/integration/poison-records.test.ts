/**
 * Poison and oversized records on every topic a service reads: one of each kind (not UTF-8, 1 MB,
 * wrong schema, no value, not JSON, not an object) between two valid records. Each reader skips
 * each poison record, counts it in a summary of what it rejected (a count per reason, the first
 * record of each named), and goes on to the valid record after it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';
import { encodeStatsMessage } from '../../src/core/stats-message.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import {
  brokers,
  committedOffsets,
  createTopic,
  produce,
  readAll,
  unique,
} from '../helpers/kafka.ts';
import { LARGE_RECORDS, type Poison, poisonRecords } from '../helpers/poison.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { makeQuake } from '../helpers/quake.ts';
import { rejectedByReason, rejectedReasons, rejectedTotals } from '../helpers/rejects.ts';
import { expectWindows, lastByKey, waitUntilHandled } from '../helpers/stats.ts';
import { connectBridge } from '../helpers/ws-client.ts';

const POISON = poisonRecords('quake');
const NOW = Date.now();
const before = makeQuake({ id: 'before', mag: 5, time: NOW - 600_000, updated: NOW - 600_000 });
const after = makeQuake({ id: 'after', mag: 6, time: NOW - 60_000, updated: NOW - 60_000 });

/** A one-partition topic that takes 1 MB records, holding `records`. */
async function topicWith(prefix: string, records: Message[]): Promise<string> {
  const topic = unique(prefix);
  await createTopic(topic, 1, brokers(), LARGE_RECORDS);
  if (records.length > 0) await produce(topic, records);
  return topic;
}

const message = (quake: Quake): Message => ({ key: quake.id, value: encodeMessage(quake) });
const records = (poison: readonly Poison[]): Message[] =>
  poison.map(({ key, value }) => ({ key, value }));

async function stop(command: Command): Promise<void> {
  command.child.kill('SIGTERM');
  expect(await command.exited).toBe(0);
}

/** The lines of `text` that are not empty. */
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/**
 * `output` summarises the `poison` records: each counted once, under its reason (not JSON and not
 * a JSON object are one reason, with the first of them as its example).
 */
function expectSummarised(output: string, poison: readonly Poison[]): void {
  const reasons = rejectedReasons(output);
  const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
  expect(sum(reasons.map((r) => r.count))).toBe(poison.length);
  expect(sum(rejectedTotals(output))).toBe(poison.length);
  for (const { key, reason } of poison) {
    if (key === 'not-object') continue;
    expect(
      reasons.some((r) => r.reason === reason),
      key,
    ).toBe(true);
  }
}

describe('poison and oversized records', () => {
  it('consumidor_alertas skips each, summarises them, copies it to the dead-letter topic, and alerts the next valid quake', async () => {
    const topic = await topicWith('sismos', [message(before), ...records(POISON), message(after)]);
    // The alerts topic it reads back at start-up holds poison too.
    const alerts = await topicWith('alertas', records(POISON));
    const dlq = unique('dlq');
    await createTopic(dlq, 1);
    const logPath = join(mkdtempSync(join(tmpdir(), 'sismos-poison-')), 'alertas.log');
    const group = unique('alertas');
    const consumer = startCommand('bridge/consumidor_alertas.ts', {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: topic,
      ALERTAS_TOPIC: alerts,
      DLQ_TOPIC: dlq,
      ALERTS_GROUP: group,
      ALERTAS_LOG: logPath,
      KAFKA_SESSION_TIMEOUT_S: '6',
    });
    await consumer.waitFor(/^ {2}after M6\.0 → /m, 45_000);
    await stop(consumer);

    expectSummarised(consumer.stderr(), POISON);
    // The first is reported at once, naming where it was; the rest are summed up by reason.
    expect(lines(consumer.stderr()).slice(0, 2)).toEqual([
      `rejected 1 record of ${topic}, copied to ${dlq}; send messages as README.md's message format says:`,
      `  1 × ${POISON[0]?.reason} (first: ${topic} [0] @ 1 key=not-utf8)`,
    ]);
    expect(rejectedReasons(consumer.stderr()).map((r) => r.first)).toContain(
      `${topic} [0] @ 2 key=one-mb, copied to ${dlq} without its value, which is larger than the topic takes`,
    );
    const logged = readFileSync(logPath, 'utf8').match(/^# alerta \{"id":"(\w+)"/gm);
    expect(logged).toEqual(['# alerta {"id":"before"', '# alerta {"id":"after"']);
    expect((await readAll(alerts)).map((r) => r.key)).toEqual([
      ...POISON.map((p) => p.key),
      'before',
      'after',
    ]);
    expect((await committedOffsets(group, topic)).get(0)).toBe(POISON.length + 2);
    const dead = await readAll(dlq);
    expect(dead.map((r) => [r.key, r.headers['sismos-source']])).toEqual(
      POISON.map((p, i) => [p.key, `${topic}/0@${i + 1}`]),
    );
    expect(dead.map((r) => r.headers['sismos-error']?.split(':')[0])).toEqual(
      POISON.map((p) => p.code),
    );
    // Each copy holds the record as it was; the 1 MB value is more than the topic takes, so its
    // copy says how large it was instead.
    dead.forEach((record, i) => {
      const { key, value } = POISON[i] as Poison;
      const dropped = key === 'one-mb' ? `${(value as string).length} bytes` : undefined;
      expect(record.headers['sismos-value-dropped'], key).toBe(dropped);
      expect(record.bytes, key).toEqual(
        value === null || dropped !== undefined ? null : Buffer.from(value),
      );
    });
  }, 120_000);

  it('estadisticas_sismos skips each, summarises them, and counts the valid quakes around them', async () => {
    const topic = await topicWith('sismos', [message(before), ...records(POISON), message(after)]);
    const stats = unique('stats');
    await createTopic(stats, 1);
    const service = startCommand('bridge/estadisticas_sismos.ts', {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: topic,
      STATS_TOPIC: stats,
      STATS_GROUP: unique('estadisticas'),
      KAFKA_SESSION_TIMEOUT_S: '6',
    });
    await waitUntilHandled(service, topic, brokers(), 60_000);
    await stop(service);

    expectSummarised(service.stderr(), POISON);
    expect(lines(service.stderr())[0]).toBe(
      `rejected ${POISON.length} records of ${topic}, left out; send messages as README.md's message format says:`,
    );
    expectWindows(lastByKey(await readAll(stats)), windowsOf([before, after], tumblingWindows()));
  }, 120_000);

  it('the bridge skips each on every topic it relays, summarises them, and relays the valid record after it', async () => {
    const STATS_POISON = poisonRecords('stats');
    const topics = {
      SISMOS_TOPIC: await topicWith('sismos', []),
      ALERTAS_TOPIC: await topicWith('alertas', []),
      STATS_TOPIC: await topicWith('stats', []),
    };
    const port = await freePort();
    const bridge = startCommand('bridge/server.ts', {
      ...topics,
      KAFKA_BROKERS: brokers(),
      BRIDGE_PORT: String(port),
      BRIDGE_GROUP: unique('bridge'),
    });
    await bridge.waitFor(/Sismos bridge \(Kafka/);
    const client = await connectBridge(`ws://127.0.0.1:${port}/ws`);
    await client.next((f) => f.type === 'snapshot');

    const [window] = windowsOf([after], tumblingWindows());
    await Promise.all([
      produce(topics.SISMOS_TOPIC, [...records(POISON), message(after)]),
      produce(topics.ALERTAS_TOPIC, [...records(POISON), message(after)]),
      produce(topics.STATS_TOPIC, [
        ...records(STATS_POISON),
        { key: 'window', value: encodeStatsMessage(window as NonNullable<typeof window>) },
      ]),
    ]);
    const quake = await client.next((f) => f.type === 'quake', 60_000);
    const alert = await client.next((f) => f.type === 'alert', 60_000);
    const stats = await client.next((f) => f.type === 'stats', 60_000);
    await client.close();
    await stop(bridge);

    // Only the valid records reached the client, each at the cursor just past the poison.
    // (The bridge may also say it joined its group: a `source` frame.)
    expect(
      client.frames
        .map((f) => f.type)
        .filter((type) => type !== 'source')
        .sort(),
    ).toEqual(['alert', 'hello', 'quake', 'snapshot', 'stats'].sort());
    expect(quake.quake.id).toBe('after');
    expect(alert.quake.id).toBe('after');
    expect(stats.window.cantidad).toBe(1);
    expect(quake.cursor).toContain(`${topics.SISMOS_TOPIC}:0=${POISON.length + 1}`);
    const reasons = rejectedReasons(bridge.stdout());
    expect(reasons.reduce((n, r) => n + r.count, 0)).toBe(3 * POISON.length);
    expect(reasons.map((r) => r.reason)).toContain(
      'field "magnitud" must be a magnitude from -2 to 10.5 or null, got string "5.2"',
    );
    expect(reasons.some((r) => r.reason.startsWith('field "inicio" must be'))).toBe(true);
    // A reason the quake and alert topics share names whichever topic the bridge read first.
    const quakeTopics = [topics.SISMOS_TOPIC, topics.ALERTAS_TOPIC];
    expect(reasons.some((r) => quakeTopics.some((t) => r.first === `${t}:0 offset 0`))).toBe(true);
  }, 120_000);

  it('a thousand bad records make a few summary lines, not a thousand, in consumidor_alertas and estadisticas_sismos', async () => {
    // A producer writing tsunami as "no": every record is refused for the same reason.
    const bad = Array.from({ length: 1000 }, (_, i) => ({
      key: `bad-${i}`,
      value: JSON.stringify({ ...JSON.parse(message(before).value as string), tsunami: 'no' }),
    }));
    const topic = await topicWith('sismos', [...bad, message(after)]);
    const dlq = unique('dlq');
    const stats = unique('stats');
    await Promise.all([createTopic(dlq, 1), createTopic(stats, 1)]);
    const common = { KAFKA_BROKERS: brokers(), SISMOS_TOPIC: topic, KAFKA_SESSION_TIMEOUT_S: '6' };
    const consumer = startCommand('bridge/consumidor_alertas.ts', {
      ...common,
      ALERTAS_TOPIC: unique('alertas'),
      DLQ_TOPIC: dlq,
      ALERTS_GROUP: unique('alertas'),
      ALERTAS_LOG: join(mkdtempSync(join(tmpdir(), 'sismos-poison-')), 'alertas.log'),
    });
    const service = startCommand('bridge/estadisticas_sismos.ts', {
      ...common,
      STATS_TOPIC: stats,
      STATS_GROUP: unique('estadisticas'),
    });
    await consumer.waitFor(/^ {2}after M6\.0 → /m, 110_000);
    await waitUntilHandled(service, topic, brokers(), 60_000);
    await Promise.all([stop(consumer), stop(service)]);

    const reason = 'field "tsunami" must be true/false, 0/1, or null, got string "no"';
    for (const output of [consumer.stderr(), service.stderr()]) {
      expect(lines(output).length).toBeLessThanOrEqual(6);
      expect(rejectedTotals(output).reduce((a, b) => a + b, 0)).toBe(1000);
      expect(rejectedByReason(output)).toEqual(new Map([[reason, 1000]]));
      expect(rejectedReasons(output)[0]?.first).toBe(`${topic} [0] @ 0 key=bad-0`);
    }
    expect(await readAll(dlq)).toHaveLength(1000);
  }, 120_000);

  describe('productor_sismos reading back what it published', () => {
    let usgs: FakeUsgs;
    beforeAll(async () => {
      usgs = await startFakeUsgs();
    });
    afterAll(() => usgs.close());

    it('ignores the poison records among them, and publishes only what the topic lacks', async () => {
      const feed = parseFeedText(fixtureText('2017-12-03_all_hour.geojson')).quakes;
      const published = feed.slice(0, 2).map(message);
      const topic = await topicWith('sismos', [...published, ...records(POISON)]);
      const producer = startCommand('bridge/productor_sismos.ts', {
        KAFKA_BROKERS: brokers(),
        SISMOS_TOPIC: topic,
        USGS_FEED_URL: usgs.url('/fixtures/2017-12-03_all_hour.geojson'),
        POLL_INTERVAL_S: '0.2',
      });
      await producer.waitFor(/^poll 1: /m);
      await stop(producer);
      expect(producer.stdout()).toMatch(
        new RegExp(
          `^read back ${topic} from the last .+: ${POISON.length + 2} records, 2 quakes already published, ${POISON.length} unreadable records ignored$`,
          'm',
        ),
      );
      expect(producer.stdout()).toMatch(/^poll 1: 6 new, 0 revised, 2 unchanged, 0 rejected;/m);
      expect(producer.stderr()).toBe('');
    }, 120_000);
  });
});
