/**
 * The commands as a user meets them first: --help, a malformed broker list, the time on every line,
 * and the order productor-simple sends in. --help runs in an empty directory against a port that
 * counts connections, so a side effect (a file, a connection to Kafka) would show.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, createTopic, readAll, unique } from '../helpers/kafka.ts';
import { runCommand, STAMP, startCommand } from '../helpers/process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Every npm script that runs one of our TypeScript commands, the name its lines start with, and the
 * variables it reads through the shared modules (the topics, the broker list, the poll settings);
 * the ones its own file reads are found in its source.
 */
const COMMANDS = [
  [
    'productor-simple',
    'bridge/productor_simple.ts',
    'productor_simple',
    ['KAFKA_BROKERS', 'MENSAJES_TOPIC', 'KAFKAJS_LOG_LEVEL'],
  ],
  [
    'consumidor-simple',
    'bridge/consumidor_simple.ts',
    'consumidor_simple',
    ['KAFKA_BROKERS', 'MENSAJES_TOPIC', 'KAFKAJS_LOG_LEVEL'],
  ],
  [
    'productor-sismos',
    'bridge/productor_sismos.ts',
    'productor_sismos',
    [
      'KAFKA_BROKERS',
      'SISMOS_TOPIC',
      'REVISIONS_TOPIC',
      'FETCH_TIMEOUT_S',
      'RETRY_FIRST_S',
      'RETRY_MAX_S',
      'KAFKAJS_LOG_LEVEL',
    ],
  ],
  [
    'consumidor-alertas',
    'bridge/consumidor_alertas.ts',
    'consumidor_alertas',
    [
      'KAFKA_BROKERS',
      'SISMOS_TOPIC',
      'REVISIONS_TOPIC',
      'ALERTAS_TOPIC',
      'DLQ_TOPIC',
      'KAFKA_SESSION_TIMEOUT_S',
      'KAFKAJS_LOG_LEVEL',
    ],
  ],
  [
    'estadisticas-sismos',
    'bridge/estadisticas_sismos.ts',
    'estadisticas_sismos',
    [
      'KAFKA_BROKERS',
      'SISMOS_TOPIC',
      'STATS_TOPIC',
      'KAFKA_SESSION_TIMEOUT_S',
      'KAFKAJS_LOG_LEVEL',
    ],
  ],
  [
    'start',
    'bridge/server.ts',
    'bridge',
    [
      'SISMOS_TOPIC',
      'REVISIONS_TOPIC',
      'ALERTAS_TOPIC',
      'STATS_TOPIC',
      'FETCH_TIMEOUT_S',
      'RETRY_FIRST_S',
      'RETRY_MAX_S',
      'KAFKAJS_LOG_LEVEL',
    ],
  ],
  [
    'simulador-qog',
    'bridge/simulador_qog.ts',
    'simulador_qog',
    ['KAFKA_BROKERS', 'EVENTOS_QOG_TOPIC'],
  ],
  [
    'procesador-qog',
    'bridge/procesador_qog.ts',
    'procesador_qog',
    ['KAFKA_BROKERS', 'EVENTOS_QOG_TOPIC', 'ALERTAS_QOG_TOPIC', 'KAFKA_SESSION_TIMEOUT_S'],
  ],
  ['kafka:local', 'scripts/kafka-local.ts', 'Usage', ['SISMOS_CACHE_DIR']],
  ['spark:local', 'scripts/spark-local.ts', 'spark:local', ['SISMOS_CACHE_DIR']],
] as const;

/** The environment variables a script's own source reads (for spark:local, the Spark job's). */
function variablesRead(script: string): string[] {
  const source = readFileSync(
    script.endsWith('spark-local.ts') ? join(ROOT, 'spark/spark_streaming_sismos.py') : script,
    'utf8',
  );
  const reads =
    /(?:envString|envNumber)\(\s*'([A-Z][A-Z0-9_]+)'|process\.env\.([A-Z][A-Z0-9_]+)|os\.environ\.get\("([A-Z][A-Z0-9_]+)"/g;
  return [...source.matchAll(reads)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** Runs `script` with `args` in `cwd` (not the repository), to its end. */
function runIn(cwd: string, script: string, args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(ROOT, script), ...args],
    { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('exit', (code) => done({ code, stdout, stderr })),
  );
}

/** A port that accepts and counts connections: a broker address nothing may connect to. */
let connections = 0;
let trap = '';
const server = createServer((socket) => {
  connections++;
  socket.destroy();
});
beforeAll(async () => {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  trap = `127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('--help and -h', () => {
  it.each(COMMANDS)(
    'npm run %s prints its usage and every variable it reads, exit 0, and does nothing else',
    async (_, script, first, shared) => {
      const cwd = mkdtempSync(join(tmpdir(), 'sismos-help-'));
      const variables = [...variablesRead(join(ROOT, script)), ...shared];
      for (const flag of ['--help', '-h']) {
        const run = await runIn(cwd, script, [flag], {
          KAFKA_BROKERS: trap,
          ALERTAS_LOG: 'alertas.log',
        });
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout.startsWith(`${first}`)).toBe(true);
        expect(run.stdout).toMatch(/^Usage: /m);
        for (const variable of variables) expect(run.stdout).toContain(variable);
      }
      expect(readdirSync(cwd)).toEqual([]);
      expect(connections).toBe(0);
    },
    60_000,
  );
});

describe('a malformed KAFKA_BROKERS', () => {
  it.each(COMMANDS.filter(([name]) => !name.endsWith(':local')))(
    'npm run %s refuses it in one line naming the variable, the entry and the fix, exit 2',
    async (_, script, name) => {
      for (const [value, entry, problem] of [
        ['kafka', 'kafka', 'a host without a port'],
        [`${trap},kafka-2`, 'kafka-2', 'a host without a port'],
        ['kafka:99999', 'kafka:99999', 'whose port is not a number from 1 to 65535'],
      ]) {
        const run = await runCommand(script, { KAFKA_BROKERS: value as string });
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toBe(
          `${name}: KAFKA_BROKERS has "${entry}", ${problem}; set KAFKA_BROKERS to host:port entries separated by commas, e.g. localhost:9092 or kafka-1:9092,kafka-2:9092\n`,
        );
      }
      expect(connections).toBe(0);
    },
    60_000,
  );
});

describe('productor-simple', () => {
  it('sends its 10 messages in order: on one partition their offsets follow their ids', async () => {
    const topic = unique('mensajes');
    await createTopic(topic, 1);
    const run = await runCommand('bridge/productor_simple.ts', {
      KAFKA_BROKERS: brokers(),
      MENSAJES_TOPIC: topic,
    });
    expect(run.code).toBe(0);
    // Nothing on stderr: on Node 24, kafkajs's negative timers would print a TimeoutNegativeWarning.
    expect(run.stderr).toBe('');
    expect([...run.stdout.matchAll(/key=(\d+)$/gm)].map((m) => Number(m[1]))).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    const records = (await readAll(topic)).sort((a, b) => Number(a.offset) - Number(b.offset));
    expect(records.map((r) => JSON.parse(r.value ?? '').id)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    expect(records.map((r) => r.key)).toEqual(records.map((_, i) => String(i + 1)));
  });
});

describe('log lines', () => {
  it('each start with the wall-clock time, ISO 8601 UTC, on stdout and stderr', async () => {
    const before = Date.now();
    const consumer = startCommand('bridge/consumidor_alertas.ts', {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: unique('sismos'),
      ALERTAS_TOPIC: unique('alertas'),
      ALERTAS_LOG: join(mkdtempSync(join(tmpdir(), 'sismos-cli-')), 'alertas.log'),
      ALERTS_GROUP: unique('alertas'),
    });
    await consumer.waitFor(/^joined group /m);
    consumer.child.kill('SIGTERM');
    expect(await consumer.exited).toBe(0);
    const { stdout } = consumer.printed();
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(line).toMatch(STAMP);
      const time = Date.parse(line.slice(0, 24));
      expect(time).toBeGreaterThanOrEqual(before - 1000);
      expect(time).toBeLessThanOrEqual(Date.now());
    }
    const bad = startCommand('bridge/estadisticas_sismos.ts', { KAFKA_BROKERS: 'kafka' });
    expect(await bad.exited).toBe(2);
    expect(bad.printed().stderr).toMatch(
      new RegExp(
        `${STAMP.source}estadisticas_sismos: KAFKA_BROKERS has "kafka", a host without a port; .*\n$`,
      ),
    );
  });
});
