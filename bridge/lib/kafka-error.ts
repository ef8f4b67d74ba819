import kafkajs from 'kafkajs';
import { SismosError } from '../../src/core/errors.ts';
import { answeringBrokers, kafkaBrokers } from './kafka.ts';

/** A broker that answered this recently counts as up when another one cannot be reached. */
const RECENT_ANSWER_MS = 30_000;

type KafkaErrorCode =
  /** No broker answered: start one, or fix KAFKA_BROKERS. */
  | 'KAFKA_UNREACHABLE'
  /** The consumer group is rebalancing; kafkajs rejoins by itself. */
  | 'KAFKA_REBALANCE'
  /** The broker refused a record larger than its topic takes. */
  | 'KAFKA_TOO_LARGE'
  | 'KAFKA_FAILED';

// Node's import of a CommonJS module names only its literal exports; kafkajs spreads its errors in.
const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

/**
 * Protocol errors kafkajs answers by rejoining the group. kafkajs has no class per protocol error,
 * only its `type`, so these two lists are the one place Sismos reads it.
 */
const REBALANCE = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * A kafkajs failure, recognised by kafkajs's own error classes and flags, whose message is the one
 * line a user sees: what failed, where, and what to do about it. Retriable when the broker cannot be
 * reached, the group rebalances, or kafkajs says so (it gave up after retries, or the root cause is
 * marked retriable); not when the broker refused the request itself (an invalid topic name, a
 * record too large, no authorisation).
 */
export class KafkaError extends SismosError {
  declare readonly code: KafkaErrorCode;

  constructor(cause: unknown) {
    const chain = causes(cause);
    const root = chain.at(-1);
    const reason = root instanceof Error ? root.message : String(root);
    const listed = kafkaBrokers();
    const brokers = listed.join(',');
    const protocolType = chain.find((e) => e instanceof KafkaJSProtocolError)?.type;
    let code: KafkaErrorCode = 'KAFKA_FAILED';
    if (chain.some((e) => e instanceof KafkaJSConnectionError)) code = 'KAFKA_UNREACHABLE';
    else if (protocolType !== undefined && REBALANCE.has(protocolType)) code = 'KAFKA_REBALANCE';
    else if (protocolType !== undefined && TOO_LARGE.has(protocolType)) code = 'KAFKA_TOO_LARGE';
    // A connection error names the one broker kafkajs failed to reach: while others of a cluster
    // still answer, it serves without it, and "start a broker" would send the user astray. (With
    // one broker listed, an answer under another name, say localhost for 127.0.0.1, is that broker.)
    const down = chain.find((e) => e instanceof KafkaJSConnectionError)?.broker;
    const up =
      listed.length > 1
        ? answeringBrokers(RECENT_ANSWER_MS).filter((broker) => broker !== down)
        : [];
    const message =
      code !== 'KAFKA_UNREACHABLE'
        ? `Kafka at ${brokers} failed: ${reason}`
        : down !== undefined && up.length > 0
          ? `cannot reach Kafka broker ${down} (${reason}), but ${up.sort().join(',')} answer: the cluster goes on without it while most of its brokers are up; restart ${down} to bring it back`
          : `cannot reach Kafka at ${brokers} (${reason}); start a broker (docker compose up -d kafka, or npm run kafka:local) or set KAFKA_BROKERS`;
    const retriable =
      code === 'KAFKA_UNREACHABLE' ||
      code === 'KAFKA_REBALANCE' ||
      (code === 'KAFKA_FAILED' &&
        (chain.some((e) => e instanceof KafkaJSNumberOfRetriesExceeded) ||
          (root as { retriable?: unknown } | undefined)?.retriable === true));
    super(code, message, retriable, { cause });
  }
}

/** `error` as a KafkaError (itself when it is one already). */
export function kafkaError(error: unknown): KafkaError {
  return error instanceof KafkaError ? error : new KafkaError(error);
}

/** `error` and its causes, outermost first: kafkajs wraps the network error in retry errors. */
function causes(error: unknown): unknown[] {
  const chain = [error];
  for (let current = error; current instanceof Error && current.cause instanceof Error; ) {
    current = current.cause;
    if (chain.includes(current)) break;
    chain.push(current);
  }
  return chain;
}
