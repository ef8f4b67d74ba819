import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { brokers, createTopic, readAll, unique } from '../helpers/kafka.ts';
import { runCommand, startCommand } from '../helpers/process.ts';

const PRODUCER = 'bridge/productor_simple.ts';
const CONSUMER = 'bridge/consumidor_simple.ts';
const DELIVERY = /^delivered (\S+) \[(\d)\] @ (\d+) {2}key=(\d+)$/;
const LINE = /^partition=(\d) offset=(\d+) key=(\S+) value=(.*)$/;

describe('productor_simple (challenge 2)', () => {
  it('sends 10 JSON messages {id, texto, timestamp} keyed by id and reports each delivery', async () => {
    const topic = unique('mensajes-test');
    await createTopic(topic);
    const run = await runCommand(PRODUCER, { KAFKA_BROKERS: brokers(), MENSAJES_TOPIC: topic });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const deliveries = run.stdout
      .split('\n')
      .map((line) => DELIVERY.exec(line))
      .filter((m) => m !== null);
    expect(deliveries).toHaveLength(10);
    expect(new Set(deliveries.map((m) => m[4]))).toEqual(
      new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']),
    );
    expect(run.stdout).toContain(`10 messages sent to ${topic}.`);

    const records = await readAll(topic);
    expect(records).toHaveLength(10);
    for (const record of records) {
      const value = JSON.parse(record.value ?? '');
      expect(Object.keys(value)).toEqual(['id', 'texto', 'timestamp']);
      expect(String(value.id)).toBe(record.key);
      expect(value.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // The report printed for this key names the partition and offset the record really has.
      const report = deliveries.find((m) => m[4] === record.key);
      expect([report?.[1], Number(report?.[2]), report?.[3]]).toEqual([
        topic,
        record.partition,
        record.offset,
      ]);
    }
  });

  it('says in one line that the broker is unreachable and exits non-zero', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const run = await runCommand(PRODUCER, { KAFKA_BROKERS: nowhere });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    // The broker's refusal ended it, not its 30-second deadline ("gave up after 30 s").
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^productor_simple: cannot reach Kafka at ${nowhere} \\(.*ECONNREFUSED.*\\); start a broker`,
        ),
      ),
    ]);
  });
});

describe('consumidor_simple (challenge 3)', () => {
  it('prints partition, offset, key and value, leaves cleanly on SIGINT, and resumes after its commits', async () => {
    const topic = unique('mensajes-test');
    const env = {
      KAFKA_BROKERS: brokers(),
      MENSAJES_TOPIC: topic,
      CONSUMER_GROUP: unique('grupo'),
    };
    await createTopic(topic);
    expect((await runCommand(PRODUCER, env)).code).toBe(0);

    const first = await consumeUntil(env, 10, 'SIGINT');
    expect(first.lines.map((l) => l.key).sort()).toEqual([
      '1',
      '10',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    for (const line of first.lines) {
      expect(JSON.parse(line.value)).toMatchObject({
        id: Number(line.key),
        texto: `Mensaje número ${line.key}`,
      });
    }
    expect(first.stdout).toMatch(/SIGINT: left group .*, offsets committed\./);

    // A second batch, then the same group again: it must start exactly after what it committed.
    expect((await runCommand(PRODUCER, env)).code).toBe(0);
    const second = await consumeUntil(env, 10, 'SIGTERM');
    const seen = new Set(first.lines.map((l) => `${l.partition}@${l.offset}`));
    expect(second.lines.filter((l) => seen.has(`${l.partition}@${l.offset}`))).toEqual([]);
    expect(second.lines).toHaveLength(10);
    expect(second.stdout).toMatch(/SIGTERM: left group/);
  });
});

async function consumeUntil(
  env: Record<string, string>,
  count: number,
  signal: 'SIGINT' | 'SIGTERM',
) {
  const consumer = startCommand(CONSUMER, env);
  await consumer.waitFor((out) => out.split('\n').filter((l) => LINE.test(l)).length >= count);
  consumer.child.kill(signal);
  expect(await consumer.exited).toBe(0);
  expect(consumer.stderr()).toBe('');
  const lines = consumer
    .stdout()
    .split('\n')
    .map((l) => LINE.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ partition: Number(m[1]), offset: m[2]!, key: m[3]!, value: m[4]! }));
  return { lines, stdout: consumer.stdout() };
}
