/**
 * Challenge 6 — aggregations, embedded in TypeScript (spark/spark_streaming_sismos.py is the same
 * job on Spark). Reads `sismos` in the consumer group `estadisticas-sismos` and, for each 5-minute
 * window of event time (the quake's own time, not the record's), counts the quakes and computes
 * their average and maximum magnitude. After each batch it prints the windows that changed as a
 * table, like Spark's console sink, and publishes each of them to `sismos-stats`, keyed by the
 * window start.
 *
 *   npm run estadisticas-sismos
 *   STATS_WINDOW_MINUTES=10 STATS_LATENESS_MINUTES=30 npm run estadisticas-sismos
 *
 * After each batch the watermark moves to the newest event time seen minus the allowed lateness,
 * but no further than the newest time read from any partition that still has records to read
 * (minus the lateness), so a backlog or the records piled up during a downtime are counted whole,
 * whichever partition is read first; windows ending at or before it are final, and a quake that
 * arrives for one of them is reported as late and left out. A revision (same id) replaces its earlier version. Each partition's committed
 * offset is the lowest one still feeding an open window, and the commit's metadata holds a
 * checkpoint (watermark, how far the partition was handled), so a restart replays exactly the
 * records of the open windows and counts nothing twice, nor a quake that was late before it.
 */
import type { Batch } from 'kafkajs';
import { CheckpointError, type MessageError } from '../src/core/errors.ts';
import { readMessage } from '../src/core/message.ts';
import type { Quake } from '../src/core/quake.ts';
import { encodeStatsMessage } from '../src/core/stats-message.ts';
import { formatStatsTable } from '../src/core/stats-table.ts';
import { printable } from '../src/core/text.ts';
import { MINUTE_MS } from '../src/core/time.ts';
import {
  DEFAULT_LATENESS_MS,
  tumblingWindows,
  type WindowStats,
  windowStarts,
} from '../src/core/window.ts';
import type { CommittedPartition } from '../src/core/window-checkpoint.ts';
import { type CountedBatch, WindowCounter } from '../src/core/window-counter.ts';
import { formatDuration, formatUtc, plural } from './lib/console.ts';
import { envNumber, envString } from './lib/env.ts';
import { helpText, QUAKE_SOURCE } from './lib/help.ts';
import { createKafka, kafkaBrokers, kafkaSessionTimeoutMs, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { committedOffsets, consumeAsService, type Seek } from './lib/kafka-service.ts';
import { MessageReader, messageFormat, schemaRegistry } from './lib/message-format.ts';
import { createAckedProducer } from './lib/producer.ts';
import { rejectReport } from './lib/reject-report.ts';
import { failedStep, Service, StepError } from './lib/service.ts';
import { quakeTopic, topics } from './lib/topics.ts';

const service = new Service(
  'estadisticas_sismos',
  helpText('estadisticas_sismos', {
    summary:
      'challenge 6: counts the quakes of sismos in windows of event time (count, average and maximum magnitude), prints the windows that changed and publishes them to sismos-stats.',
    usage: 'npm run estadisticas-sismos',
    variables: [
      ...QUAKE_SOURCE,
      'STATS_TOPIC',
      'STATS_WINDOW_MINUTES',
      'STATS_LATENESS_MINUTES',
      'STATS_GROUP',
      'KAFKA_SESSION_TIMEOUT_S',
      'KAFKAJS_LOG_LEVEL',
    ],
  }),
);
/** How many closed windows one line names. */
const CLOSED_SHOWN = 6;

// ---- configuration, read once ----

const config = service.config(() => ({
  brokers: kafkaBrokers(),
  spec: tumblingWindows(
    envNumber('STATS_WINDOW_MINUTES', 5, { min: 1, max: 1440 }) * MINUTE_MS,
    envNumber('STATS_LATENESS_MINUTES', DEFAULT_LATENESS_MS / MINUTE_MS, { min: 0, max: 43_200 }) *
      MINUTE_MS,
  ),
  sessionTimeoutMs: kafkaSessionTimeoutMs(),
  groupId: envString('STATS_GROUP', 'estadisticas-sismos'),
  format: messageFormat(),
}));
const { spec, groupId } = config;
const sismosTopic = quakeTopic(config.format);
const reader = new MessageReader(config.format, config.format === 'avro' ? schemaRegistry() : null);
console.log(
  `${service.name}: ${formatDuration(spec.sizeMs)} windows of ${sismosTopic}, allowed lateness ${formatDuration(spec.allowedLatenessMs)}, published to ${topics.stats} at ${kafkaBrokers().join(',')}; Ctrl+C to stop`,
);

// ---- state ----

const kafka = createKafka('estadisticas-sismos', SERVICE_RETRY);
const producer = createAckedProducer(kafka);
/**
 * The open windows and how far each partition was counted. Null until rebuilt from the committed
 * offsets: at start-up, after every rebalance, and after a failed publish or commit.
 */
let counter: WindowCounter | null = null;
/** The partitions of `sismos` this member owns since the last rebalance. */
let assigned: number[] = [];
let batches = 0;
let publishedThisRun = 0;
let lateThisRun = 0;
/** Unreadable records, left out and summarised on stderr rather than reported one line each. */
const rejects = rejectReport(`of ${topics.sismos}, left out`, (text) => console.error(text));

// ---- resuming from the last commit ----

/**
 * Rebuilds the counter from the group's committed offsets and their checkpoints, and moves every
 * owned partition back to its committed offset, from where the open windows are replayed.
 */
async function resume(seek: Seek): Promise<void> {
  let committed: CommittedPartition[];
  let partitionCount: number;
  try {
    ({ committed, partitionCount } = await committedOffsets(kafka, groupId, sismosTopic, assigned));
  } catch (error) {
    throw failedStep(
      `cannot read the committed offsets of group ${groupId}: ${kafkaError(error).message}; retrying`,
      error,
    );
  }
  try {
    counter = new WindowCounter(spec, committed);
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
    return service.fail(
      `group ${groupId}: ${error.message}; set STATS_WINDOW_MINUTES back, or count again from the start in a new group (STATS_GROUP)`,
    );
  }
  const { progress } = counter;
  for (const { partition, from } of progress.partitions) seek(partition, from);
  if (assigned.length < partitionCount) {
    console.error(
      `this member owns partitions ${assigned.join(',') || 'none'} of the ${partitionCount} of ${sismosTopic}: another member of group ${groupId} reads the others, so these windows count only part of the quakes; run one ${service.name} per group`,
    );
  }
  if (!progress.resumed) {
    const starts = progress.partitions.map(({ partition, from }) => `[${partition}] @ ${from}`);
    console.log(
      `group ${groupId} has no checkpoint yet: counting ${sismosTopic} from ${starts.join(', ')}`,
    );
    return;
  }
  const replays = progress.partitions.filter(({ from, replayTo }) => from !== replayTo);
  const replaying =
    replays.length === 0
      ? 'nothing to replay'
      : `replaying ${sismosTopic} ${replays.map(({ partition, from, replayTo }) => `[${partition}] @ ${from}–${BigInt(replayTo) - 1n}`).join(', ')} (counted before, to rebuild the open windows)`;
  console.log(
    `group ${groupId} resumes from its checkpoint: watermark ${watermarkText(progress.watermark)}; ${replaying}`,
  );
}

// ---- one batch: its lines, and its windows published ----

/** Counts the unreadable records into the rejection summary; returns the lines reporting the late quakes. */
function reportRecords(batch: Batch, counted: CountedBatch): string[] {
  const where = (offset: string) => `${sismosTopic} [${batch.partition}] @ ${offset}`;
  for (const { offset, error } of counted.unreadable) {
    const key = batch.messages.find((message) => message.offset === offset)?.key ?? null;
    rejects.add(error, `${where(offset)}${key === null ? '' : ` key=${key.toString()}`}`);
  }
  rejects.check();
  return counted.late.map(({ offset, quake }) => {
    const window = windowStarts(quake.time, spec).map((start) => new Date(start).toISOString());
    return printable(
      `late ${where(offset)}: ${quake.id} of ${formatUtc(quake.time)} belongs to the window ${window.join(', ')}, closed at the watermark ${watermarkText(counted.watermark)}; left out`,
    );
  });
}

/** Publishes the windows that changed, keyed by their start, and returns them. */
async function publish(current: WindowCounter): Promise<WindowStats[]> {
  const updates = current.updates();
  if (updates.length === 0) return updates;
  try {
    await producer.send(
      topics.stats,
      updates.map((window) => ({
        key: new Date(window.start).toISOString(),
        value: encodeStatsMessage(window),
      })),
    );
  } catch (error) {
    throw failedStep(
      `cannot publish ${plural(updates.length, 'window')} to ${topics.stats}: ${kafkaError(error).message}; counting again from the last commit`,
      error,
    );
  }
  current.published();
  publishedThisRun += updates.length;
  return updates;
}

function printBatch(
  header: string,
  updates: readonly WindowStats[],
  closed: readonly WindowStats[],
  late: readonly string[],
): void {
  const rule = '-'.repeat(Math.max(43, header.length));
  const lines = [rule, header, rule];
  lines.push(
    updates.length === 0
      ? 'no window changed'
      : `${formatStatsTable(updates)}\n${plural(updates.length, 'window')} published to ${topics.stats}`,
  );
  if (closed.length > 0) {
    const named = closed
      .slice(0, CLOSED_SHOWN)
      .map((w) => `${new Date(w.start).toISOString()} (${plural(w.count, 'quake')})`);
    const more = closed.length > CLOSED_SHOWN ? ` and ${closed.length - CLOSED_SHOWN} more` : '';
    lines.push(`closed, final: ${named.join(', ')}${more}`);
  }
  console.log([...lines, ...late].join('\n'));
}

/**
 * The quakes of an Avro batch by offset (null for JSON, which the counter reads itself); a registry
 * that cannot be asked fails the batch, which is counted again from the last commit.
 */
async function decodeBatch(
  batch: Batch,
  now: number,
): Promise<Map<string, Quake | MessageError> | null> {
  if (reader.format === 'json') return null;
  const decoded = new Map<string, Quake | MessageError>();
  try {
    for (const message of batch.messages)
      decoded.set(message.offset, await reader.read(message.value, now));
  } catch (error) {
    counter = null;
    throw failedStep(
      `cannot read ${sismosTopic} [${batch.partition}]: ${(error as Error).message}; counting again from the last commit`,
      error,
    );
  }
  return decoded;
}

function watermarkText(watermark: number): string {
  return Number.isFinite(watermark) ? formatUtc(watermark) : 'none yet';
}

// ---- the consumer group ----

await consumeAsService(service, {
  kafka,
  groupId,
  topic: sismosTopic,
  sessionTimeoutMs: config.sessionTimeoutMs,
  onJoin: (partitions) => {
    // Partitions may have moved: start again from what the group committed.
    counter = null;
    assigned = partitions;
  },
  // Offsets are resolved only once the batch is published and committed; after a failure the
  // counter is rebuilt from the last commit and every partition sought back to it.
  eachBatch: async (
    { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isStale },
    seek,
  ) => {
    // A batch fetched before the partitions were sought back is read again from the commit.
    if (isStale()) return;
    if (counter === null) {
      await resume(seek);
      return;
    }
    const current = counter;
    const { partition } = batch;
    const now = Date.now();
    const decoded = await decodeBatch(batch, now);
    const counted = current.count(
      partition,
      batch.messages,
      batch.lastOffset(),
      batch.highWatermark,
      now,
      (record) =>
        decoded === null
          ? readMessage(record.value, now)
          : (decoded.get(record.offset) as Quake | MessageError),
    );
    const late = reportRecords(batch, counted);
    const range = `${sismosTopic} [${partition}] @ ${batch.firstOffset()}–${batch.lastOffset()}`;
    const { replayed } = counted;
    if (counted.replaying) {
      const fresh = batch.messages.length - replayed;
      console.log(
        [
          `replayed ${range}: ${plural(replayed, 'record')} counted before, ${fresh} new; waiting for the other partitions`,
          ...late,
        ].join('\n'),
      );
      lateThisRun += late.length;
      resolveOffset(batch.lastOffset());
      await heartbeat();
      return;
    }
    if (counted.replayDone) {
      const open = plural(current.windows.openWindows().length, 'open window');
      console.log(`replay done: ${open} rebuilt, published again`);
    }
    let updates: WindowStats[];
    try {
      updates = await publish(current);
      await commitOffsetsIfNecessary({
        topics: [{ topic: sismosTopic, partitions: current.commits() }],
      });
    } catch (error) {
      counter = null;
      // A publish failure was reported already; kafkajs rejoins the group after a rebalance.
      if (error instanceof StepError || kafkaError(error).code === 'KAFKA_REBALANCE') throw error;
      throw failedStep(
        `cannot commit the offsets of ${sismosTopic} for group ${groupId}: ${kafkaError(error).message}; counting again from the last commit`,
        error,
      );
    }
    resolveOffset(batch.lastOffset());
    batches++;
    lateThisRun += late.length;
    const replays = replayed === 0 ? '' : `, ${replayed} replayed`;
    printBatch(
      `Batch ${batches}: ${range} (${plural(batch.messages.length, 'record')}${replays}); watermark ${watermarkText(current.windows.watermark)}`,
      updates,
      counted.closed,
      late,
    );
    await heartbeat();
  },
  onStop: async () => {
    rejects.end();
    await producer.close();
    return `${plural(publishedThisRun, 'window update')} published, ${plural(lateThisRun, 'late quake')} this run`;
  },
});
