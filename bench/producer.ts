/**
 * Benchmark 4, the USGS producer: one poll of the 20,000-quake feed as productor_sismos handles it
 * (parse the text, sort its quakes by what is already published, publish the new ones as
 * challenge-4 messages with the idempotent acks=all producer, remember them), against JSON.parse
 * of the same text in the same process, on the real broker.
 *
 *   npx tsx bench/producer.ts      (BENCH_RUNS=7 by default; KAFKA_BROKERS to use a running broker)
 *
 * Each run publishes into a new topic: the first poll publishes all 20,000 quakes, the second
 * (the same feed regenerated) none, the third the 1% of them that USGS revised. Each run also
 * times a bare kafkajs producer (same settings, acks and sends) sending the first poll's 20,000
 * messages, already encoded, into another new topic: the most the first poll could reach.
 */
import { Kafka, logLevel, type Message, Partitioners } from 'kafkajs';

import { createKafka, SERVICE_RETRY } from '../bridge/lib/kafka.ts';
import { chunkBySize, createAckedProducer } from '../bridge/lib/producer.ts';
import { parseFeedText } from '../src/core/feed.ts';
import { feedRecords, recordsPublished } from '../src/core/feed-records.ts';
import { encodeMessage } from '../src/core/message.ts';
import type { Quake } from '../src/core/quake.ts';
import { SeenQuakes } from '../src/core/seen.ts';
import { createTopics, freshTopic, withBroker } from './lib/broker.ts';
import { SYNTHETIC_QUAKES, syntheticText } from './lib/feeds.ts';
import { saveResult, timed } from './lib/results.ts';
import { figure, figuresTable, format, median, ratios, renderTable } from './lib/stats.ts';
import type { RawFeed } from './lib/synthetic-feed.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WEEK_MS = 7 * 24 * 3_600_000;

interface PollTimes {
  readonly total: number;
  readonly parse: number;
  readonly diff: number;
  readonly produce: number;
  readonly published: number;
}

/** One poll of productor_sismos (bridge/productor_sismos.ts poll()), without the download. */
async function poll(
  text: string,
  seen: SeenQuakes,
  publish: (quakes: Quake[]) => Promise<void>,
): Promise<PollTimes> {
  const start = performance.now();
  const feed = parseFeedText(text);
  const parsed = performance.now();
  const records = feedRecords(seen, feed.quakes);
  const sorted = performance.now();
  if (records.outgoing.length > 0) await publish([...records.outgoing]);
  recordsPublished(seen, records, Date.now());
  const end = performance.now();
  return {
    total: end - start,
    parse: parsed - start,
    diff: sorted - parsed,
    produce: end - sorted,
    published: records.outgoing.length,
  };
}

function jsonParse(text: string): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    JSON.parse(text);
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Milliseconds a bare kafkajs producer takes to send `messages` to a new topic: the settings of
 * createAckedProducer (idempotent, one request in flight, acks=all) and its sends of at most
 * MAX_SEND_BYTES, with nothing around them; connected before the clock starts.
 */
async function bareSend(brokers: string, messages: Message[]): Promise<number> {
  const topic = freshTopic('bench-bare');
  await createTopics(brokers, [topic]);
  const producer = new Kafka({
    clientId: 'bench-bare-producer',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const start = performance.now();
    for (const chunk of chunkBySize(messages))
      await producer.send({ topic, acks: -1, messages: chunk });
    return performance.now() - start;
  } finally {
    await producer.disconnect();
  }
}

/** The feed with 1% of its quakes revised by USGS (a newer `updated`, a new magnitude). */
function revisedText(text: string): string {
  const feed = JSON.parse(text) as RawFeed;
  feed.features.forEach((feature, i) => {
    if (i % 100 !== 0) return;
    feature.properties.updated += 60_000;
    feature.properties.mag = ((feature.properties.mag as number | null) ?? 1) + 0.1;
  });
  return JSON.stringify(feed);
}

async function main(): Promise<void> {
  const text = syntheticText();
  const revised = revisedText(text);
  const messages = parseFeedText(text).quakes.map((quake) => ({
    key: quake.id,
    value: encodeMessage(quake),
  }));
  const result = await withBroker((brokers) =>
    timed(async () => {
      const kafka = createKafka('bench-producer', SERVICE_RETRY);
      const producer = createAckedProducer(kafka);
      const warmUp = freshTopic('bench-warm-up');
      await createTopics(brokers, [warmUp]);
      // The producer connects once and stays connected, as in productor_sismos; sending the
      // messages once compiles kafkajs's encoding first, so that neither the poll nor the bare
      // producer pays for it (the bare one ran after the polls, warmer, and looked faster).
      await producer.send(warmUp, messages);
      const rows: {
        first: PollTimes;
        again: PollTimes;
        revised: PollTimes;
        parse: number[];
        bare: number;
      }[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const topic = freshTopic('bench-sismos');
        await createTopics(brokers, [topic]);
        const publish = async (quakes: Quake[]) => {
          await producer.send(
            topic,
            quakes.map((quake) => ({ key: quake.id, value: encodeMessage(quake) })),
          );
        };
        const seen = new SeenQuakes(WEEK_MS);
        // Every other run the bare producer goes first, so drift in the shared machine hits both alike.
        const bareFirst = run % 2 === 0 ? await bareSend(brokers, messages) : null;
        const parse = [jsonParse(text)];
        const first = await poll(text, seen, publish);
        parse.push(jsonParse(text));
        const again = await poll(text, seen, publish);
        parse.push(jsonParse(revised));
        const changed = await poll(revised, seen, publish);
        const bare = bareFirst ?? (await bareSend(brokers, messages));
        if (first.published !== SYNTHETIC_QUAKES || again.published !== 0) {
          throw new Error(`published ${first.published} then ${again.published} quakes`);
        }
        rows.push({ first, again, revised: changed, parse, bare });
        console.log(
          `run ${run}/${RUNS}: first poll ${format(first.total)} ms (parse ${format(first.parse)}, diff ${format(first.diff)}, produce ${format(first.produce)}), unchanged ${format(again.total)} ms, 1% revised ${format(changed.total)} ms (${changed.published} published); bare producer ${format(bare)} ms; JSON.parse ${parse.map(format).join(', ')} ms`,
        );
      }
      await producer.close();
      const baseline = (i: number) => rows.map((r) => r.parse[i] as number);
      const ms = (values: number[]) => `${format(median(values))} ms`;
      const figures = [
        figure(
          'producer-first-throughput',
          `first poll of ${SYNTHETIC_QUAKES.toLocaleString('en')} quakes ÷ a bare kafkajs producer sending the same messages (throughput)`,
          '×',
          ratios(
            rows.map((r) => r.bare),
            rows.map((r) => r.first.total),
          ),
          { op: '>=', value: 0.8 },
        ),
        figure(
          'producer-first',
          `first poll of ${SYNTHETIC_QUAKES.toLocaleString('en')} quakes (all published) ÷ JSON.parse`,
          '×',
          ratios(
            rows.map((r) => r.first.total),
            baseline(0),
          ),
        ),
        figure(
          'producer-unchanged',
          'poll of the same feed (nothing published) ÷ JSON.parse',
          '×',
          ratios(
            rows.map((r) => r.again.total),
            baseline(1),
          ),
        ),
        figure(
          'producer-revised',
          'poll with 1% of the quakes revised ÷ JSON.parse',
          '×',
          ratios(
            rows.map((r) => r.revised.total),
            baseline(2),
          ),
        ),
      ];
      const split = (pick: (r: (typeof rows)[number]) => PollTimes) => [
        ms(rows.map((r) => pick(r).total)),
        ms(rows.map((r) => pick(r).parse)),
        ms(rows.map((r) => pick(r).diff)),
        ms(rows.map((r) => pick(r).produce)),
      ];
      return {
        title: 'USGS producer (productor_sismos, real broker)',
        figures,
        tables: [
          {
            title: `one poll of the synthetic ${SYNTHETIC_QUAKES.toLocaleString('en')}-quake feed (${(text.length / 1e6).toFixed(1)} MB): medians of ${RUNS} runs`,
            headers: ['poll', 'total', 'parse', 'diff', 'produce (acks=all)'],
            rows: [
              ['first: 20,000 published', ...split((r) => r.first)],
              ['same feed again: 0 published', ...split((r) => r.again)],
              ['1% revised: 200 published', ...split((r) => r.revised)],
              ['JSON.parse of the text', ms(baseline(0)), '', '', ''],
              [
                'bare kafkajs producer: the same 20,000 messages, encoded',
                ms(rows.map((r) => r.bare)),
                '',
                '',
                ms(rows.map((r) => r.bare)),
              ],
            ],
          },
        ],
        notes: [
          'The poll runs the same library calls as productor_sismos: parseFeedText, feedRecords, the idempotent acks=all producer of bridge/lib/producer.ts (sends of at most 900 kB in order), then recordsPublished. Downloading the feed and the one-time read-back of the topic at start-up are not included.',
          'The producer is connected before the first poll, as it stays connected between polls.',
          "The bare producer is the baseline of the throughput figure: a kafkajs producer with the settings of bridge/lib/producer.ts (idempotent, one request in flight, acks=all) sending the first poll's messages, already encoded, in the same sends of at most 900 kB; connected before its clock starts.",
        ],
      };
    }),
  );
  for (const table of [...result.tables, figuresTable('Figures', result.figures)]) {
    console.log(`\n${renderTable(table)}`);
  }
  saveResult('producer', result);
  process.exit(0);
}

await main();
