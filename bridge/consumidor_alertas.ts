/**
 * Challenge 5 — alert system.
 * Reads `sismos` in the consumer group `consumidor-alertas` and, for every quake of magnitude 4.5
 * or more, prints the course's boxed ALERTA SISMICA, appends it to `alertas.log` and publishes it
 * to `sismos-alertas`: once per quake, across restarts, rebalances, replays and crashes.
 *
 *   npm run consumidor-alertas
 *   ALERT_THRESHOLD=2.5 ALERTAS_LOG=/tmp/alertas.log npm run consumidor-alertas
 *
 * For each record: write the log entry (fsync), publish the alert (acks=all), then commit the
 * offset. Both sinks are read back at start-up (and the topic again after a rebalance or a failed
 * send), so a replay after a crash between any two steps writes only what a sink is missing.
 * Unreadable records are reported, copied to `sismos-dlq` and skipped.
 */
import type { KafkaMessage } from 'kafkajs';
import { alertFields, DEFAULT_ALERT_THRESHOLD, formatAlertBox } from '../src/core/alert.ts';
import {
  ALERT_MEMORY_MS,
  type AlertAction,
  AlertLedger,
  alertOf,
} from '../src/core/alert-ledger.ts';
import { formatLogEntry } from '../src/core/alert-log.ts';
import { MessageError } from '../src/core/errors.ts';
import { decodeMessage, encodeMessage } from '../src/core/message.ts';
import type { Quake } from '../src/core/quake.ts';
import { printable } from '../src/core/text.ts';
import { DAY_MS } from '../src/core/time.ts';
import { type AlertLogFile, openAlertLog, readAlertLog } from './lib/alert-log-file.ts';
import { fail, formatUtc, plural } from './lib/console.ts';
import { envNumber, envString } from './lib/env.ts';
import {
  connectConsumer,
  createKafka,
  describeKafkaError,
  isTooLarge,
  reportCrashes,
  SERVICE_RETRY,
} from './lib/kafka.ts';
import { createAckedProducer } from './lib/producer.ts';
import { readBack } from './lib/read-back.ts';
import { topics } from './lib/topics.ts';

const NAME = 'consumidor_alertas';
/** Retry schedule while the broker cannot be reached at start-up. */

// ---- configuration, read once ----

let threshold: number;
let sessionTimeout: number;
try {
  threshold = envNumber('ALERT_THRESHOLD', DEFAULT_ALERT_THRESHOLD, { min: -10, max: 12 });
  sessionTimeout = envNumber('KAFKA_SESSION_TIMEOUT_S', 30, { min: 6, max: 300 }) * 1000;
} catch (error) {
  fail(NAME, error instanceof Error ? error.message : String(error));
}
const logPath = envString('ALERTAS_LOG', 'alertas.log');
const groupId = envString('ALERTS_GROUP', 'consumidor-alertas');

// ---- state: what each sink already holds ----

const ledger = new AlertLedger(threshold);
let log: AlertLogFile;
try {
  const back = await readAlertLog(logPath, (alert) => ledger.logged(alert));
  log = await openAlertLog(logPath);
  const torn =
    back.torn === 0
      ? ''
      : `; ignored ${back.torn} cut short by a crash (their quakes are alerted again)`;
  console.log(`${logPath}: ${plural(back.alerts, 'alert')} read back${torn}`);
} catch (error) {
  fail(
    NAME,
    `cannot use the alert log ${logPath} (${error instanceof Error ? error.message : String(error)}); set ALERTAS_LOG to a file in a writable directory`,
  );
}

const kafka = createKafka('consumidor-alertas', SERVICE_RETRY);
const producer = createAckedProducer(kafka);
const consumer = kafka.consumer({
  groupId,
  sessionTimeout,
  // Crashes kafkajs can recover from (a lost broker) restart the consumer; the CRASH handler says so.
  retry: { ...SERVICE_RETRY.retry, restartOnFailure: async () => true },
});
/** False until `sismos-alertas` has been read back, and again after a rebalance or a failed send. */
let publishedKnown = false;
let alertsThisRun = 0;
let joined = false;
let stopping = false;

// ---- one record ----

/** Handles one `sismos` record; true when it wrote to a sink (so its offset is committed at once). */
async function handle(partition: number, message: KafkaMessage): Promise<boolean> {
  const where = `${topics.sismos} [${partition}] @ ${message.offset}`;
  let quake: Quake;
  try {
    quake = decodeMessage(message.value);
  } catch (error) {
    if (!(error instanceof MessageError)) throw error;
    await deadLetter(partition, message, error, where);
    return true;
  }
  // Deciding needs to know what the alerts topic holds.
  if (!publishedKnown) await refreshPublished();
  const action = ledger.decide(quake);
  switch (action.kind) {
    case 'alert':
      await alert(quake, action);
      return true;
    case 'update': {
      const before = magnitude(action.previous.mag);
      console.log(
        printable(
          `update ${quake.id} ${before} → ${magnitude(quake.mag)} (revised ${formatUtc(quake.updated)}): already alerted, no new alert`,
        ),
      );
      ledger.revised(quake);
      return false;
    }
    case 'expired':
      console.log(
        printable(
          `skipped ${where} (${quake.id}): a quake of ${formatUtc(quake.time)} is older than the ${ALERT_MEMORY_MS / DAY_MS} days of alerts remembered`,
        ),
      );
      return false;
    case 'ignore':
      return false;
  }
}

/** Writes the alert to whichever sink does not hold it yet: the log first, then the topic. */
async function alert(
  quake: Quake,
  { writeLog, publish }: Extract<AlertAction, { kind: 'alert' }>,
): Promise<void> {
  const sinks: string[] = [];
  if (writeLog) {
    try {
      await log.append(formatLogEntry(quake, Date.now()));
    } catch (error) {
      throw problem(
        `cannot write the alert for ${quake.id} to ${logPath} (${error instanceof Error ? error.message : String(error)}); free disk space or fix ALERTAS_LOG; retrying, offset not committed`,
        error,
      );
    }
    ledger.logged(alertOf(quake));
    console.log(formatAlertBox(alertFields(quake)));
    sinks.push(logPath);
  }
  if (publish) {
    let where: string;
    try {
      const [report] = await producer.send(topics.alertas, [
        { key: quake.id, value: encodeMessage(quake) },
      ]);
      where = `${topics.alertas} [${report?.partition}] @ ${report?.baseOffset}`;
    } catch (error) {
      publishedKnown = false;
      throw problem(
        `cannot publish the alert for ${quake.id} to ${topics.alertas}: ${describeKafkaError(error)}; retrying, offset not committed`,
        error,
      );
    }
    ledger.published(alertOf(quake));
    sinks.push(where);
  }
  if (writeLog) alertsThisRun++;
  const already = !writeLog
    ? ` (${logPath} already had it)`
    : !publish
      ? ` (${topics.alertas} already had it)`
      : '';
  console.log(printable(`  ${quake.id} ${magnitude(quake.mag)} → ${sinks.join(', ')}${already}`));
}

/**
 * Reports an unreadable record in one line and copies it, as it was, to the dead-letter topic. A
 * value larger than the dead-letter topic takes is left out of the copy (a header gives its size):
 * retrying could never succeed, and the group would stall on it.
 */
async function deadLetter(
  partition: number,
  message: KafkaMessage,
  error: MessageError,
  where: string,
): Promise<void> {
  const key = message.key === null ? '' : ` key=${message.key.toString()}`;
  const headers = {
    'sismos-error': `${error.code}: ${error.message}`,
    'sismos-source': `${topics.sismos}/${partition}@${message.offset}`,
  };
  let copied = '';
  try {
    try {
      await producer.send(topics.dlq, [{ key: message.key, value: message.value, headers }]);
    } catch (sendError) {
      if (!isTooLarge(sendError)) throw sendError;
      const size = `${message.value?.length ?? 0} bytes`;
      await producer.send(topics.dlq, [
        { key: message.key, value: null, headers: { ...headers, 'sismos-value-dropped': size } },
      ]);
      copied = ' without its value, which is larger than the topic takes';
    }
  } catch (sendError) {
    throw problem(
      `cannot copy the unreadable record ${where} to ${topics.dlq}: ${describeKafkaError(sendError)}; retrying, offset not committed`,
      sendError,
    );
  }
  console.error(
    printable(`skipped ${where}${key}: ${error.message}; copied to ${topics.dlq}${copied}`),
  );
}

/** Learns which alerts `sismos-alertas` holds, reading it from the start. */
async function refreshPublished(): Promise<void> {
  ledger.forgetPublished();
  let records: number;
  try {
    records = await readBack(kafka, 'consumidor-alertas', topics.alertas, null, (record) => {
      try {
        ledger.published(alertOf(decodeMessage(record.value)));
      } catch {
        // Not an alert this consumer wrote; it cannot be one we would write again either.
      }
    });
  } catch (error) {
    throw problem(
      `cannot read back ${topics.alertas} to learn which alerts it holds: ${describeKafkaError(error)}; retrying`,
      error,
    );
  }
  publishedKnown = true;
  console.log(`read back ${topics.alertas}: ${plural(records, 'alert')} already published`);
}

/** Prints the line (one per failure) and returns the error for kafkajs, which retries the batch. */
function problem(line: string, cause: unknown): Error {
  console.error(printable(line));
  return new Error(line, { cause });
}

function magnitude(mag: number | null): string {
  return mag === null ? 'M?' : `M${mag.toFixed(1)}`;
}

// ---- the consumer group and shutdown ----

consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  // After a rebalance another member may have published alerts for the partitions we now own.
  publishedKnown = false;
  joined = true;
  const partitions = payload.memberAssignment[topics.sismos] ?? [];
  console.log(
    `joined group ${groupId} on ${topics.sismos} (partitions ${partitions.join(',') || 'none'}); alerting at magnitude >= ${threshold}, Ctrl+C to stop`,
  );
});
reportCrashes(consumer, NAME, () => stopping);

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  // disconnect() lets the batch in hand finish; eachBatch commits what it handled before returning.
  await consumer.disconnect().catch(() => {});
  await producer.close();
  await log.close();
  const left = joined ? `left group ${groupId}, offsets committed` : 'never joined the group';
  console.log(`${signal}: ${left}; ${plural(alertsThisRun, 'alert')} this run.`);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

async function start(): Promise<void> {
  if (!(await connectConsumer(consumer, topics.sismos, () => stopping))) return;
  await consumer.run({
    autoCommit: false,
    // Offsets are resolved one by one, after the record's alert is durable; never a whole batch at once.
    eachBatchAutoResolve: false,
    eachBatch: async ({
      batch,
      resolveOffset,
      heartbeat,
      commitOffsetsIfNecessary,
      uncommittedOffsets,
      isRunning,
      isStale,
    }) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const wrote = await handle(batch.partition, message);
        resolveOffset(message.offset);
        if (wrote) await commitOffsetsIfNecessary(uncommittedOffsets());
        await heartbeat();
      }
      await commitOffsetsIfNecessary(uncommittedOffsets());
    },
  });
}

await start();
