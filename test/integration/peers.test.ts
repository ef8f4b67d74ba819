import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedText } from '../../src/core/feed.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, fixtureJson, fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, produceQuakes, readAll, unique } from '../helpers/kafka.ts';
import {
  consumedLines,
  pythonAlerts,
  runPeer,
  runPythonProductorSismos,
  startPeer,
  startPythonProductorSismos,
} from '../helpers/peers.ts';
import { runCommand, startCommand } from '../helpers/process.ts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const DELIVERY = /^delivered (\S+) \[(\d)\] @ (\d+) {2}key=(\d+)$/gm;

/** Partition by key, from the delivery lines a producer printed. */
const delivered = (stdout: string) =>
  new Map([...stdout.matchAll(DELIVERY)].map((m) => [m[4] as string, Number(m[2])]));

/** Runs our consumidor-simple on `topic` until it printed `count` records, then stops it with SIGINT. */
async function ourConsumer(topic: string, count: number) {
  const consumer = startCommand('bridge/consumidor_simple.ts', {
    KAFKA_BROKERS: brokers(),
    MENSAJES_TOPIC: topic,
    CONSUMER_GROUP: unique('grupo'),
  });
  await consumer.waitFor((out) => consumedLines(out).length >= count);
  consumer.child.kill('SIGINT');
  expect(await consumer.exited).toBe(0);
  return consumedLines(consumer.stdout());
}

describe('the course scripts in Python (confluent-kafka) with ours (kafkajs)', () => {
  it("a Python productor_simple's messages reach our consumidor-simple once each, on librdkafka's partitions by default and on kafkajs's with murmur2_random", async () => {
    const [python, pythonMurmur, ours] = [unique('mt-py'), unique('mt-py-murmur'), unique('mt-ts')];
    await Promise.all([python, pythonMurmur, ours].map((topic) => createTopic(topic)));

    const sent = await runPeer('productor_simple.py', {
      KAFKA_BROKERS: brokers(),
      MENSAJES_TOPIC: python,
    });
    expect(sent.code, sent.stderr).toBe(0);
    const lines = await ourConsumer(python, 10);
    expect(lines.map((l) => l.key).sort()).toEqual([...KEYS].sort());
    for (const line of lines) {
      expect(JSON.parse(line.value)).toMatchObject({ id: Number(line.key) });
      // librdkafka's default (consistent_random) puts a key on CRC32(key) mod partitions.
      expect(line.partition, `key ${line.key}`).toBe(crc32(line.key) % 3);
      expect(delivered(sent.stdout).get(line.key)).toBe(line.partition);
    }

    const murmur = await runPeer(
      'productor_simple.py',
      { KAFKA_BROKERS: brokers(), MENSAJES_TOPIC: pythonMurmur },
      ['--partitioner', 'murmur2_random'],
    );
    expect(murmur.code, murmur.stderr).toBe(0);
    const kafkajs = await runCommand('bridge/productor_simple.ts', {
      KAFKA_BROKERS: brokers(),
      MENSAJES_TOPIC: ours,
    });
    expect(kafkajs.code, kafkajs.stderr).toBe(0);
    expect(delivered(murmur.stdout)).toEqual(delivered(kafkajs.stdout));
    // The default differs from Java's and kafkajs's partitioner for some of these keys.
    expect(delivered(sent.stdout)).not.toEqual(delivered(kafkajs.stdout));
    expect((await ourConsumer(pythonMurmur, 10)).map((l) => [l.key, l.partition])).toEqual(
      expect.arrayContaining([...delivered(kafkajs.stdout)]),
    );
  });

  it('our productor-simple reaches a Python consumidor_simple: every message once, where the delivery reports say, and Ctrl+C closes it', async () => {
    const topic = unique('mensajes-test');
    await createTopic(topic);
    const sent = await runCommand('bridge/productor_simple.ts', {
      KAFKA_BROKERS: brokers(),
      MENSAJES_TOPIC: topic,
    });
    expect(sent.code, sent.stderr).toBe(0);

    const consumer = startPeer('consumidor_simple.py', {
      KAFKA_BROKERS: brokers(),
      MENSAJES_TOPIC: topic,
      CONSUMER_GROUP: unique('grupo-py'),
    });
    await consumer.waitFor((out) => consumedLines(out).length >= 10);
    consumer.child.kill('SIGINT');
    expect(await consumer.exited).toBe(0);
    expect(consumer.stdout()).toMatch(/^consumidor cerrado$/m);

    const lines = consumedLines(consumer.stdout());
    expect(lines.map((l) => l.key).sort()).toEqual([...KEYS].sort());
    const reports = new Map(
      [...sent.stdout.matchAll(DELIVERY)].map((m) => [m[4], `${m[2]}@${m[3]}`]),
    );
    for (const line of lines) {
      expect(`${line.partition}@${line.offset}`).toBe(reports.get(line.key));
      expect(JSON.parse(line.value)).toMatchObject({
        id: Number(line.key),
        texto: `Mensaje número ${line.key}`,
      });
    }
  });
});

describe('the Python consumidor_alertas', () => {
  it("boxes every record of magnitude 4.5 or more it reads, in the course's format, on the console and in alertas.log", async () => {
    const quakes = parseFeedText(fixtureText('2016-11-03_all_day.geojson')).quakes;
    const strong = quakes.filter((q) => q.mag !== null && q.mag >= 4.5);
    expect(strong.length).toBeGreaterThan(3);
    const topic = unique('sismos');
    await createTopic(topic);
    await produceQuakes(topic, quakes);
    const log = join(mkdtempSync(join(tmpdir(), 'sismos-peer-')), 'alertas.log');

    const consumer = startPeer('consumidor_alertas.py', {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: topic,
      CONSUMER_GROUP: unique('alertas-py'),
      ALERTAS_LOG: log,
    });
    await consumer.waitFor((out) => pythonAlerts(out).length >= strong.length);
    // The script prints each box, then appends it to alertas.log: Ctrl+C between the two would
    // leave the last one out of the file, so the file is waited for too.
    const logged = () => (existsSync(log) ? pythonAlerts(readFileSync(log, 'utf8')) : []);
    while (logged().length < strong.length) await new Promise((resolve) => setTimeout(resolve, 50));
    consumer.child.kill('SIGINT');
    expect(await consumer.exited).toBe(0);

    const expected = strong.map((q) => ({
      magnitud: q.mag,
      // The box is 40 characters wide: " Lugar: " and the first 32 of the place.
      lugar: (q.place ?? '').slice(0, 32).trimEnd(),
      hora: new Date(q.time).toISOString().slice(0, 19).replace('T', ' '),
    }));
    const sortKey = (a: { hora: string; lugar: string }) => `${a.hora} ${a.lugar}`;
    const byTime = (list: { hora: string; lugar: string }[]) =>
      [...list].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    expect(byTime(pythonAlerts(readFileSync(log, 'utf8')))).toEqual(byTime(expected));
    expect(pythonAlerts(consumer.stdout())).toEqual(pythonAlerts(readFileSync(log, 'utf8')));
  });
});

describe('the Python productor_sismos against the fake USGS (test/helpers/peers.ts)', () => {
  const FEED = '2018-06-12_4.5_week.geojson';
  // biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON
  const features: any[] = fixtureJson(FEED).features;
  let usgs: FakeUsgs;
  beforeAll(async () => {
    usgs = await startFakeUsgs();
  });
  afterAll(() => usgs?.close());

  it('publishes every quake once, keyed by id, with tsunami and time in the variant asked for', async () => {
    const path = `/${unique('feed')}.geojson`;
    usgs.set(path, { body: feedText(FEED, features) });
    const byId = new Map(features.map((f) => [f.id as string, f]));
    for (const [tsunami, time, check] of [
      [
        'bool',
        'iso',
        (v: Record<string, unknown>, f: (typeof features)[0]) => {
          expect(v.tsunami).toBe(f.properties.tsunami === 1);
          expect(v.timestamp).toBe(new Date(f.properties.time).toISOString());
        },
      ],
      [
        'usgs',
        'naive',
        (v: Record<string, unknown>, f: (typeof features)[0]) => {
          expect(v.tsunami).toBe(f.properties.tsunami);
          expect(v.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
          expect(Date.parse(`${v.timestamp}Z`)).toBe(f.properties.time);
        },
      ],
      [
        'omit',
        'epoch-ms',
        (v: Record<string, unknown>, f: (typeof features)[0]) => {
          expect(v).not.toHaveProperty('tsunami');
          expect(v.timestamp).toBe(f.properties.time);
        },
      ],
    ] as const) {
      const topic = unique('sismos');
      await createTopic(topic);
      const run = await runPythonProductorSismos({
        feedUrl: usgs.url(path),
        brokers: brokers(),
        topic,
        tsunami,
        time,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`${features.length} sismos nuevos`));
      const records = await readAll(topic);
      expect(records.map((r) => r.key).sort()).toEqual([...byId.keys()].sort());
      for (const record of records) {
        const value = JSON.parse(record.value ?? '');
        const feature = byId.get(record.key ?? '');
        expect(value).toMatchObject({ id: record.key, magnitud: feature.properties.mag });
        check(value, feature);
      }
    }
  });

  it('publishes only the new quakes of each poll, and with murmur2_random on the partitions kafkajs would choose', async () => {
    const path = `/${unique('feed')}.geojson`;
    usgs.set(path, { body: feedText(FEED, features.slice(0, 20)) });
    const topic = unique('sismos');
    await createTopic(topic);
    const producer = startPythonProductorSismos(
      { feedUrl: usgs.url(path), brokers: brokers(), topic, partitioner: 'murmur2_random' },
      0.2,
    );
    await producer.waitFor(/ 20 sismos nuevos, 20 en total$/m);
    usgs.set(path, { body: feedText(FEED, features.slice(0, 30)) });
    await producer.waitFor(/ 10 sismos nuevos, 30 en total$/m);
    await producer.waitFor(/ 0 sismos nuevos, 30 en total$/m);
    producer.child.kill('SIGINT');
    expect(await producer.exited).toBe(0);

    const records = await readAll(topic);
    expect(records.map((r) => r.key).sort()).toEqual(
      features
        .slice(0, 30)
        .map((f) => f.id)
        .sort(),
    );
    // kafkajs's default partitioner (Java's murmur2) sends each key to the same partition.
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
      offlineReplicas: [],
    }));
    for (const record of records) {
      expect(
        partitioner({ topic, partitionMetadata, message: { key: record.key, value: null } }),
      ).toBe(record.partition);
    }
  });
});
