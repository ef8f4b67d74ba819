import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { retryDelayMs } from '../../src/core/backoff.ts';
import type { CommittedPartition } from '../../src/core/window-checkpoint.ts';
import { formatDuration } from './console.ts';
import { SERVICE_RETRY } from './kafka.ts';
import { KafkaError, kafkaError } from './kafka-error.ts';
import type { Service } from './service.ts';

/** How long a consumer waits between attempts to reach the broker at start-up. */
const CONNECT_BACKOFF = { firstMs: 1000, maxMs: 30_000 };

interface GroupConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** kafkajs consumer settings besides the group id (session timeout, retry, topic creation). */
  readonly settings?: Omit<ConsumerConfig, 'groupId'>;
  /**
   * True: kafkajs resolves each batch when eachBatch returns and commits as it goes. False:
   * eachBatch resolves and commits itself, once what it handled is safe in its sinks.
   */
  readonly autoCommit: boolean;
  readonly eachBatch: (payload: EachBatchPayload) => Promise<void>;
  /** After every (re)join: the partitions of each topic this member owns now. */
  readonly onJoin: (assignment: Readonly<Record<string, number[]>>) => void;
  /** After a crash, and whether kafkajs restarts the consumer (it rejoins by itself then). */
  readonly onCrash: (error: Error, restart: boolean) => void;
  /** Told each failed attempt to reach the broker at start-up, in one line naming the next try. */
  readonly log: (line: string) => void;
}

/**
 * One member of a consumer group: connects and subscribes from the earliest uncommitted offset
 * (retrying, with backoff, while that fails for a reason retrying can fix), consumes batch by
 * batch, reports joins and crashes, and leaves the group when stopped.
 */
export class GroupConsumer {
  readonly #consumer: Consumer;
  readonly #options: GroupConsumerOptions;
  #stopping = false;
  #joined = false;

  constructor(kafka: Kafka, options: GroupConsumerOptions) {
    this.#options = options;
    const consumer = kafka.consumer({ groupId: options.groupId, ...options.settings });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#joined = true;
      options.onJoin(payload.memberAssignment);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!this.#stopping) options.onCrash(payload.error, payload.restart);
    });
  }

  /** Whether this member ever joined its group. */
  get joined(): boolean {
    return this.#joined;
  }

  /**
   * Connects, subscribes and starts consuming. Throws the KafkaError of a failure retrying cannot
   * fix (a topic name the broker refuses, say); returns without consuming when stopped meanwhile.
   */
  async start(): Promise<void> {
    const consumer = this.#consumer;
    for (let failures = 1; ; failures++) {
      if (this.#stopping) return;
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [...this.#options.topics], fromBeginning: true });
        break;
      } catch (error) {
        await consumer.disconnect().catch(() => {});
        const problem = kafkaError(error);
        if (!problem.retriable) throw problem;
        const delay = retryDelayMs(failures, CONNECT_BACKOFF);
        this.#options.log(`${problem.message}; retrying in ${formatDuration(delay)}`);
        await sleep(delay);
      }
    }
    const { autoCommit, eachBatch } = this.#options;
    await consumer.run({ autoCommit, eachBatchAutoResolve: autoCommit, eachBatch });
  }

  /** Moves the next fetch of one partition to `offset` (after a join, kafkajs forgets seeks). */
  seek(topic: string, partition: number, offset: string): void {
    this.#consumer.seek({ topic, partition, offset });
  }

  /** Leaves the group: the batch in hand finishes first, with the commits it makes. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#consumer.disconnect().catch(() => {});
  }
}

export type Seek = (partition: number, offset: string) => void;

interface ConsumerServiceOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  /** More topics the member reads into `eachBatch` (the revisions of `topic`); `seek` and `onJoin` are about `topic` alone. */
  readonly alsoTopics?: readonly string[];
  readonly sessionTimeoutMs: number;
  /**
   * Handles one batch of one partition and commits what it made safe (offsets are not committed
   * automatically); `seek` moves a partition of the topic back (or on) to an offset.
   */
  readonly eachBatch: (payload: EachBatchPayload, seek: Seek) => Promise<void>;
  /** After every (re)join, with the partitions of the topic this member owns now. */
  readonly onJoin: (partitions: number[], seek: Seek) => void;
  /** After the member left the group: closes what the service opened, and says what the run did. */
  readonly onStop: () => Promise<string>;
}

/**
 * Runs `service` as one member of a consumer group on one topic, until a signal stops it: one line
 * per join, per failed attempt to reach the broker and per lost group (kafkajs rejoins by itself);
 * a failure kafkajs does not retry ends the command with its line. At shutdown the batch in hand
 * finishes and commits, the member leaves the group, and the last line says what the run did.
 */
export async function consumeAsService(
  service: Service,
  options: ConsumerServiceOptions,
): Promise<void> {
  const { groupId, topic } = options;
  const read = [topic, ...(options.alsoTopics ?? [])];
  const member = new GroupConsumer(options.kafka, {
    groupId,
    topics: read,
    settings: {
      sessionTimeout: options.sessionTimeoutMs,
      // Crashes kafkajs can recover from (a lost broker) restart the consumer; onCrash says so.
      retry: { ...SERVICE_RETRY.retry, restartOnFailure: async () => true },
    },
    autoCommit: false,
    eachBatch: (payload) => options.eachBatch(payload, seek),
    onJoin: (assignment) => {
      const owned = (name: string) => (assignment[name] ?? []).join(',') || 'none';
      console.log(
        `joined group ${groupId} on ${read.map((name) => `${name} (partitions ${owned(name)})`).join(', ')}`,
      );
      options.onJoin(assignment[topic] ?? [], seek);
    },
    onCrash: (error, restart) => {
      const problem = kafkaError(error).message;
      if (!restart) service.fail(problem);
      console.error(`lost the consumer group: ${problem}; rejoining`);
    },
    log: (line) => console.error(line),
  });
  const seek: Seek = (partition, offset) => member.seek(topic, partition, offset);
  service.onStop(async () => {
    await member.stop();
    const done = await options.onStop();
    const left = member.joined
      ? `left group ${groupId}, offsets committed`
      : 'never joined the group';
    return `${left}; ${done}.`;
  });
  try {
    await member.start();
  } catch (error) {
    if (error instanceof KafkaError) service.fail(error.message);
    throw error;
  }
}

/**
 * A batch handler for services that write each record to their sinks: `handle` takes the records one
 * at a time; each offset is resolved after its record, and committed at once after a record that
 * wrote to a sink (`handle` returned true), so a restart never writes it again. Whatever else was
 * resolved is committed at the end of the batch.
 */
export function recordByRecord(
  handle: (partition: number, message: KafkaMessage, topic: string) => Promise<boolean>,
): (payload: EachBatchPayload) => Promise<void> {
  return async (payload) => {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, uncommittedOffsets } =
      payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      const wrote = await handle(batch.partition, message, batch.topic);
      resolveOffset(message.offset);
      if (wrote) await commitOffsetsIfNecessary(uncommittedOffsets());
      await heartbeat();
    }
    await commitOffsetsIfNecessary(uncommittedOffsets());
  };
}

/**
 * What group `groupId` committed for each of `partitions` of `topic` (offset and metadata, null
 * where it never committed), with each partition's oldest and next offset, and how many partitions
 * the topic has: what a service that commits its own checkpoints resumes from after a join.
 */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
  partitions: readonly number[],
): Promise<{ committed: CommittedPartition[]; partitionCount: number }> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const commits = new Map((offsets?.partitions ?? []).map((p) => [p.partition, p]));
    const committed = ends
      .filter(({ partition }) => partitions.includes(partition))
      .sort((a, b) => a.partition - b.partition)
      .map(({ partition, low, high }) => {
        const commit = commits.get(partition);
        const offset = commit === undefined || BigInt(commit.offset) < 0n ? null : commit.offset;
        return { partition, offset, metadata: commit?.metadata ?? null, low, high };
      });
    return { committed, partitionCount: ends.length };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
