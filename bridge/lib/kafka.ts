import { setTimeout as sleep } from 'node:timers/promises';
import { type Consumer, Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { retryDelayMs } from '../../src/core/backoff.ts';
import { fail, formatDuration } from './console.ts';
import { envString } from './env.ts';

/** Bootstrap servers from KAFKA_BROKERS (comma-separated); the course's localhost:9092 by default. */
export function kafkaBrokers(): string[] {
  return envString('KAFKA_BROKERS', 'localhost:9092')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

const LOG_LEVELS: Record<string, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * A kafkajs client. kafkajs logs are off unless KAFKAJS_LOG_LEVEL asks for them, because it reports
 * routine retries (a coordinator still loading) as errors; the commands print their own clear lines.
 */
export function createKafka(clientId: string, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: kafkaBrokers(),
    logLevel:
      LOG_LEVELS[envString('KAFKAJS_LOG_LEVEL', 'nothing').toLowerCase()] ?? logLevel.NOTHING,
    ...overrides,
  });
}

/** Retry settings for one-shot commands: give up on an unreachable broker within about ten seconds. */
export const ONE_SHOT_RETRY = {
  connectionTimeout: 2000,
  retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 2000 },
} satisfies Partial<KafkaConfig>;

/**
 * Retry settings for long-running services: each Kafka call gives up within about ten seconds, and
 * the service retries on its own schedule, printing one line per failure instead of hanging silently.
 */
export const SERVICE_RETRY = {
  connectionTimeout: 3000,
  requestTimeout: 10_000,
  retry: { retries: 4, initialRetryTime: 300, maxRetryTime: 3000 },
} satisfies Partial<KafkaConfig>;

/** One line saying what failed, where, and what to do about it. */
export function describeKafkaError(error: unknown): string {
  const brokers = kafkaBrokers().join(',');
  const reason = rootMessage(error);
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|Connection (error|timeout)|connect ETIMEDOUT/i.test(reason)
  ) {
    return `cannot reach Kafka at ${brokers} (${reason}); start a broker (docker compose up -d kafka, or npm run kafka:local) or set KAFKA_BROKERS`;
  }
  return `Kafka at ${brokers} failed: ${reason}`;
}

/** True when the broker refused a record as larger than its topic's max.message.bytes. */
export function isTooLarge(error: unknown): boolean {
  for (let current = error; current instanceof Error; ) {
    const type = (current as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
    current = current.cause ?? ('originalError' in current ? current.originalError : undefined);
  }
  return false;
}

function rootMessage(error: unknown): string {
  let current: unknown = error;
  // kafkajs wraps the network error in retry errors; the innermost message is the useful one.
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (
    current instanceof Error &&
    'originalError' in current &&
    current.originalError instanceof Error
  ) {
    current = current.originalError;
  }
  return current instanceof Error ? current.message : String(current);
}

/** How long a long-running consumer waits between attempts to reach the broker at start-up. */
const CONNECT_BACKOFF = { firstMs: 1000, maxMs: 30_000 };

/**
 * Connects `consumer` and subscribes it to `topic` from the earliest uncommitted offset, retrying
 * with backoff and one line per failure until it works. Returns false if `stopping()` turned true first.
 */
export async function connectConsumer(
  consumer: Consumer,
  topic: string,
  stopping: () => boolean,
): Promise<boolean> {
  for (let failures = 1; !stopping(); failures++) {
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      return true;
    } catch (error) {
      const delay = retryDelayMs(failures, CONNECT_BACKOFF);
      console.error(`${describeKafkaError(error)}; retrying in ${formatDuration(delay)}`);
      await consumer.disconnect().catch(() => {});
      await sleep(delay);
    }
  }
  return false;
}

/**
 * Reports a crashed consumer group in one line. kafkajs rejoins by itself after a retriable
 * failure; a failure it will not retry ends the command with the reason.
 */
export function reportCrashes(consumer: Consumer, name: string, stopping: () => boolean): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (stopping()) return;
    if (!payload.restart) fail(name, describeKafkaError(payload.error));
    console.error(`lost the consumer group: ${describeKafkaError(payload.error)}; rejoining`);
  });
}
