/**
 * Benchmark 6, the observatory's processor: procesador_qog reading a seeded stream of 100,000
 * events (10,000 per second of event time) from `eventos_qog` and writing its windows, metrics,
 * latest values and alerts to a real PostgreSQL, against a bare kafkajs consumer reading the same
 * topic and doing nothing else.
 *
 *   npx tsx bench/procesador-qog.ts   (BENCH_RUNS=3 by default; KAFKA_BROKERS to use a running broker)
 *
 * Each run times, from the first batch each process received, how long it takes to have handled
 * every record: the bare consumer until it has read them, procesador_qog until its progress in
 * PostgreSQL says so (starting the process and joining the group are left out of both).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createKafka, SERVICE_RETRY } from '../bridge/lib/kafka.ts';
import { createAckedProducer } from '../bridge/lib/producer.ts';
import { startPostgres } from '../scripts/postgres-local.ts';
import { codificarEvento } from '../src/core/observatorio/eventos.ts';
import { Simulador } from '../src/core/observatorio/simulacion.ts';
import { createTopics, freshTopic, withBroker } from './lib/broker.ts';
import { now } from './lib/clock.ts';
import { saveResult, timed } from './lib/results.ts';
import { figure, figuresTable, format, median, ratios, renderTable } from './lib/stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EVENTS = 100_000;
const RATE = 10_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  return exited;
}

/** Seconds from the bare consumer's first batch until it has read every record of `topic`. */
async function bare(brokers: string, topic: string): Promise<number> {
  const proc = fork(
    fileURLToPath(new URL('./lib/bare-consumer.ts', import.meta.url)),
    [brokers, topic, freshTopic('bench-bare'), 'count', String(EVENTS)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const { first, last } = await new Promise<{ first: number; last: number }>((resolve) =>
    proc.on('message', (m: { type: string; first: number; last: number }) => {
      if (m.type === 'done') resolve(m);
    }),
  );
  await stop(proc);
  return (last - first) / 1000;
}

/** Seconds from procesador_qog's first batch until it has written every record of `topic` to `url`. */
async function procesador(brokers: string, topic: string, url: string): Promise<number> {
  let start: number | null = null;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bridge/procesador_qog.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers,
      EVENTOS_QOG_TOPIC: topic,
      ALERTAS_QOG_TOPIC: `${topic}-alertas`,
      QOG_GROUP: freshTopic('bench-procesador'),
      POSTGRES_URL: url,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Its first batch line (after the time every line starts with): the first batch was read and written.
  proc.stdout?.on('data', (chunk: Buffer) => {
    if (start === null && /^(?:\S+Z )?Lote 1:/m.test(chunk.toString())) start = now();
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (;;) {
      const read = await client
        .query<{ n: string | null }>(
          'SELECT sum(siguiente_offset)::text AS n FROM progreso_qog WHERE topic = $1',
          [topic],
        )
        .then((r) => Number(r.rows[0]?.n ?? 0))
        .catch(() => 0);
      if (read >= EVENTS) break;
      if (proc.exitCode !== null) throw new Error(`procesador_qog exited with ${proc.exitCode}`);
      await sleep(20);
    }
    if (start === null)
      throw new Error('procesador_qog handled every event without printing "Lote 1:"');
    return (now() - start) / 1000;
  } finally {
    await client.end();
    await stop(proc);
  }
}

async function main(): Promise<void> {
  const postgres = await startPostgres();
  try {
    const result = await withBroker((brokers) =>
      timed(async () => {
        const producer = createAckedProducer(createKafka('bench-simulador', SERVICE_RETRY));
        const rows: { bare: number; procesador: number }[] = [];
        for (let run = 1; run <= RUNS; run++) {
          const topic = freshTopic('bench-eventos-qog');
          await createTopics(brokers, [topic, `${topic}-alertas`]);
          const simulador = new Simulador({
            semilla: run,
            inicio: Date.UTC(2026, 0, 1),
            eventosPorSegundo: RATE,
          });
          const events = Array.from({ length: EVENTS }, () => simulador.siguiente());
          await producer.send(
            topic,
            events.map((e) => ({ key: e.pais, value: codificarEvento(e) })),
          );
          const database = `bench_${run}_${Date.now()}`;
          const admin = new pg.Client({ connectionString: postgres.url });
          await admin.connect();
          await admin.query(`CREATE DATABASE ${database}`);
          await admin.end();
          const url = postgres.url.replace(/\/postgres$/, `/${database}`);
          const row = {
            bare: await bare(brokers, topic),
            procesador: await procesador(brokers, topic, url),
          };
          rows.push(row);
          console.log(
            `run ${run}/${RUNS}: bare consumer ${format(row.bare)} s (${format(EVENTS / row.bare)} events/s), procesador_qog ${format(row.procesador)} s (${format(EVENTS / row.procesador)} events/s)`,
          );
        }
        await producer.close();
        const perSecond = (values: number[]) => `${format(median(values.map((s) => EVENTS / s)))}`;
        return {
          title: 'Observatory processor (procesador_qog, real broker and PostgreSQL)',
          figures: [
            figure(
              'procesador-qog-throughput',
              `procesador_qog events per second, ${EVENTS.toLocaleString('en')} events into PostgreSQL`,
              'events/s',
              rows.map((r) => EVENTS / r.procesador),
              { op: '>=', value: 10_000 },
            ),
            figure(
              'procesador-qog-vs-bare',
              'procesador_qog time ÷ bare consumer time',
              '×',
              ratios(
                rows.map((r) => r.procesador),
                rows.map((r) => r.bare),
              ),
            ),
          ],
          tables: [
            {
              title: `${EVENTS.toLocaleString('en')} seeded events already in the topic (3 partitions): medians of ${RUNS} runs, from each reader's first batch`,
              headers: ['reader', 'seconds', 'events/s'],
              rows: [
                [
                  'bare kafkajs consumer',
                  format(median(rows.map((r) => r.bare))),
                  perSecond(rows.map((r) => r.bare)),
                ],
                [
                  'procesador_qog → PostgreSQL',
                  format(median(rows.map((r) => r.procesador))),
                  perSecond(rows.map((r) => r.procesador)),
                ],
              ],
            },
          ],
          notes: [
            "Both times run from the first batch the process received to the last record handled (procesador_qog's first batch is timed when its line is printed, after it was written, which favours it by one batch); procesador_qog also validates every event, keeps the windows, alerts and latest values, and writes each batch in one PostgreSQL transaction with its progress.",
            "The stream is the simulator's at 10,000 events per second of event time; PostgreSQL is a local PostgreSQL 15 cluster with fsync off (scripts/postgres-local.ts).",
          ],
        };
      }),
    );
    for (const table of [...result.tables, figuresTable('Figures', result.figures)]) {
      console.log(`\n${renderTable(table)}`);
    }
    saveResult('procesador-qog', result);
  } finally {
    postgres.remove();
  }
  process.exit(0);
}

await main();
