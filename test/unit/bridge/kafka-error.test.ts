/**
 * KafkaError reads kafkajs's own error classes and flags. The errors here are made by kafkajs's
 * own code: its protocol error table (the error a broker's answer code becomes) and its classes,
 * wrapped the way its retrier wraps them.
 */
import { createRequire } from 'node:module';
import { KafkaJSConnectionError, KafkaJSRequestTimeoutError } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KafkaError, kafkaError } from '../../../bridge/lib/kafka-error.ts';

const require = createRequire(import.meta.url);
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error;
};
const createRetry = require('kafkajs/src/retry/index.js') as (options: {
  retries: number;
}) => (attempt: () => Promise<never>) => Promise<never>;

/** The error kafkajs's own retrier rejects with when every attempt failed with `error`. */
async function retried(error: Error): Promise<unknown> {
  return createRetry({ retries: 1 })(async () => {
    throw error;
  }).catch((wrapped: unknown) => wrapped);
}

/** Kafka protocol error codes (kafka.apache.org/protocol#protocol_error_codes). */
const CODE = {
  messageTooLarge: 10,
  recordListTooLarge: 18,
  illegalGeneration: 22,
  unknownMemberId: 25,
  rebalanceInProgress: 27,
  topicAuthorizationFailed: 29,
  invalidTopic: 17,
  leaderNotAvailable: 5,
};

let brokers: string | undefined;
beforeEach(() => {
  brokers = process.env.KAFKA_BROKERS;
  process.env.KAFKA_BROKERS = 'kafka-a:9092,kafka-b:9092';
});
afterEach(() => {
  if (brokers === undefined) delete process.env.KAFKA_BROKERS;
  else process.env.KAFKA_BROKERS = brokers;
});

describe('KafkaError', () => {
  it('names an unreachable broker, the network reason, and what to do, and may be retried', async () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 10.0.0.1', {
      broker: 'kafka-a:9092',
      code: 'ECONNREFUSED',
    });
    const error = kafkaError(await retried(refused));
    expect(error.code).toBe('KAFKA_UNREACHABLE');
    expect(error.retriable).toBe(true);
    expect(error.message).toBe(
      'cannot reach Kafka at kafka-a:9092,kafka-b:9092 (Connection error: connect ECONNREFUSED 10.0.0.1); start a broker (docker compose up -d kafka, or npm run kafka:local) or set KAFKA_BROKERS',
    );
  });

  it.each([
    ['REBALANCE_IN_PROGRESS', CODE.rebalanceInProgress],
    ['ILLEGAL_GENERATION', CODE.illegalGeneration],
    ['UNKNOWN_MEMBER_ID', CODE.unknownMemberId],
  ])(
    'knows %s as a rebalance kafkajs rejoins after, though kafkajs marks it not retriable',
    (_, code) => {
      const error = kafkaError(createErrorFromCode(code));
      expect(error.code).toBe('KAFKA_REBALANCE');
      expect(error.retriable).toBe(true);
    },
  );

  it.each([
    ['MESSAGE_TOO_LARGE', CODE.messageTooLarge],
    ['RECORD_LIST_TOO_LARGE', CODE.recordListTooLarge],
  ])(
    'knows %s, also inside the retrier, as a record too large that no retry can send',
    async (_, code) => {
      const error = kafkaError(await retried(createErrorFromCode(code)));
      expect(error.code).toBe('KAFKA_TOO_LARGE');
      expect(error.retriable).toBe(false);
    },
  );

  it('follows the flags of kafkajs for anything else: a refusal is final, a passing trouble is not', async () => {
    const invalidTopic = kafkaError(await retried(createErrorFromCode(CODE.invalidTopic)));
    expect(invalidTopic.code).toBe('KAFKA_FAILED');
    expect(invalidTopic.retriable).toBe(false);
    expect(invalidTopic.message).toMatch(
      /^Kafka at kafka-a:9092,kafka-b:9092 failed: .*invalid topic/,
    );
    expect(kafkaError(createErrorFromCode(CODE.topicAuthorizationFailed)).retriable).toBe(false);

    expect(kafkaError(createErrorFromCode(CODE.leaderNotAvailable)).retriable).toBe(true);
    // kafkajs gave up retrying a passing trouble: as its own consumer does, try again later.
    const retriesRanOut = await retried(createErrorFromCode(CODE.leaderNotAvailable));
    expect((retriesRanOut as Error).name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect(kafkaError(retriesRanOut).retriable).toBe(true);
    expect(
      kafkaError(new KafkaJSRequestTimeoutError('Request Produce timed out after 10000ms'))
        .retriable,
    ).toBe(true);
  });

  it('is not retriable for an error kafkajs did not make (a bug, not an outage)', () => {
    const error = kafkaError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(error).toBeInstanceOf(KafkaError);
    expect(error.code).toBe('KAFKA_FAILED');
    expect(error.retriable).toBe(false);
  });

  it('wraps once: a KafkaError given again is itself', () => {
    const error = kafkaError(createErrorFromCode(CODE.leaderNotAvailable));
    expect(kafkaError(error)).toBe(error);
  });
});
