/**
 * The real Kafka broker of the Kafka benchmarks: the one in KAFKA_BROKERS, or a throw-away local
 * broker (scripts/kafka-local.ts) started for the run and stopped after it.
 */
import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../scripts/kafka-local.ts';

export async function withBroker<T>(use: (brokers: string) => Promise<T>): Promise<T> {
  const existing = process.env.KAFKA_BROKERS?.trim();
  if (existing) return use(existing);
  console.log('starting a local Kafka broker (scripts/kafka-local.ts) ...');
  const broker = await startBroker();
  process.env.KAFKA_BROKERS = broker.brokers;
  try {
    return await use(broker.brokers);
  } finally {
    delete process.env.KAFKA_BROKERS;
    await broker.stop();
  }
}

/** A topic name no earlier run used. */
export function freshTopic(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function withAdmin<T>(brokers: string, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates topics with three partitions, as the compose file's kafka-init does. */
export async function createTopics(brokers: string, names: readonly string[]): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: names.map((topic) => ({ topic, numPartitions: 3 })),
    });
  });
}
