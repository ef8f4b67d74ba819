import { Kafka, logLevel } from 'kafkajs';
import type { TestProject } from 'vitest/node';
import { startBroker, waitUntilAnswering } from '../../scripts/kafka-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap address of the real broker the tests talk to. */
    kafkaBrokers: string;
  }
}

/**
 * Uses the broker in KAFKA_BROKERS when set; otherwise starts a throw-away local one
 * (scripts/kafka-local.ts) and stops it after the run. No broker means a failed run, never a skip.
 */
export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  const existing = process.env.KAFKA_BROKERS;
  if (existing !== undefined && existing !== '') {
    await waitUntilAnswering(existing, 20_000);
    project.provide('kafkaBrokers', existing);
    return undefined;
  }
  const broker = await startBroker();
  await openGroupCoordinator(broker.brokers);
  project.provide('kafkaBrokers', broker.brokers);
  return () => broker.stop();
}

/**
 * Asks once for a group's coordinator, so Kafka creates and loads its offsets topic before the tests
 * run: on a brand-new broker the first groups are told "the coordinator is loading", which the
 * services report in a line, and the test files that start at once would meet it by chance.
 */
async function openGroupCoordinator(brokers: string): Promise<void> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await admin.describeGroups(['sismos-test-setup']);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
