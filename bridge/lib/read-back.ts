import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { MINUTE_MS } from '../../src/core/time.ts';
import { formatDuration } from './console.ts';

/** One record read back from a topic. */
export interface ReadBackRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The record's timestamp (the producer's clock when it was sent), epoch ms. */
  readonly timestamp: number;
}

/** Longest a read-back may take before it counts as failed. */
const READ_BACK_TIMEOUT_MS = MINUTE_MS;

/**
 * Reads every record of `topic` from the first one stamped at or after `sinceMs` (or from the
 * start when null) up to the end offsets as they were when the read began, and hands each to
 * `onRecord`. This is how the services learn what they already published: Kafka itself is the
 * state. A topic that does not exist yet reads as empty. Returns the number of records read.
 *
 * The reader is a consumer in a fresh group of its own that commits nothing, so it never moves
 * the offsets of any real group.
 */
export async function readBack(
  kafka: Kafka,
  clientId: string,
  topic: string,
  sinceMs: number | null,
  onRecord: (record: ReadBackRecord) => void,
): Promise<number> {
  const ranges = await offsetRanges(kafka, topic, sinceMs);
  const remaining = new Map(
    [...ranges].filter(([, range]) => range.start < range.end).map(([p, range]) => [p, range]),
  );
  if (remaining.size === 0) return 0;

  const consumer = kafka.consumer({ groupId: `${clientId}-read-back-${randomUUID()}` });
  let count = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `reading back ${topic} took longer than ${formatDuration(READ_BACK_TIMEOUT_MS)}`,
            ),
          ),
        READ_BACK_TIMEOUT_MS,
      );
      const finish = (error?: unknown) => {
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      // kafkajs restarts the consumer after retriable errors (a coordinator still loading); only a
      // crash it gives up on fails the read. Each (re)join seeks again: a restart forgets seeks.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) finish(payload.error);
      });
      // Partitions with nothing to read are sought to their end, so they are not fetched at all.
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const [partition, range] of ranges) {
          consumer.seek({ topic, partition, offset: range.start.toString() });
        }
      });
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const range = remaining.get(batch.partition);
            if (range === undefined) return;
            for (const message of batch.messages) {
              const offset = BigInt(message.offset);
              // Records before the start can arrive in the first batch, before the seek applies.
              if (offset < range.start || offset >= range.end) continue;
              count++;
              onRecord({
                partition: batch.partition,
                offset: message.offset,
                key: message.key,
                value: message.value,
                timestamp: Number(message.timestamp),
              });
            }
            if (BigInt(batch.lastOffset()) + 1n >= range.end) remaining.delete(batch.partition);
            if (remaining.size === 0) finish();
          },
        })
        .catch(finish);
    });
  } finally {
    await consumer.disconnect().catch(() => {});
  }
  return count;
}

interface Range {
  readonly start: bigint;
  /** One past the last record to read. */
  readonly end: bigint;
}

async function offsetRanges(
  kafka: Kafka,
  topic: string,
  sinceMs: number | null,
): Promise<Map<number, Range>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return new Map();
    const ends = await admin.fetchTopicOffsets(topic);
    const starts =
      sinceMs === null
        ? ends.map(({ partition, low }) => ({ partition, offset: low }))
        : await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs);
    const startOf = new Map(starts.map(({ partition, offset }) => [partition, BigInt(offset)]));
    return new Map(
      ends.map(({ partition, high, low }) => [
        partition,
        {
          start: bigMax(startOf.get(partition) ?? BigInt(low), BigInt(low)),
          end: BigInt(high),
        },
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
