/**
 * Challenge 4 — connect to a real API (USGS earthquakes).
 * Polls a USGS GeoJSON summary feed (all_hour, every 30 s) and publishes each new quake once to the
 * topic `sismos` as the challenge-4 message keyed by the quake id, and each revision of one (a newer
 * `updated`) to `sismos-revisiones` (REVISIONS_TOPIC: `sismos` puts them in `sismos` too, empty drops them).
 *
 *   npm run productor-sismos
 *   npm run productor-sismos -- --feed 4.5_day --interval 60
 *   npm run productor-sismos -- --url https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/significant_week.geojson
 *   npm run productor-sismos -- --format avro     # Avro + schema registry, to sismos-avro
 *
 * What it already published is read back from `sismos` and the revisions topic at start-up (the
 * records of the last feed window), so a restart republishes nothing. A quake counts as published only once the
 * broker acknowledged it; after a failed send the topic is read back again before the next one.
 */
import { parseArgs } from 'node:util';
import { ConfigError, FeedError, MessageError, type SismosError } from '../src/core/errors.ts';
import type { ParsedFeed, Reject } from '../src/core/feed.ts';
import { feedRecords, recordSends, recordsPublished } from '../src/core/feed-records.ts';
import { encodeMessage } from '../src/core/message.ts';
import { SeenQuakes } from '../src/core/seen.ts';
import { printable } from '../src/core/text.ts';
import { HOUR_MS, SECOND_MS } from '../src/core/time.ts';
import { formatDuration, formatUtc, plural } from './lib/console.ts';
import { envNumber, envString } from './lib/env.ts';
import { chooseFeed } from './lib/feed-choice.ts';
import { feedProblem, fetchFeed } from './lib/fetch-feed.ts';
import { helpText, QUAKE_SOURCE } from './lib/help.ts';
import { createKafka, kafkaBrokers, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { AvroWriter, MessageReader, messageFormat, schemaRegistry } from './lib/message-format.ts';
import { pollLoop, pollSettings, SECONDS_RANGE } from './lib/poll-loop.ts';
import { createAckedProducer } from './lib/producer.ts';
import { readBack } from './lib/read-back.ts';
import { RegistryError } from './lib/schema-registry.ts';
import { Service, StepError } from './lib/service.ts';
import { quakeTopic, quakeTopics, revisionsTopic } from './lib/topics.ts';

const service = new Service(
  'productor_sismos',
  helpText('productor_sismos', {
    summary:
      'challenge 4: polls a USGS GeoJSON feed and publishes each new quake once to sismos, and its revisions to sismos-revisiones.',
    usage: 'npm run productor-sismos -- [--feed NAME] [--url URL] [--interval SECONDS]',
    variables: [
      ...QUAKE_SOURCE,
      'REVISIONS_TOPIC',
      'USGS_FEED',
      'USGS_FEED_URL',
      'POLL_INTERVAL_S',
      'FETCH_TIMEOUT_S',
      'RETRY_FIRST_S',
      'RETRY_MAX_S',
      'KAFKAJS_LOG_LEVEL',
    ],
  }),
);
/** Records this much older than the feed window are read back too: a quake is published after it happens. */
const READ_BACK_MARGIN_MS = HOUR_MS;
/** How many reject reasons one line lists. */
const REASONS_SHOWN = 3;

// ---- configuration, read once ----

const USAGE =
  'usage: productor_sismos [--feed NAME] [--url URL] [--interval SECONDS] [--format json|avro]';

service.config(kafkaBrokers);
const config = service.config(() => {
  const { values } = parseFlags();
  const feed = chooseFeed(values.feed, values.url, {
    name: 'USGS_FEED or --feed',
    url: 'USGS_FEED_URL or --url',
  });
  const intervalMs =
    values.interval === undefined
      ? envNumber('POLL_INTERVAL_S', 30, SECONDS_RANGE) * SECOND_MS
      : flagSeconds('--interval', values.interval);
  return { feed, format: messageFormat(values.format), ...pollSettings(intervalMs) };
});

function parseFlags() {
  try {
    return parseArgs({
      options: {
        feed: { type: 'string', default: envString('USGS_FEED', 'all_hour') },
        url: { type: 'string', default: envString('USGS_FEED_URL', '') },
        interval: { type: 'string' },
        format: { type: 'string' },
      },
    });
  } catch (error) {
    throw new ConfigError('CONFIG_FLAG', `${(error as Error).message}; ${USAGE}`);
  }
}

function flagSeconds(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= SECONDS_RANGE.min && value <= SECONDS_RANGE.max)) {
    throw new ConfigError(
      'CONFIG_FLAG',
      `${flag} must be a number of seconds between ${SECONDS_RANGE.min} and ${SECONDS_RANGE.max}, got "${raw}"`,
    );
  }
  return value * SECOND_MS;
}

// ---- state ----

const { feed: source } = config;
const sismosTopic = quakeTopic(config.format);
const revisions = revisionsTopic(config.format);
const kafka = createKafka('productor-sismos', SERVICE_RETRY);
const seen = new SeenQuakes(source.windowMs);
const producer = createAckedProducer(kafka);
const registry = config.format === 'avro' ? schemaRegistry() : null;
/** Writes Avro records when the format is avro; null writes the course's JSON. */
const avroWriter = registry === null ? null : new AvroWriter(registry, sismosTopic);
const reader = new MessageReader(config.format, registry);
/** False until `sismos` has been read back, and again after a send whose outcome is unknown. */
let stateKnown = false;
let polls = 0;
let publishedThisRun = 0;
/** The reject reasons last printed, so a feed that stays half-valid is explained once. */
let lastRejects = '';

// ---- one poll ----

/** Fetches the feed and publishes what is new; throws a FeedError or a StepError when it cannot. */
async function poll(): Promise<void> {
  const feed = await fetchFeed(source.url, config.timeoutMs, service.stopping);
  polls++;
  reportRejects(feed);

  if (!stateKnown) {
    try {
      await readBackState();
    } catch (error) {
      const why = error instanceof RegistryError ? error.message : kafkaError(error).message;
      throw new StepError(
        `cannot read back ${sismosTopic} to learn what is already published: ${why}`,
        error,
      );
    }
    stateKnown = true;
  }

  if (avroWriter !== null) await registerSchema(avroWriter);

  const records = feedRecords(seen, feed.quakes);
  for (const { topic, quakes } of recordSends(records, sismosTopic, revisions)) {
    try {
      await producer.send(
        topic,
        quakes.map((quake) => ({
          key: quake.id,
          value: avroWriter === null ? encodeMessage(quake) : avroWriter.encode(quake),
        })),
      );
    } catch (error) {
      // The broker may have stored some of them before failing: ask it again before the next send.
      stateKnown = false;
      throw new StepError(
        `cannot publish ${quakes.length} quakes to ${topic}: ${kafkaError(error).message}; they are sent at the next try`,
        error,
      );
    }
    publishedThisRun += quakes.length;
  }
  recordsPublished(seen, records, Date.now());
  const generated =
    feed.metadata.generated === null
      ? 'feed generation time unknown'
      : `feed generated ${formatUtc(feed.metadata.generated)}`;
  const dropped =
    revisions === null && records.revised > 0 ? ' (dropped: REVISIONS_TOPIC is empty)' : '';
  console.log(
    `poll ${polls}: ${records.fresh} new, ${records.revised} revised${dropped}, ${records.unchanged} unchanged, ${feed.rejects.length} rejected; ${generated}`,
  );
}

/**
 * Registers the Avro schema (once); a registry that refuses it ends the command with the
 * registry's reason, since no record could be written until someone changes the schema.
 */
async function registerSchema(writer: AvroWriter): Promise<void> {
  try {
    await writer.register();
  } catch (error) {
    if (error instanceof RegistryError && !error.retriable) service.fail(error.message);
    if (error instanceof RegistryError) throw new StepError(error.message, error);
    throw error;
  }
}

/** Rebuilds the seen-set from the records of the quakes' topic (and of the revisions topic) of the last feed window. */
async function readBackState(): Promise<void> {
  seen.clear();
  const span = source.windowMs + READ_BACK_MARGIN_MS;
  let unreadable = 0;
  const values: { value: Buffer | null; timestamp: number }[] = [];
  let records = 0;
  for (const topic of quakeTopics(config.format)) {
    records += await readBack(kafka, 'productor-sismos', topic, Date.now() - span, (record) =>
      values.push(record),
    );
  }
  for (const record of values) {
    const quake = await reader.read(record.value, Date.now());
    if (quake instanceof MessageError) unreadable++;
    else seen.remember(quake.id, quake.updated, record.timestamp);
  }
  const skipped = unreadable === 0 ? '' : `, ${unreadable} unreadable records ignored`;
  console.log(
    `read back ${quakeTopics(config.format).join(' and ')} from the last ${formatDuration(span)}: ${records} records, ${seen.size} quakes already published${skipped}`,
  );
}

function reportRejects(feed: ParsedFeed): void {
  const reasons = feed.rejects.map(describeReject);
  const signature = reasons.join('\n');
  if (signature === lastRejects) return;
  lastRejects = signature;
  if (reasons.length === 0) return;
  const more = reasons.length > REASONS_SHOWN ? `; and ${reasons.length - REASONS_SHOWN} more` : '';
  const total = feed.quakes.length + feed.rejects.length;
  console.error(
    printable(
      `USGS feed at ${source.url}: ${feed.rejects.length} of ${total} features skipped, the other ${feed.quakes.length} are published: ${reasons.slice(0, REASONS_SHOWN).join('; ')}${more}`,
    ),
  );
}

function describeReject({ index, id, reason }: Reject): string {
  return `#${index}${id === null ? '' : ` (${id})`} ${reason}`;
}

/** Where revisions go, for the first line. */
function revisionsNote(): string {
  if (revisions === null) return 'revisions dropped: REVISIONS_TOPIC is empty';
  return revisions === sismosTopic
    ? `revisions to ${sismosTopic} too`
    : `revisions to ${revisions}`;
}

// ---- the polling loop and shutdown ----

/** One line naming what failed: the feed and its problem, or the Kafka step. */
function problem(error: SismosError): string {
  return error instanceof FeedError ? feedProblem(source.url, error) : error.message;
}

const polling = pollLoop(config.schedule, service.stopping, poll, {
  onFailure: (error, next) =>
    console.error(printable(`${problem(error)}; retrying in ${formatDuration(next.delayMs)}`)),
});
service.onStop(async () => {
  // The send in progress finishes first: what was handed to Kafka is flushed before disconnecting.
  await polling;
  await producer.close();
  return `stopped polling after ${plural(polls, 'poll')}; ${plural(publishedThisRun, 'record')} published this run; disconnected.`;
});
console.log(
  `${service.name}: polling ${source.label} every ${formatDuration(config.schedule.periodMs)} into topic ${sismosTopic} (${registry === null ? '' : `Avro, schemas in ${registry.url}; `}${revisionsNote()}) at ${kafkaBrokers().join(',')}; Ctrl+C to stop`,
);
await polling;
