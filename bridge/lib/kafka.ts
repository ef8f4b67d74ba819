import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { SECOND_MS } from '../../src/core/time.ts';
import { envNumber, envString } from './env.ts';

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

/** KAFKA_SESSION_TIMEOUT_S: how long a silent member keeps its partitions before the group moves them. */
export function kafkaSessionTimeoutMs(): number {
  return envNumber('KAFKA_SESSION_TIMEOUT_S', 30, { min: 6, max: 300 }) * SECOND_MS;
}
