/**
 * The quake message in Avro with a real schema registry (Apicurio Registry from Maven Central,
 * started once for this file): the registry enforces BACKWARD compatibility, productor_sismos
 * --format avro writes the registry's wire format, our consumers read it, poison is dead-lettered,
 * and the course's Python Avro example (confluent-kafka, fastavro) reads and writes the same records.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError, SchemaRegistry } from '../../bridge/lib/schema-registry.ts';
import { freePort } from '../../scripts/kafka-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage, type SismoMessage, toMessage } from '../../src/core/message.ts';
import { avroSchema } from '../../src/core/message-schema.ts';
import type { Quake } from '../../src/core/quake.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { frameRecord } from '../../src/core/wire-format.ts';
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
import { type Command, startCommand, startProgram } from '../helpers/process.ts';
import { MESSAGE_FIELDS, makeQuake } from '../helpers/quake.ts';
import { avroPython, runAvroPeer, testRegistry } from '../helpers/registry.ts';
import { rejectedReasons } from '../helpers/rejects.ts';
import { expectWindows, lastByKey, waitUntilHandled } from '../helpers/stats.ts';
import { connectBridge } from '../helpers/ws-client.ts';

const HOUR_FEED = '2017-12-03_all_hour.geojson';
const v1 = JSON.stringify(avroSchema(1));
const v2 = JSON.stringify(avroSchema(2));
const v2Type = avro.Type.forSchema(avroSchema(2) as avro.Schema);

let registry: { url: string; stop(): Promise<void> };
let usgs: FakeUsgs;
beforeAll(async () => {
  // The venv is installed once into the cache; the registry starts in a few seconds.
  avroPython();
  [registry, usgs] = await Promise.all([testRegistry(), startFakeUsgs()]);
}, 300_000);
afterAll(async () => {
  await registry?.stop();
  await usgs?.close();
});

/** `schema` with its field `name` changed by `change`. */
function changed(schema: string, name: string, change: (field: object) => object | null): string {
  const doc = JSON.parse(schema);
  doc.fields = doc.fields
    .map((field: { name: string }) => (field.name === name ? change(field) : field))
    .filter((field: object | null) => field !== null);
  return JSON.stringify(doc);
}

async function stop(command: Command): Promise<void> {
  command.child.kill('SIGTERM');
  expect(await command.exited).toBe(0);
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** The eight fields of challenge 4 of `quake`'s message: what the course's producer writes. */
function courseMessage(quake: Quake): Partial<SismoMessage> {
  const message = toMessage(quake);
  return Object.fromEntries(
    MESSAGE_FIELDS.slice(0, 8).map((name) => [name, message[name as keyof SismoMessage]]),
  );
}

describe('the schema registry', () => {
  it('accepts version 2 after version 1 on a BACKWARD subject, and refuses breaking changes in one line', async () => {
    const client = new SchemaRegistry(registry.url);
    const subject = `${unique('contract')}-value`;
    const id1 = await client.register(subject, v1);
    const id2 = await client.register(subject, v2);
    expect(id2).not.toBe(id1);
    expect(await client.schema(id1)).toBe(v1);
    expect(await client.register(subject, v2)).toBe(id2);

    const retyped = changed(v2, 'magnitud', (field) => ({ ...field, type: 'string' }));
    const required = changed(v2, 'url', (field) => ({
      ...field,
      type: 'string',
      default: undefined,
    }));
    for (const breaking of [retyped, required]) {
      const error = await client.register(subject, breaking).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).code).toBe('REGISTRY_INCOMPATIBLE');
      expect((error as RegistryError).retriable).toBe(false);
      expect((error as RegistryError).message).toMatch(
        new RegExp(
          `^schema registry at ${registry.url} refuses the new schema for subject ${subject}: it is not BACKWARD compatible with the registered versions \\(Incompatible artifact: [^\\n]+\\); give a new field a default`,
        ),
      );
    }
    const config = await fetch(`${registry.url}/config/${subject}`).then((r) => r.json());
    expect(config).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect(await client.schema(999_999)).toBeNull();
  });
});

describe('productor_sismos --format avro', () => {
  async function setup() {
    const topic = unique('sismos-avro');
    const path = `/${unique('feed')}/all_hour.geojson`;
    usgs.set(path, { body: fixtureText(HOUR_FEED) });
    await createTopic(topic);
    const env = {
      KAFKA_BROKERS: brokers(),
      SISMOS_AVRO_TOPIC: topic,
      SCHEMA_REGISTRY_URL: registry.url,
      USGS_FEED_URL: usgs.url(path),
      POLL_INTERVAL_S: '0.2',
      RETRY_FIRST_S: '0.1',
      RETRY_MAX_S: '0.4',
    };
    const start = (more: Record<string, string> = {}) =>
      startProgram(
        process.execPath,
        ['--import', 'tsx', 'bridge/productor_sismos.ts', '--format', 'avro'],
        { ...env, ...more },
      );
    return { topic, start };
  }

  it("writes the feed's quakes in the registry's wire format, read back at a restart and by the Python AvroDeserializer", async () => {
    const { topic, start } = await setup();
    const first = start();
    await first.waitFor(/^poll \d+: 8 new, 0 revised, 0 unchanged, 0 rejected/m, 45_000);
    expect(first.stdout()).toContain(
      `into topic ${topic} (Avro, schemas in ${registry.url}; revisions to ${topic} too)`,
    );
    await stop(first);
    const again = start();
    await again.waitFor(/^poll \d+: 0 new, 0 revised, 8 unchanged, 0 rejected/m, 45_000);
    expect(again.stdout()).toMatch(
      /^read back \S+ from the last .*: 8 records, 8 quakes already published$/m,
    );
    await stop(again);

    const latest = await fetch(`${registry.url}/subjects/${topic}-value/versions/latest`).then(
      (r) => r.json(),
    );
    expect(JSON.parse(latest.schema)).toEqual(avroSchema(2));
    const expected = new Map(
      parseFeedText(fixtureText(HOUR_FEED)).quakes.map((q) => [q.id, toMessage(q)]),
    );
    const records = await readAll(topic);
    expect(records.map((r) => r.key).sort()).toEqual([...expected.keys()].sort());
    for (const { key, bytes } of records) {
      const value = bytes as Buffer;
      expect([value[0], value.readUInt32BE(1)]).toEqual([0, latest.id]);
      expect(v2Type.fromBuffer(value.subarray(5))).toEqual(expected.get(key ?? ''));
    }

    const peer = await runAvroPeer(
      { KAFKA_BROKERS: brokers(), SISMOS_AVRO_TOPIC: topic, SCHEMA_REGISTRY_URL: registry.url },
      ['consume', '8'],
    );
    expect(peer.code, peer.stderr).toBe(0);
    const read = lines(peer.stdout).map((line) => JSON.parse(line));
    expect(new Map(read.map((m) => [m.id, m]))).toEqual(expected);
  });

  it('keeps trying while the registry is unreachable, in one line per try, and publishes nothing', async () => {
    const { topic, start } = await setup();
    const port = await freePort();
    const producer = start({ SCHEMA_REGISTRY_URL: `http://127.0.0.1:${port}/apis/ccompat/v7` });
    await producer.waitForStderr(/retrying in .*\n.*retrying in /, 45_000);
    producer.child.kill('SIGTERM');
    expect(await producer.exited).toBe(0);
    for (const line of lines(producer.stderr()))
      expect(line).toMatch(
        new RegExp(
          `^schema registry at http://127\\.0\\.0\\.1:${port}/apis/ccompat/v7 is unreachable \\(.*ECONNREFUSED.*\\); start it \\(npm run registry:local\\) or fix SCHEMA_REGISTRY_URL; retrying in \\d+ ms$`,
        ),
      );
    expect(await readAll(topic)).toEqual([]);
  });

  it('stops in one line when the registry refuses its schema as a breaking change', async () => {
    const { topic, start } = await setup();
    // Another team registered a magnitude as text: our double is not BACKWARD compatible with it.
    await new SchemaRegistry(registry.url).register(
      `${topic}-value`,
      changed(v1, 'magnitud', (field) => ({ ...field, type: 'string' })),
    );
    const producer = start();
    expect(await producer.exited).toBe(1);
    expect(lines(producer.stderr())).toEqual([
      expect.stringMatching(
        new RegExp(
          `^productor_sismos: schema registry at ${registry.url} refuses the new schema for subject ${topic}-value: it is not BACKWARD compatible with the registered versions \\(Incompatible artifact: .*reader union lacking writer type: STRING at /fields/1/type\\]\\); give a new field a default, keep the old fields' types, or publish to a new topic$`,
        ),
      ),
    ]);
    expect(await readAll(topic)).toEqual([]);
  });
});

/** Each poison record is in the rejection summary in `output`, first of its reason, at `where`. */
function expectRejected(
  output: string,
  poison: readonly { key: string; reason: RegExp }[],
  where: (index: number, key: string) => string,
): void {
  const reasons = rejectedReasons(output);
  expect(reasons.reduce((sum, r) => sum + r.count, 0)).toBe(poison.length);
  for (const [i, p] of poison.entries()) {
    expect(
      reasons.some((r) => p.reason.test(r.reason) && r.first === where(i, p.key)),
      `${p.key} in ${JSON.stringify(reasons)}`,
    ).toBe(true);
  }
}

describe('our consumers on an Avro topic', () => {
  const NOW = Date.now();
  const before = makeQuake({ id: 'before', mag: 5, time: NOW - 600_000, updated: NOW - 600_000 });
  const after = makeQuake({ id: 'after', mag: 6, time: NOW - 60_000, updated: NOW - 60_000 });
  let topic: string;
  let poison: { key: string; code: string; reason: RegExp }[];

  beforeAll(async () => {
    topic = unique('sismos-avro');
    await createTopic(topic, 1);
    // The Python peer registers version 1 and writes the course's eight fields.
    const file = join(mkdtempSync(join(tmpdir(), 'sismos-avro-')), 'mensajes.json');
    writeFileSync(file, JSON.stringify([courseMessage(before)]));
    const peer = await runAvroPeer(
      { KAFKA_BROKERS: brokers(), SISMOS_AVRO_TOPIC: topic, SCHEMA_REGISTRY_URL: registry.url },
      ['produce', file],
    );
    expect(peer.code, peer.stderr).toBe(0);
    // Then ours registers version 2 on the same subject, which BACKWARD accepts.
    const id = await new SchemaRegistry(registry.url).register(`${topic}-value`, v2);
    const body = v2Type.toBuffer(toMessage(after));
    const records: Message[] = [
      { key: 'unknown-id', value: Buffer.from(frameRecord(999_999, body)) },
      { key: 'truncated', value: Buffer.from(frameRecord(id, body.subarray(0, 20))) },
      { key: 'json', value: encodeMessage(after) },
      { key: 'after', value: Buffer.from(frameRecord(id, body)) },
    ];
    await produce(topic, records);
    poison = [
      {
        key: 'unknown-id',
        code: 'MESSAGE_UNKNOWN_SCHEMA',
        reason:
          /schema id 999999 is not in the schema registry at \S+: the record was written against another registry/,
      },
      {
        key: 'truncated',
        code: 'MESSAGE_BAD_AVRO',
        reason: new RegExp(
          `Avro body of 20 bytes does not decode with schema ${id} \\(truncated buffer\\)`,
        ),
      },
      {
        key: 'json',
        code: 'MESSAGE_NOT_AVRO',
        reason:
          /value is not in the schema registry's wire format \(magic byte 0, 4-byte schema id, Avro body\): a JSON message on an Avro topic \(string .*\); publish it with --format avro or to the JSON topic/,
      },
    ];
  }, 120_000);

  it("consumidor_alertas alerts the Python peer's quake and ours, and dead-letters the poison with its reason", async () => {
    const alerts = unique('alertas');
    const dlq = unique('dlq');
    await Promise.all([createTopic(alerts, 1), createTopic(dlq, 1)]);
    const logPath = join(mkdtempSync(join(tmpdir(), 'sismos-avro-')), 'alertas.log');
    const consumer = startCommand('bridge/consumidor_alertas.ts', {
      KAFKA_BROKERS: brokers(),
      MESSAGE_FORMAT: 'avro',
      SCHEMA_REGISTRY_URL: registry.url,
      SISMOS_AVRO_TOPIC: topic,
      ALERTAS_TOPIC: alerts,
      DLQ_TOPIC: dlq,
      ALERTS_GROUP: unique('alertas'),
      ALERTAS_LOG: logPath,
      KAFKA_SESSION_TIMEOUT_S: '6',
    });
    await consumer.waitFor(/^ {2}after M6\.0 → /m, 45_000);
    await stop(consumer);

    expectRejected(consumer.stderr(), poison, (i, key) => `${topic} [0] @ ${i + 1} key=${key}`);
    const logged = readFileSync(logPath, 'utf8').match(/^# alerta \{"id":"(\w+)"/gm);
    expect(logged).toEqual(['# alerta {"id":"before"', '# alerta {"id":"after"']);
    const dead = await readAll(dlq);
    expect(dead.map((r) => [r.key, r.headers['sismos-error']?.split(':')[0]])).toEqual(
      poison.map((p) => [p.key, p.code]),
    );
  });

  it('consumidor_alertas dead-letters nothing while the registry is unreachable: the record is retried, its offset not committed', async () => {
    const [alerts, dlq, group, port] = [
      unique('alertas'),
      unique('dlq'),
      unique('alertas'),
      await freePort(),
    ];
    await Promise.all([createTopic(alerts, 1), createTopic(dlq, 1)]);
    const consumer = startCommand('bridge/consumidor_alertas.ts', {
      KAFKA_BROKERS: brokers(),
      MESSAGE_FORMAT: 'avro',
      SCHEMA_REGISTRY_URL: `http://127.0.0.1:${port}/apis/ccompat/v7`,
      SISMOS_AVRO_TOPIC: topic,
      ALERTAS_TOPIC: alerts,
      DLQ_TOPIC: dlq,
      ALERTS_GROUP: group,
      ALERTAS_LOG: join(mkdtempSync(join(tmpdir(), 'sismos-avro-')), 'alertas.log'),
      KAFKA_SESSION_TIMEOUT_S: '6',
    });
    const line = new RegExp(
      `^cannot read ${topic} \\[0\\] @ 0: schema registry at http://127\\.0\\.0\\.1:${port}/apis/ccompat/v7 is unreachable \\(.*\\); start it \\(npm run registry:local\\) or fix SCHEMA_REGISTRY_URL; retrying, offset not committed$`,
      'm',
    );
    await consumer.waitForStderr(new RegExp(`${line.source}[\\s\\S]*${line.source}`, 'm'), 45_000);
    await stop(consumer);
    expect(await readAll(dlq)).toEqual([]);
    expect(await readAll(alerts)).toEqual([]);
    expect((await committedOffsets(group, topic)).get(0)).toBe(-1);
  });

  it('estadisticas_sismos counts the Avro quakes into the same windows and skips the poison', async () => {
    const stats = unique('stats');
    await createTopic(stats, 1);
    const service = startCommand('bridge/estadisticas_sismos.ts', {
      KAFKA_BROKERS: brokers(),
      MESSAGE_FORMAT: 'avro',
      SCHEMA_REGISTRY_URL: registry.url,
      SISMOS_AVRO_TOPIC: topic,
      STATS_TOPIC: stats,
      STATS_GROUP: unique('estadisticas'),
      KAFKA_SESSION_TIMEOUT_S: '6',
    });
    await waitUntilHandled(service, topic, brokers(), 60_000);
    await stop(service);

    expectRejected(service.stderr(), poison, (i, key) => `${topic} [0] @ ${i + 1} key=${key}`);
    expectWindows(lastByKey(await readAll(stats)), windowsOf([before, after], tumblingWindows()));
  });

  it('the bridge relays the Avro quakes to its clients and counts the poison in its summary of rejected records', async () => {
    const [alerts, stats, port] = [unique('alertas'), unique('stats'), await freePort()];
    await Promise.all([createTopic(alerts, 1), createTopic(stats, 1)]);
    const bridge = startCommand('bridge/server.ts', {
      KAFKA_BROKERS: brokers(),
      MESSAGE_FORMAT: 'avro',
      SCHEMA_REGISTRY_URL: registry.url,
      SISMOS_AVRO_TOPIC: topic,
      ALERTAS_TOPIC: alerts,
      STATS_TOPIC: stats,
      BRIDGE_PORT: String(port),
      BRIDGE_GROUP: unique('bridge'),
    });
    await bridge.waitFor(/Sismos bridge \(Kafka/, 60_000);
    const client = await connectBridge(`ws://127.0.0.1:${port}/ws`);
    const snapshot = await client.next((f) => f.type === 'snapshot');
    await client.close();
    await stop(bridge);

    expect(snapshot.quakes.map((q: { id: string }) => q.id).sort()).toEqual(['after', 'before']);
    expectRejected(bridge.stdout(), poison, (i) => `${topic}:0 offset ${i + 1}`);
  });
});
