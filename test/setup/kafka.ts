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
  project.provide('kafkaBrokers', broker.brokers);
  return () => broker.stop();
}
