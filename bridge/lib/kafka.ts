import { createRequire } from 'node:module';
import {
  type Admin,
  type Consumer,
  Kafka,
  type KafkaConfig,
  logLevel,
  type Producer,
} from 'kafkajs';
import { parseBrokers } from '../../src/core/brokers.ts';
import { SECOND_MS } from '../../src/core/time.ts';
import { envNumber, envString } from './env.ts';

/**
 * Bootstrap servers from KAFKA_BROKERS (host:port entries separated by commas); the course's
 * localhost:9092 by default. Throws the ConfigError of a malformed list: commands read it in
 * their Service's config, which ends them with its line.
 */
export function kafkaBrokers(): string[] {
  return parseBrokers('KAFKA_BROKERS', envString('KAFKA_BROKERS', 'localhost:9092'));
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
  withoutNegativeTimers();
  const kafka = new Kafka({
    clientId,
    brokers: kafkaBrokers(),
    logLevel:
      LOG_LEVELS[envString('KAFKAJS_LOG_LEVEL', 'nothing').toLowerCase()] ?? logLevel.NOTHING,
    ...overrides,
  });
  // Every client it makes reports the brokers that answer it, for answeringBrokers().
  const { consumer, producer, admin } = kafka;
  kafka.consumer = (config) => heard(consumer.call(kafka, config));
  kafka.producer = (config) => heard(producer.call(kafka, config));
  kafka.admin = (config) => heard(admin.call(kafka, config));
  return kafka;
}

/** When each broker ("host:port" as the cluster advertises it) last answered a request, epoch ms. */
const answers = new Map<string, number>();

function heard<C extends Consumer | Producer | Admin>(client: C): C {
  const { REQUEST } = client.events as { REQUEST: string };
  (client as Consumer).on(REQUEST as Consumer['events']['REQUEST'], ({ payload }) => {
    answers.set((payload as { broker: string }).broker, Date.now());
  });
  return client;
}

/** The brokers that answered a request of this process within the last `withinMs`. */
export function answeringBrokers(withinMs: number, now = Date.now()): string[] {
  return [...answers].filter(([, at]) => now - at <= withinMs).map(([broker]) => broker);
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

/** kafkajs's request queue: one per broker connection; the part of it `scheduleCheckPendingRequests` uses. */
interface RequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** As in kafkajs's requestQueue/index.js: how soon pending requests are checked again. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4 schedules its pending-request check `throttledUntil - now` ms ahead, and
 * `throttledUntil` starts at -1: a negative delay after every answer while nothing is throttled,
 * which Node 24 reports on stderr as a TimeoutNegativeWarning (tulios/kafkajs#1751, unreleased).
 * Node runs such a timer after 1 ms; this is kafkajs's method with that 1 ms written out. Every
 * command that makes kafkajs clients calls it first (createKafka does); calling it again does nothing.
 */
export function withoutNegativeTimers(): void {
  if (timersFixed) return;
  timersFixed = true;
  const require = createRequire(import.meta.url);
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
    prototype: RequestQueue;
  };
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.throttleCheckTimeoutId) return;
    let delay = this.throttledUntil - Date.now();
    if (this.pending.length > 0 && delay <= 0) delay = CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      Math.max(1, delay),
    );
  };
}
let timersFixed = false;
