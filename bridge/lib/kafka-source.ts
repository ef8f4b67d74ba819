import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { MessageError } from '../../src/core/errors.ts';
import { decodeMessageText, encodeMessage } from '../../src/core/message.ts';
import type { StreamKind } from '../../src/core/protocol.ts';
import type { Quake } from '../../src/core/quake.ts';
import type { RelayLog, RelayRecord } from '../../src/core/relay-log.ts';
import { decodeStatsMessage } from '../../src/core/stats-message.ts';
import { GroupConsumer } from './kafka-service.ts';
import type { MessageReader } from './message-format.ts';
import { type RejectReport, rejectReport } from './reject-report.ts';

/** How long start-up waits for the records already in the topics before serving clients anyway. */
const CATCH_UP_MS = 30_000;
/** Records fetched and waiting to be relayed before the consumer stops fetching. */
const PENDING_RECORDS = 20_000;

interface KafkaSourceOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  /** The topics to relay, each with the kind of its records; an optional one is left out while it does not exist. */
  readonly topics: readonly SourceTopic[];
  readonly windowMs: number;
  /** How the quake topic is written: its Avro records are decoded (through the registry) before relaying. */
  readonly quakeReader: MessageReader;
  /** Receives every decoded record, in order within its partition. */
  readonly onRecord: (record: RelayRecord) => void;
  /** Told when consumption fails and when it works again. */
  readonly onStatus: (ok: boolean, message: string) => void;
  readonly log: (line: string) => void;
}

export interface SourceTopic {
  readonly topic: string;
  readonly kind: StreamKind;
  readonly optional?: boolean;
}

export interface KafkaSource {
  /** The topics it relays: those of the options, less an optional one that did not exist. */
  readonly topics: readonly string[];
  /** Per "topic:partition", how many records the broker holds beyond what was relayed. */
  lag(): Promise<Record<string, string>>;
  readonly state: () => string;
  stop(): Promise<void>;
}

/** The Kafka cluster id, which names the stream that relay cursors point into. */
export async function clusterEpoch(kafka: Kafka): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return `k-${(await admin.describeCluster()).clusterId}`;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Relays the quake, alert and stats topics into the relay log. At start it seeks every partition to
 * the first record of the snapshot window, so a restarted bridge rebuilds its snapshot; afterwards
 * its consumer group (one per bridge instance) commits as it goes, and a record delivered twice
 * after a rebalance is dropped by the relay log.
 */
export async function startKafkaSource(
  relay: RelayLog,
  options: KafkaSourceOptions,
): Promise<KafkaSource> {
  const { kafka, onRecord, onStatus, log } = options;
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const relayed = options.topics.filter(({ topic, optional }) => {
    if (optional !== true || existing.has(topic)) return true;
    log(
      `bridge: topic ${topic} does not exist, so its records are not relayed; create it (npm run kafka:local and docker compose do) and restart the bridge`,
    );
    return false;
  });
  const kindOf = new Map(relayed.map(({ topic, kind }) => [topic, kind]));
  const topics = [...kindOf.keys()];
  const start = await windowStart(admin, topics, Date.now() - options.windowMs);
  for (const [position, offset] of start) relay.track(position, BigInt(offset));

  let state = 'connecting';
  let seeked = false;
  // Records that do not decode are skipped, and summarised rather than logged one line each.
  const rejects = rejectReport('from Kafka, not relayed', (text) =>
    log(text.replace(/^/gm, 'bridge: ')),
  );
  const highWatermarks = new Map<string, string>();
  // Clients connecting right after start should get a complete snapshot: wait (a bounded time) until
  // the records that were already in the topics at start have been relayed.
  const ends = await endOffsets(admin, topics);
  const caughtUp = new Promise<void>((resolve) => {
    const check = () => {
      const head = relay.cursor().next;
      if ([...ends].every(([position, end]) => (head.get(position) ?? 0n) >= end)) resolve();
      else setTimeout(check, 50).unref();
    };
    check();
  });

  // eachBatch queues each batch for `relayNext` and returns at once, so kafkajs sends its next fetch
  // while this batch is decoded and framed: the broker's round trip overlaps the bridge's work
  // instead of adding to it. Batches wait in order, at most PENDING_RECORDS records of them.
  const pending: KafkaMessages[] = [];
  let queued = 0;
  let drained: (() => void) | null = null;
  const relayNext = () => {
    const next = pending.shift();
    if (next === undefined) return;
    queued -= next.messages.length;
    relayBatch(next, onRecord, rejects);
    if (pending.length > 0) setImmediate(relayNext);
    if (queued <= PENDING_RECORDS / 2 && drained !== null) {
      drained();
      drained = null;
    }
  };
  const member: GroupConsumer = new GroupConsumer(kafka, {
    groupId: options.groupId,
    topics,
    settings: { allowAutoTopicCreation: false },
    autoCommit: true,
    eachBatch: async ({ batch, heartbeat }) => {
      const position = `${batch.topic}:${batch.partition}`;
      highWatermarks.set(position, batch.highWatermark);
      const kind = kindOf.get(batch.topic) ?? 'quake';
      const avro = kind === 'quake' && options.quakeReader.format === 'avro';
      pending.push({
        position,
        kind,
        messages: batch.messages,
        decoded: avro ? await decodeAvro(options.quakeReader, batch.messages) : null,
      });
      queued += batch.messages.length;
      if (pending.length === 1) setImmediate(relayNext);
      if (queued > PENDING_RECORDS) await new Promise<void>((resolve) => (drained = resolve));
      await heartbeat();
    },
    onJoin: (assignment) => {
      state = 'consuming';
      onStatus(true, `consuming ${topics.join(', ')} from Kafka`);
      if (seeked) return;
      seeked = true;
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const partition of partitions) {
          const offset = start.get(`${topic}:${partition}`);
          if (offset !== undefined) member.seek(topic, partition, offset);
        }
      }
    },
    onCrash: (error, restart) => {
      state = restart ? 'reconnecting' : 'failed';
      const message = `Kafka consumer failed (${error.message}); ${restart ? 'reconnecting' : 'not restarting'}`;
      log(`bridge: ${message}`);
      onStatus(false, message);
    },
    log: (line) => log(`bridge: ${line}`),
  });
  await member.start();

  const timeout = new Promise<void>((resolve) => setTimeout(resolve, CATCH_UP_MS).unref());
  await Promise.race([caughtUp, timeout]);

  return {
    topics,
    state: () => state,
    lag: async () => {
      const lag: Record<string, string> = {};
      const head = relay.cursor().next;
      for (const [position, high] of highWatermarks) {
        const next = head.get(position) ?? 0n;
        lag[position] = (BigInt(high) > next ? BigInt(high) - next : 0n).toString();
      }
      return lag;
    },
    stop: async () => {
      rejects.end();
      await member.stop();
      await admin.disconnect();
    },
  };
}

/** A quake and its message's JSON text, as the relay passes it on. */
type DecodedQuake = { quake: Quake; text: string };

interface KafkaMessages {
  readonly position: string;
  readonly kind: StreamKind;
  readonly messages: readonly KafkaMessage[];
  /** Each message of an Avro batch, decoded already (or why not); null for JSON. */
  readonly decoded: readonly (DecodedQuake | Error)[] | null;
}

/**
 * The quakes of Avro records, each with the JSON text of its message (what a JSON topic would have
 * held), or the MessageError that makes it unreadable; a registry that cannot be asked throws, so
 * kafkajs fetches the batch again.
 */
async function decodeAvro(
  reader: MessageReader,
  messages: readonly KafkaMessage[],
): Promise<(DecodedQuake | Error)[]> {
  const decoded: (DecodedQuake | Error)[] = [];
  for (const message of messages) {
    const quake = await reader.read(message.value, Date.now());
    decoded.push(quake instanceof Error ? quake : { quake, text: encodeMessage(quake) });
  }
  return decoded;
}

/** Decodes a batch's records into the relay; a record that does not decode is skipped and counted in `rejects`. */
function relayBatch(
  { position, kind, messages, decoded }: KafkaMessages,
  onRecord: (record: RelayRecord) => void,
  rejects: RejectReport,
): void {
  for (const [index, message] of messages.entries()) {
    try {
      const offset = BigInt(message.offset);
      if (kind === 'stats') {
        const window = decodeStatsMessage(message.value);
        onRecord({ position, offset, kind, quake: null, window, text: null });
      } else {
        const read = decoded?.[index] ?? decodeMessageText(message.value, Date.now());
        if (read instanceof Error) throw read;
        const { quake, text } = read;
        onRecord({ position, offset, kind, quake, window: null, text });
      }
    } catch (error) {
      if (!(error instanceof MessageError)) throw error;
      rejects.add(error, `${position} offset ${message.offset}`);
    }
  }
  rejects.check();
}

/** Per "topic:partition", the offset after the last record now in the topics. */
async function endOffsets(admin: Admin, topics: string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const topic of topics) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}:${partition}`, BigInt(high));
  }
  return ends;
}

/**
 * Per "topic:partition", the offset of the first record at or after `timestamp`; kafkajs gives
 * the partition's end when there is none.
 */
async function windowStart(
  admin: Admin,
  topics: string[],
  timestamp: number,
): Promise<Map<string, string>> {
  const start = new Map<string, string>();
  for (const topic of topics) {
    for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, timestamp))
      start.set(`${topic}:${partition}`, offset);
  }
  return start;
}
