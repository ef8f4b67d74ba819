/**
 * Challenge 4 — connect to a real API (USGS earthquakes).
 * Polls a USGS GeoJSON summary feed (all_hour, every 30 s) and publishes each new quake, and each
 * revision of one, to the topic `sismos` as the challenge-4 message keyed by the quake id.
 *
 *   npm run productor-sismos
 *   npm run productor-sismos -- --feed 4.5_day --interval 60
 *   npm run productor-sismos -- --url https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/significant_week.geojson
 *
 * What it already published is read back from `sismos` itself at start-up (the records of the
 * last feed window), so a restart republishes nothing. A quake counts as published only once the
 * broker acknowledged it; after a failed send the topic is read back again before the next one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type Backoff, retryDelayMs } from '../src/core/backoff.ts';
import { FeedError } from '../src/core/errors.ts';
import type { ParsedFeed, Reject } from '../src/core/feed.ts';
import { decodeMessage, encodeMessage } from '../src/core/message.ts';
import { SeenQuakes } from '../src/core/seen.ts';
import { printable } from '../src/core/text.ts';
import { HOUR_MS } from '../src/core/time.ts';
import { fail, formatDuration, formatUtc, plural } from './lib/console.ts';
import { envNumber, envString } from './lib/env.ts';
import { chooseFeed } from './lib/feed-choice.ts';
import { feedProblem, fetchFeed } from './lib/fetch-feed.ts';
import { createKafka, kafkaBrokers, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { createAckedProducer } from './lib/producer.ts';
import { readBack } from './lib/read-back.ts';
import { topics } from './lib/topics.ts';

const NAME = 'productor_sismos';
/** Records this much older than the feed window are read back too: a quake is published after it happens. */
const READ_BACK_MARGIN_MS = HOUR_MS;
/** How many reject reasons one line lists. */
const REASONS_SHOWN = 3;

// ---- configuration, read once ----

interface Config {
  readonly url: string;
  /** The feed's name when it is one of the 20 USGS feeds, else the URL. */
  readonly label: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly backoff: Backoff;
  readonly windowMs: number;
}

const USAGE = 'usage: productor_sismos [--feed NAME] [--url URL] [--interval SECONDS]';

function readConfig(): Config {
  const { values } = parseArgs({
    options: {
      feed: { type: 'string', default: envString('USGS_FEED', 'all_hour') },
      url: { type: 'string', default: envString('USGS_FEED_URL', '') },
      interval: { type: 'string' },
    },
  });
  const feed = chooseFeed(values.feed, values.url, {
    name: 'USGS_FEED or --feed',
    url: 'USGS_FEED_URL or --url',
  });
  const seconds = (name: string, fallback: number) =>
    envNumber(name, fallback, SECONDS_RANGE) * 1000;
  const backoff = { firstMs: seconds('RETRY_FIRST_S', 5), maxMs: seconds('RETRY_MAX_S', 300) };
  if (backoff.maxMs < backoff.firstMs) {
    throw new Error(
      `RETRY_MAX_S (${backoff.maxMs / 1000}) must not be below RETRY_FIRST_S (${backoff.firstMs / 1000})`,
    );
  }
  return {
    url: feed.url,
    label: feed.label,
    intervalMs:
      values.interval === undefined
        ? seconds('POLL_INTERVAL_S', 30)
        : flagSeconds('--interval', values.interval),
    timeoutMs: seconds('FETCH_TIMEOUT_S', 10),
    backoff,
    windowMs: feed.windowMs,
  };
}

const SECONDS_RANGE = { min: 0.01, max: 86_400 };

function flagSeconds(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= SECONDS_RANGE.min && value <= SECONDS_RANGE.max)) {
    throw new Error(
      `${flag} must be a number of seconds between ${SECONDS_RANGE.min} and ${SECONDS_RANGE.max}, got "${raw}"`,
    );
  }
  return value * 1000;
}

let config: Config;
try {
  config = readConfig();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  fail(NAME, message.startsWith('Unknown option') ? `${message}; ${USAGE}` : message);
}

// ---- state ----

const kafka = createKafka('productor-sismos', SERVICE_RETRY);
const seen = new SeenQuakes(config.windowMs);
const producer = createAckedProducer(kafka);
/** False until `sismos` has been read back, and again after a send whose outcome is unknown. */
let stateKnown = false;
let polls = 0;
let publishedThisRun = 0;
/** The reject reasons last printed, so a feed that stays half-valid is explained once. */
let lastRejects = '';
let stopSignal: string | null = null;
const stopping = new AbortController();

// ---- one poll ----

/** Fetches the feed and publishes what is new; returns the problem that stopped it, or null. */
async function poll(): Promise<string | null> {
  let feed: ParsedFeed;
  try {
    feed = await fetchFeed(config.url, config.timeoutMs, stopping.signal);
  } catch (error) {
    if (stopping.signal.aborted) return null;
    // The parser's messages start with "feed is not …"; the line already says which feed.
    if (error instanceof FeedError) {
      return feedProblem(config.url, error);
    }
    throw error;
  }
  polls++;
  reportRejects(feed);

  if (!stateKnown) {
    try {
      await readBackState();
    } catch (error) {
      return `cannot read back ${topics.sismos} to learn what is already published: ${kafkaError(error).message}`;
    }
    stateKnown = true;
  }

  const { fresh, revised, unchanged } = seen.sort(feed.quakes);
  const outgoing = [...fresh, ...revised];
  const now = Date.now();
  if (outgoing.length > 0) {
    try {
      await producer.send(
        topics.sismos,
        outgoing.map((quake) => ({ key: quake.id, value: encodeMessage(quake) })),
      );
    } catch (error) {
      // The broker may have stored some of them before failing: ask it again before the next send.
      stateKnown = false;
      return `cannot publish ${outgoing.length} quakes to ${topics.sismos}: ${kafkaError(error).message}; they are sent at the next try`;
    }
    for (const quake of outgoing) seen.markSent(quake, now);
    publishedThisRun += outgoing.length;
  }
  seen.touch(feed.quakes, now);
  seen.forget(now);
  const generated =
    feed.metadata.generated === null
      ? 'feed generation time unknown'
      : `feed generated ${formatUtc(feed.metadata.generated)}`;
  console.log(
    `poll ${polls}: ${fresh.length} new, ${revised.length} revised, ${unchanged} unchanged, ${feed.rejects.length} rejected; ${generated}`,
  );
  return null;
}

/** Rebuilds the seen-set from the records of `sismos` of the last feed window. */
async function readBackState(): Promise<void> {
  seen.clear();
  const span = config.windowMs + READ_BACK_MARGIN_MS;
  let unreadable = 0;
  const records = await readBack(
    kafka,
    'productor-sismos',
    topics.sismos,
    Date.now() - span,
    (record) => {
      try {
        const quake = decodeMessage(record.value);
        seen.remember(quake.id, quake.updated, record.timestamp);
      } catch {
        unreadable++;
      }
    },
  );
  const skipped = unreadable === 0 ? '' : `, ${unreadable} unreadable records ignored`;
  console.log(
    `read back ${topics.sismos} from the last ${formatDuration(span)}: ${records} records, ${seen.size} quakes already published${skipped}`,
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
      `USGS feed at ${config.url}: ${feed.rejects.length} of ${total} features skipped, the other ${feed.quakes.length} are published: ${reasons.slice(0, REASONS_SHOWN).join('; ')}${more}`,
    ),
  );
}

function describeReject({ index, id, reason }: Reject): string {
  return `#${index}${id === null ? '' : ` (${id})`} ${reason}`;
}

// ---- the polling loop and shutdown ----

async function run(): Promise<void> {
  let failures = 0;
  while (!stopping.signal.aborted) {
    const started = Date.now();
    const problem = await poll();
    let delay: number;
    if (problem === null) {
      failures = 0;
      delay = Math.max(0, config.intervalMs - (Date.now() - started));
    } else {
      failures++;
      delay = retryDelayMs(failures, config.backoff);
      if (!stopping.signal.aborted) {
        console.error(printable(`${problem}; retrying in ${formatDuration(delay)}`));
      }
    }
    await sleep(delay, undefined, { signal: stopping.signal }).catch(() => {});
  }
}

function stop(signal: string): void {
  if (stopSignal !== null) return;
  stopSignal = signal;
  stopping.abort(new Error(`stopped by ${signal}`));
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

console.log(
  `${NAME}: polling ${config.label} every ${formatDuration(config.intervalMs)} into topic ${topics.sismos} at ${kafkaBrokers().join(',')}; Ctrl+C to stop`,
);
await run();
// A send in progress was awaited by run(): what was handed to Kafka is flushed before this point.
await producer.close();
console.log(
  `${stopSignal}: stopped polling after ${plural(polls, 'poll')}; ${plural(publishedThisRun, 'record')} published this run; disconnected.`,
);
process.exit(0);
