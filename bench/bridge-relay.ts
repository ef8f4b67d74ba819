/**
 * Benchmark 3, the bridge relay on the real broker: how fast bridge/server.ts (Kafka mode) gets
 * 100,000 challenge-4 messages from `sismos` to 1 and to 100 WebSocket clients (protocol 1, and
 * to 1 client of protocol 2, the dashboard's: batch frames), against a bare kafkajs consumer
 * reading the same records; and how much latency it adds at a steady 1,000 messages a second.
 *
 *   npx tsx bench/bridge-relay.ts      (BENCH_RUNS=5 by default; KAFKA_BROKERS to use a running broker)
 *
 * Throughput: the 100,000 records are produced in one Kafka transaction, so the reader (which
 * reads committed records only, kafkajs's default, like the bridge) sees them all at once when it
 * commits: throughput = records ÷ (last record at the reader − commit). The reader is a bare
 * consumer in a child process, or the bridge in its own process with its clients in one process
 * per core. With many clients the figure is bytes delivered per second, against a bare `ws`
 * server writing the same frames, pre-built, to the same readers (bench/lib/bare-broadcaster.ts).
 *
 * Latency: each record's id carries the time it was sent; the bare consumer and a WebSocket
 * client of the bridge, reading the same records at the same time, note when each arrives.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Message, Partitioners, type Producer } from 'kafkajs';
import { chunkBySize } from '../bridge/lib/producer.ts';
import { parseFeedText } from '../src/core/feed.ts';
import { encodeMessage } from '../src/core/message.ts';
import type { Quake } from '../src/core/quake.ts';
import { createTopics, freshTopic, withBroker } from './lib/broker.ts';
import { latencyId, now } from './lib/clock.ts';
import { syntheticText } from './lib/feeds.ts';
import { RECORDS, relayMessages } from './lib/relay-messages.ts';
import { saveResult, timed } from './lib/results.ts';
import { figure, figuresTable, format, median, ratios, renderTable } from './lib/stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '1,100').split(',').map(Number);
const RATE = 1000;
const LATENCY_SECONDS = 20;
const WARM_UP_SECONDS = 2;
const PHASE_TIMEOUT_MS = 180_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Settings the bridge runs with here, and why (the rest are the defaults). */
const BRIDGE_SETTINGS = {
  // A client paused by flow control catches up from the records the bridge keeps; with the
  // default 10,000 a burst of 100,000 would leave a slow client behind (closed with 4008).
  BRIDGE_BUFFER: '150000',
};

interface Topics {
  readonly quake: string;
  readonly alert: string;
  readonly stats: string;
}

function kafka(brokers: string): Kafka {
  return new Kafka({ clientId: 'bench-relay', brokers: [brokers], logLevel: logLevel.NOTHING });
}

/** Produces `records` in one transaction; resolves with the time of the commit. */
async function produceAtOnce(brokers: string, topic: string, records: Message[]): Promise<number> {
  const producer = kafka(brokers).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    transactionalId: freshTopic('bench-relay-tx'),
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const transaction = await producer.transaction();
    for (const chunk of chunkBySize(records)) await transaction.send({ topic, messages: chunk });
    const committing = now();
    await transaction.commit();
    return committing;
  } finally {
    await producer.disconnect();
  }
}

/** Produces RATE records a second, 5 every 5 ms, for `seconds`; each id carries its send time. */
async function produceSteadily(producer: Producer, topic: string, seconds: number): Promise<void> {
  const batch = 5;
  const intervalMs = (1000 * batch) / RATE;
  const started = now();
  const sends: Promise<unknown>[] = [];
  for (let seq = 0, tick = 0; now() - started < seconds * 1000; tick++) {
    const due = started + tick * intervalMs;
    const wait = due - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = now();
    const records = Array.from({ length: batch }, () => {
      const id = latencyId(seq++, sentAt);
      return { key: id, value: LATENCY_VALUE.replace(LATENCY_ID, id) };
    });
    sends.push(producer.send({ topic, acks: -1, messages: records }));
  }
  await Promise.all(sends);
}

/** A child process of ours (fork), and the messages it sends. */
interface Child {
  readonly process: ChildProcess;
  next<T extends { type: string }>(type: T['type']): Promise<T>;
  stop(): Promise<void>;
}

function child(file: string, args: string[]): Child {
  const proc = fork(fileURLToPath(new URL(file, import.meta.url)), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, (message: { type: string }) => void>();
  proc.on('message', (message: { type: string; message?: string }) => {
    if (message.type === 'error') console.error(`${file}: ${message.message}`);
    waiting.get(message.type)?.(message);
  });
  return {
    process: proc,
    next: <T extends { type: string }>(type: string) =>
      within(
        new Promise<T>((resolve) => waiting.set(type, (message) => resolve(message as T))),
        `${file} to report "${type}"`,
      ),
    stop: () => stopProcess(proc),
  };
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), PHASE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The bridge in Kafka mode on a free port; resolves with its WebSocket URL once it listens. */
async function startBridge(
  brokers: string,
  topics: Topics,
): Promise<{ url: string; stop: () => Promise<void> }> {
  // BENCH_CPU_PROF=dir writes a CPU profile of each bridge run there (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', 'bridge/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...BRIDGE_SETTINGS,
      KAFKA_BROKERS: brokers,
      SISMOS_TOPIC: topics.quake,
      ALERTAS_TOPIC: topics.alert,
      STATS_TOPIC: topics.stats,
      BRIDGE_PORT: '0',
      BRIDGE_GROUP: freshTopic('bench-bridge'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await within(
    new Promise<string>((resolve, reject) => {
      let output = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /at http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
        if (match !== null) resolve(match[1] as string);
        for (const line of output.split('\n').slice(0, -1)) {
          if (!line.startsWith('Sismos bridge')) console.log(`bridge: ${line}`);
        }
        output = output.slice(output.lastIndexOf('\n') + 1);
      });
      proc.once('exit', (code) =>
        reject(new Error(`the bridge exited with ${code} before listening`)),
      );
    }),
    'the bridge to listen',
  );
  return { url: `ws://127.0.0.1:${port}/ws`, stop: () => stopProcess(proc) };
}

async function freshTopics(brokers: string): Promise<Topics> {
  const topics = {
    quake: freshTopic('bench-sismos'),
    alert: freshTopic('bench-sismos-alertas'),
    stats: freshTopic('bench-sismos-stats'),
  };
  await createTopics(brokers, Object.values(topics));
  return topics;
}

/** Records a second from the commit to the last record at the reader. */
function throughput(committed: number, last: number): number {
  return (RECORDS * 1000) / (last - committed);
}

async function bareThroughput(brokers: string, records: Message[]): Promise<number> {
  const topics = await freshTopics(brokers);
  const reader = child('lib/bare-consumer.ts', [
    brokers,
    topics.quake,
    freshTopic('bench-bare'),
    'count',
    String(RECORDS),
  ]);
  try {
    await reader.next('ready');
    const done = reader.next<{ type: 'done'; last: number }>('done');
    const committed = await produceAtOnce(brokers, topics.quake, records);
    return throughput(committed, (await done).last);
  } finally {
    await reader.stop();
  }
}

/** Reader processes for `clients` WebSocket clients of `url`: one per core, the clients shared out. */
function readersOf(url: string, clients: number): Child[] {
  const processes = Math.min(clients, os.availableParallelism());
  return Array.from({ length: processes }, (_, i) => {
    const share = Math.floor(clients / processes) + (i < clients % processes ? 1 : 0);
    return child('lib/ws-clients.ts', [url, String(share), 'count', String(RECORDS)]);
  });
}

/** When the last client of every reader process had every record, and the bytes of those frames. */
async function allDone(readers: Child[]): Promise<{ last: number; bytes: number }> {
  const done = await Promise.all(
    readers.map((reader) => reader.next<{ type: 'done'; last: number; bytes: number }>('done')),
  );
  return {
    last: Math.max(...done.map((d) => d.last)),
    bytes: done.reduce((sum, d) => sum + d.bytes, 0),
  };
}

/** Records and bytes a second delivered to all the clients. */
interface Delivery {
  readonly records: number;
  readonly bytes: number;
}

function delivery(started: number, { last, bytes }: { last: number; bytes: number }): Delivery {
  return { records: throughput(started, last), bytes: (bytes * 1000) / (last - started) };
}

/** The bridge's WebSocket address asking for protocol `version` (docs/protocol.md, "Versions"). */
function speaking(url: string, version: number): string {
  return version === 1 ? url : `${url}?v=${version}`;
}

async function bridgeThroughput(
  brokers: string,
  records: Message[],
  clients: number,
  version = 1,
): Promise<Delivery> {
  const topics = await freshTopics(brokers);
  const bridge = await startBridge(brokers, topics);
  const readers = readersOf(speaking(bridge.url, version), clients);
  try {
    await Promise.all(readers.map((reader) => reader.next('ready')));
    const done = allDone(readers);
    const committed = await produceAtOnce(brokers, topics.quake, records);
    return delivery(committed, await done);
  } finally {
    await Promise.all(readers.map((reader) => reader.stop()));
    await bridge.stop();
  }
}

/** The same frames written by a bare `ws` server, pre-built, to the same readers. */
async function bareBroadcast(clients: number): Promise<Delivery> {
  const names = [
    freshTopic('bench-sismos'),
    freshTopic('bench-sismos-alertas'),
    freshTopic('bench-sismos-stats'),
  ];
  const server = child('lib/bare-broadcaster.ts', names);
  try {
    const { url } = await server.next<{ type: 'listening'; url: string }>('listening');
    const readers = readersOf(url, clients);
    try {
      await Promise.all(readers.map((reader) => reader.next('ready')));
      const done = allDone(readers);
      const started = server.next<{ type: 'started'; at: number }>('started');
      server.process.send({ type: 'go' });
      return delivery((await started).at, await done);
    } finally {
      await Promise.all(readers.map((reader) => reader.stop()));
    }
  } finally {
    await server.stop();
  }
}

interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Latency of the bare consumer and of WebSocket clients of the bridge (protocols 1 and 2),
 * measured together on the same records at the same time, so that the shared machine's noise hits
 * them alike.
 */
async function latencies(
  brokers: string,
): Promise<{ bare: Latency; bridge: Latency; bridge2: Latency }> {
  const topics = await freshTopics(brokers);
  const bridge = await startBridge(brokers, topics);
  const client = child('lib/ws-clients.ts', [bridge.url, '1', 'latency']);
  const client2 = child('lib/ws-clients.ts', [speaking(bridge.url, 2), '1', 'latency']);
  const bare = child('lib/bare-consumer.ts', [
    brokers,
    topics.quake,
    freshTopic('bench-bare'),
    'latency',
  ]);
  const producer = kafka(brokers).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await Promise.all([
      client.next('ready'),
      client2.next('ready'),
      bare.next('ready'),
      producer.connect(),
    ]);
    await produceSteadily(producer, topics.quake, WARM_UP_SECONDS);
    for (const reader of [client, client2, bare]) reader.process.send({ type: 'reset' });
    await produceSteadily(producer, topics.quake, LATENCY_SECONDS);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [fromBare, fromBridge, fromBridge2] = await Promise.all(
      [bare, client, client2].map((reader) => {
        const report = reader.next<Latency & { type: 'latency' }>('latency');
        reader.process.send({ type: 'report' });
        return report;
      }),
    );
    return {
      bare: fromBare as Latency,
      bridge: fromBridge as Latency,
      bridge2: fromBridge2 as Latency,
    };
  } finally {
    await producer.disconnect();
    await Promise.all([client.stop(), client2.stop(), bare.stop()]);
    await bridge.stop();
  }
}

/** The value of every latency record: a real quake happening now, with the record's own id. */
const LATENCY_ID = 'LATENCY-ID';
const LATENCY_VALUE = (() => {
  const quake = parseFeedText(syntheticText(1, 7)).quakes[0] as Quake;
  return encodeMessage({ ...quake, id: LATENCY_ID, time: Date.now(), updated: Date.now() });
})();

async function main(): Promise<void> {
  const records = relayMessages();
  const result = await withBroker((brokers) =>
    timed(async () => {
      const bare: number[] = [];
      const relayed = new Map<number, Delivery[]>(CLIENT_COUNTS.map((n) => [n, []]));
      const broadcast = new Map<number, Delivery[]>(CLIENT_COUNTS.map((n) => [n, []]));
      const relayed2: Delivery[] = [];
      for (let run = 1; run <= RUNS; run++) {
        bare.push(await bareThroughput(brokers, records));
        relayed2.push(await bridgeThroughput(brokers, records, 1, 2));
        for (const clients of CLIENT_COUNTS) {
          relayed.get(clients)?.push(await bridgeThroughput(brokers, records, clients));
          if (clients > 1) broadcast.get(clients)?.push(await bareBroadcast(clients));
        }
        const megabytes = (d: Delivery | undefined) => `${format((d?.bytes ?? 0) / 1e6)} MB/s`;
        console.log(
          `run ${run}/${RUNS}: bare consumer ${format(bare.at(-1) as number)} records/s; bridge to 1 client, protocol 2 ${format(relayed2.at(-1)?.records ?? 0)} records/s; ${CLIENT_COUNTS.map((n) => `bridge to ${n} client${n === 1 ? '' : 's'} ${format(relayed.get(n)?.at(-1)?.records ?? 0)} records/s (${megabytes(relayed.get(n)?.at(-1))})${n > 1 ? `, bare ws server to ${n} ${megabytes(broadcast.get(n)?.at(-1))}` : ''}`).join('; ')}`,
        );
      }
      const bareLatency: Latency[] = [];
      const bridgeLatency: Latency[] = [];
      const bridge2Latency: Latency[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const { bare: b, bridge: w, bridge2: w2 } = await latencies(brokers);
        bareLatency.push(b);
        bridgeLatency.push(w);
        bridge2Latency.push(w2);
        console.log(
          `latency run ${run}/${RUNS}: bare consumer p50 ${format(b.p50)} p99 ${format(b.p99)} ms; WebSocket client p50 ${format(w.p50)} p99 ${format(w.p99)} ms (${w.count} records); protocol 2 p50 ${format(w2.p50)} p99 ${format(w2.p99)} ms (${w2.count} records)`,
        );
      }
      const perSecond = (values: number[]) =>
        `${Math.round(median(values)).toLocaleString('en')} records/s`;
      const bytesPerSecond = (values: Delivery[]) =>
        `${format(median(values.map((d) => d.bytes)) / 1e6)} MB/s`;
      const ms = (values: number[]) => `${format(median(values))} ms`;
      const figures = [
        figure(
          'relay-1-v2',
          'bridge to 1 WebSocket client, protocol 2 ÷ bare consumer (throughput)',
          '×',
          ratios(
            relayed2.map((d) => d.records),
            bare,
          ),
          { op: '>=', value: 0.8 },
        ),
        ...CLIENT_COUNTS.map((clients) =>
          clients === 1
            ? figure(
                'relay-1',
                'bridge to 1 WebSocket client, protocol 1 ÷ bare consumer (throughput)',
                '×',
                ratios(
                  (relayed.get(1) ?? []).map((d) => d.records),
                  bare,
                ),
              )
            : figure(
                `relay-${clients}`,
                `bridge to ${clients} WebSocket clients ÷ a bare ws server writing the same frames, pre-built, to them (bytes delivered per second)`,
                '×',
                ratios(
                  (relayed.get(clients) ?? []).map((d) => d.bytes),
                  (broadcast.get(clients) ?? []).map((d) => d.bytes),
                ),
                { op: '>=', value: 0.8 },
              ),
        ),
        figure(
          'relay-latency-p99-v2',
          `p99 latency added at ${RATE.toLocaleString('en')} records/s (WebSocket client, protocol 2 − bare consumer)`,
          ' ms',
          bridge2Latency.map((w, i) => w.p99 - (bareLatency[i] as Latency).p99),
          { op: '<=', value: 5 },
        ),
        figure(
          'relay-latency-p99',
          `p99 latency added at ${RATE.toLocaleString('en')} records/s (WebSocket client, protocol 1 − bare consumer)`,
          ' ms',
          bridgeLatency.map((w, i) => w.p99 - (bareLatency[i] as Latency).p99),
          { op: '<=', value: 5 },
        ),
      ];
      return {
        title: 'Bridge relay (bridge/server.ts in Kafka mode, real broker)',
        figures,
        tables: [
          {
            title: `throughput, ${RECORDS.toLocaleString('en')} records committed at once: medians of ${RUNS} runs`,
            headers: ['reader', 'throughput', 'bytes delivered'],
            rows: [
              ['bare kafkajs consumer (eachBatch)', perSecond(bare), ''],
              [
                'bridge to 1 WebSocket client, protocol 2 (batch frames)',
                perSecond(relayed2.map((d) => d.records)),
                bytesPerSecond(relayed2),
              ],
              ...CLIENT_COUNTS.flatMap((n) => [
                [
                  `bridge to ${n} WebSocket client${n === 1 ? '' : 's'}, protocol 1 (each gets every record)`,
                  perSecond((relayed.get(n) ?? []).map((d) => d.records)),
                  bytesPerSecond(relayed.get(n) ?? []),
                ],
                ...(n > 1
                  ? [
                      [
                        `bare ws server writing the same frames, pre-built, to ${n} clients`,
                        perSecond((broadcast.get(n) ?? []).map((d) => d.records)),
                        bytesPerSecond(broadcast.get(n) ?? []),
                      ],
                    ]
                  : []),
              ]),
            ],
          },
          {
            title: `latency from send to reader at a steady ${RATE.toLocaleString('en')} records/s for ${LATENCY_SECONDS} s: medians of ${RUNS} runs`,
            headers: ['reader', 'p50', 'p99', 'max'],
            rows: [
              [
                'bare kafkajs consumer',
                ms(bareLatency.map((l) => l.p50)),
                ms(bareLatency.map((l) => l.p99)),
                ms(bareLatency.map((l) => l.max)),
              ],
              [
                'WebSocket client of the bridge, protocol 1',
                ms(bridgeLatency.map((l) => l.p50)),
                ms(bridgeLatency.map((l) => l.p99)),
                ms(bridgeLatency.map((l) => l.max)),
              ],
              [
                'WebSocket client of the bridge, protocol 2',
                ms(bridge2Latency.map((l) => l.p50)),
                ms(bridge2Latency.map((l) => l.p99)),
                ms(bridge2Latency.map((l) => l.max)),
              ],
            ],
          },
        ],
        notes: [
          `The bridge runs with its defaults except ${Object.entries(BRIDGE_SETTINGS)
            .map(([k, v]) => `${k}=${v}`)
            .join(
              ', ',
            )}: a client that flow control pauses catches up from the records the bridge keeps, and with the default 10,000 a burst of 100,000 would close a slow client (4008) instead.`,
          'The WebSocket clients live in one child process per core that reads frames by their headers, looks at one byte of each, and skips over the rest of a frame cut by a read without copying it, so that the server they read, not they, sets the pace; a browser does far more per frame. A client of protocol 2 reads each batch frame whole to count the quakes in it. The bare consumer does nothing with the records.',
          'The bare ws server (bench/lib/bare-broadcaster.ts) writes the bridge\'s own frames for the same messages, built before its clock starts, to the same reader processes, waiting for "drain" whenever a socket is full: the most this machine delivers to those readers. Its clock starts when it starts writing, the bridge\'s when the producer commits.',
          'Broker, producer, reader and bridge share the same two cores, as they would on a small server.',
        ],
      };
    }),
  );
  for (const table of [...result.tables, figuresTable('Figures', result.figures)]) {
    console.log(`\n${renderTable(table)}`);
  }
  saveResult('bridge-relay', result);
  process.exit(0);
}

await main();
