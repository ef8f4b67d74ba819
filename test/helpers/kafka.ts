import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { inject } from 'vitest';

export function brokers(): string {
  return inject('kafkaBrokers');
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'sismos-test', brokers: [brokers()], logLevel: logLevel.NOTHING });
}

/** A topic or group name no other test uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createTopic(topic: string, numPartitions = 3): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export interface Record {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
}

/** Every record currently in `topic`, read by a fresh group from the beginning to the end offsets. */
export async function readAll(topic: string): Promise<Record[]> {
  const kafka = testKafka();
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
