import { randomUUID } from 'node:crypto';
import {
  type Admin,
  Kafka,
  type KafkaMessage,
  logLevel,
  type Message,
  Partitioners,
} from 'kafkajs';
import { inject } from 'vitest';
import { withoutNegativeTimers } from '../../bridge/lib/kafka.ts';
import { encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';

export function brokers(): string {
  return inject('kafkaBrokers');
}

/** A client of the shared test broker, or of `at` (a broker or a comma-separated cluster a test started itself). */
export function testKafka(at = brokers()): Kafka {
  // As every command does: on Node 24, kafkajs's timers would print TimeoutNegativeWarning.
  withoutNegativeTimers();
  return new Kafka({ clientId: 'sismos-test', brokers: at.split(','), logLevel: logLevel.NOTHING });
}

/** A topic or group name no other test uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Creates `topic`; `config` sets topic configs, e.g. { 'max.message.bytes': '2097152' }. */
export async function createTopic(
  topic: string,
  numPartitions = 3,
  at = brokers(),
  config: { readonly [name: string]: string } = {},
): Promise<void> {
  const admin = testKafka(at).admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    await admin.createTopics({
      topics: [{ topic, numPartitions, configEntries }],
      waitForLeaders: false,
    });
    await waitForLeaders(admin, topic, numPartitions);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of a new topic has a leader. kafkajs's own `waitForLeaders` gives up
 * when a busy KRaft broker still answers UNKNOWN_TOPIC_OR_PARTITION for a moment after creating it.
 */
async function waitForLeaders(admin: Admin, topic: string, numPartitions: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length === numPartitions && partitions.every((p) => p.leader >= 0)) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Record {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  /** The value's bytes, for values that are not text. */
  readonly bytes: Buffer | null;
  readonly headers: { readonly [name: string]: string };
}

/** Every record currently in `topic`, read by a fresh group from the beginning to the end offsets. */
export async function readAll(topic: string, at = brokers()): Promise<Record[]> {
  const kafka = testKafka(at);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(
    ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
  );
  const records: Record[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: unique('reader') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
        records.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          bytes: message.value,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
          ),
        });
        const end = remaining.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(partition);
        if (remaining.size === 0) resolve();
      },
    });
  });
  await consumer.disconnect();
  return records;
}

/**
 * Sends `messages` to `topic` and waits until the broker stored them all, each once: kafkajs
 * retries a whole send when one partition fails, so only an idempotent producer never duplicates.
 */
export async function produce(topic: string, messages: Message[], at = brokers()): Promise<void> {
  const producer = testKafka(at).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    // Kafka refuses requests over 1 MB: large batches go in slices.
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The offsets `groupId` committed on `topic`, by partition (-1 when none). */
export async function committedOffsets(
  groupId: string,
  topic: string,
  at = brokers(),
): Promise<Map<number, number>> {
  const commits = await committed(groupId, topic, at);
  return new Map([...commits].map(([partition, { offset }]) => [partition, offset]));
}

/** The offsets `groupId` committed on `topic` with their metadata, by partition (-1 and null when none). */
export async function committed(
  groupId: string,
  topic: string,
  at = brokers(),
): Promise<Map<number, { offset: number; metadata: string | null }>> {
  const admin = testKafka(at).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(
      (offsets?.partitions ?? []).map(({ partition, offset, metadata }) => [
        partition,
        { offset: Number(offset), metadata },
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Produces each quake as its challenge-4 message, keyed by id, as productor_sismos does. */
export function produceQuakes(
  topic: string,
  quakes: readonly Quake[],
  at = brokers(),
): Promise<void> {
  return produce(
    topic,
    quakes.map((q) => ({ key: q.id, value: encodeMessage(q) })),
    at,
  );
}

/** One past the last offset of each partition of `topic`, now. */
export async function endOffsets(topic: string, at = brokers()): Promise<Map<number, number>> {
  const admin = testKafka(at).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    return new Map(ends.map(({ partition, high }) => [partition, Number(high)]));
  } finally {
    await admin.disconnect();
  }
}
