/**
 * Challenge 5 — alert system.
 * Reads `sismos` and its revisions (`sismos-revisiones`, REVISIONS_TOPIC) in the consumer group
 * `consumidor-alertas` and, for every quake of magnitude 4.5 or more (as first published or revised), prints the course's boxed ALERTA SISMICA, appends it to `alertas.log` and publishes it
 * to `sismos-alertas`: once per quake, across restarts, rebalances, replays and crashes.
 *
 *   npm run consumidor-alertas
 *   ALERT_THRESHOLD=2.5 ALERTAS_LOG=/tmp/alertas.log npm run consumidor-alertas
 *
 * For each record: write the log entry (fsync), publish the alert (acks=all), then commit the
 * offset. Both sinks are read back at start-up (and the topic again after a rebalance or a failed
 * send), so a replay after a crash between any two steps writes only what a sink is missing.
 * Unreadable records are copied to `sismos-dlq`, skipped, and summarised on stderr (a count per
 * reason with an example, at once and then at most once a minute).
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
import { formatUtc, plural } from './lib/console.ts';
import { deadLetter } from './lib/dead-letter.ts';
import { envNumber, envString } from './lib/env.ts';
import { helpText, QUAKE_SOURCE } from './lib/help.ts';
import { createKafka, kafkaBrokers, kafkaSessionTimeoutMs, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { consumeAsService, recordByRecord } from './lib/kafka-service.ts';
import { MessageReader, messageFormat, schemaRegistry } from './lib/message-format.ts';
import { createAckedProducer } from './lib/producer.ts';
import { readBack } from './lib/read-back.ts';
import { rejectReport } from './lib/reject-report.ts';
import { failedStep, Service } from './lib/service.ts';
import { quakeTopic, quakeTopics, topics } from './lib/topics.ts';

const service = new Service(
  'consumidor_alertas',
  helpText('consumidor_alertas', {
    summary:
      'challenge 5: boxes every quake of sismos (and of its revisions) at or above the alert threshold, once per quake, on the console, in alertas.log and on sismos-alertas.',
    usage: 'npm run consumidor-alertas',
    variables: [
      ...QUAKE_SOURCE,
      'REVISIONS_TOPIC',
      'ALERTAS_TOPIC',
      'DLQ_TOPIC',
      'ALERT_THRESHOLD',
      'ALERTAS_LOG',
      'ALERTS_GROUP',
      'KAFKA_SESSION_TIMEOUT_S',
      'KAFKAJS_LOG_LEVEL',
    ],
  }),
);

// ---- configuration, read once ----

const config = service.config(() => ({
  brokers: kafkaBrokers(),
  threshold: envNumber('ALERT_THRESHOLD', DEFAULT_ALERT_THRESHOLD, { min: -10, max: 12 }),
  sessionTimeoutMs: kafkaSessionTimeoutMs(),
  logPath: envString('ALERTAS_LOG', 'alertas.log'),
  groupId: envString('ALERTS_GROUP', 'consumidor-alertas'),
  format: messageFormat(),
}));
const sismosTopic = quakeTopic(config.format);
const reader = new MessageReader(config.format, config.format === 'avro' ? schemaRegistry() : null);
const { logPath } = config;
console.log(
  `${service.name}: alerting at magnitude >= ${config.threshold} on ${quakeTopics(config.format).join(' and ')}, into ${logPath} and ${topics.alertas} at ${kafkaBrokers().join(',')}; Ctrl+C to stop`,
);

// ---- state: what each sink already holds ----

const ledger = new AlertLedger(config.threshold);
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
  service.fail(
    `cannot use the alert log ${logPath} (${error instanceof Error ? error.message : String(error)}); set ALERTAS_LOG to a file in a writable directory`,
  );
}

const kafka = createKafka('consumidor-alertas', SERVICE_RETRY);
const producer = createAckedProducer(kafka);
/** False until `sismos-alertas` has been read back, and again after a rebalance or a failed send. */
let publishedKnown = false;
let alertsThisRun = 0;
/** Unreadable records, dead-lettered and summarised on stderr rather than reported one line each. */
const rejects = rejectReport(`of ${topics.sismos}, copied to ${topics.dlq}`, (text) =>
  console.error(text),
);

// ---- one record ----

/** Handles one record of the quakes or of their revisions; true when it wrote to a sink (so its offset is committed at once). */
async function handle(partition: number, message: KafkaMessage, topic: string): Promise<boolean> {
  let quake: Quake | MessageError;
  try {
    quake = await reader.read(message.value, Date.now());
  } catch (error) {
    throw failedStep(
      `cannot read ${topic} [${partition}] @ ${message.offset}: ${(error as Error).message}; retrying, offset not committed`,
      error,
    );
  }
  if (quake instanceof MessageError) {
    await deadLetter(producer, topics.dlq, { topic, partition, message, error: quake }, rejects);
    rejects.check();
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
          `skipped ${topic} [${partition}] @ ${message.offset} (${quake.id}): a quake of ${formatUtc(quake.time)} is older than the ${ALERT_MEMORY_MS / DAY_MS} days of alerts remembered`,
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
      throw failedStep(
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
      throw failedStep(
        `cannot publish the alert for ${quake.id} to ${topics.alertas}: ${kafkaError(error).message}; retrying, offset not committed`,
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

/** Learns which alerts `sismos-alertas` holds, reading it from the start. */
async function refreshPublished(): Promise<void> {
  ledger.forgetPublished();
  let records: number;
  try {
    records = await readBack(kafka, 'consumidor-alertas', topics.alertas, null, (record) => {
      try {
        ledger.published(alertOf(decodeMessage(record.value, Date.now())));
      } catch {
        // Not an alert this consumer wrote; it cannot be one we would write again either.
      }
    });
  } catch (error) {
    throw failedStep(
      `cannot read back ${topics.alertas} to learn which alerts it holds: ${kafkaError(error).message}; retrying`,
      error,
    );
  }
  publishedKnown = true;
  console.log(`read back ${topics.alertas}: ${plural(records, 'alert')} already published`);
}

function magnitude(mag: number | null): string {
  return mag === null ? 'M?' : `M${mag.toFixed(1)}`;
}

// ---- the consumer group ----

await consumeAsService(service, {
  kafka,
  groupId: config.groupId,
  topic: sismosTopic,
  alsoTopics: quakeTopics(config.format).slice(1),
  sessionTimeoutMs: config.sessionTimeoutMs,
  // After a rebalance another member may have published alerts for the partitions we now own.
  onJoin: () => {
    publishedKnown = false;
  },
  // A record's offset is committed only once its alert is durable in both sinks.
  eachBatch: recordByRecord(handle),
  onStop: async () => {
    rejects.end();
    await producer.close();
    await log.close();
    return `${plural(alertsThisRun, 'alert')} this run`;
  },
});
