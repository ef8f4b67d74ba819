/**
 * A real single-node Apache Kafka broker (KRaft, broker+controller) without Docker: the jars come
 * from Maven Central once, into a cache outside the repository, and run on the local JVM.
 *
 *   npm run kafka:local                     # 127.0.0.1:9092, data kept between runs
 *   npm run kafka:local -- --port 19092 --fresh
 *
 * Tests import startBroker() to get a throw-away broker on free ports.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

/** The broker version; docker-compose.yml runs the same apache/kafka image tag. */
export const KAFKA_VERSION = '4.1.1';
/** The SLF4J-to-log4j2 binding Kafka's jars expect; Maven Central has no default one in their POM. */
const LOG4J_VERSION = '2.24.3';
const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qk';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

export interface BrokerOptions {
  /** Client port; a free one when omitted. */
  readonly port?: number;
  /** Controller (KRaft quorum) port; a free one when omitted. */
  readonly controllerPort?: number;
  /** Log directory; a new temporary one (deleted on stop) when omitted. */
  readonly dataDir?: string;
}

export interface LocalBroker {
  /** Bootstrap address for clients, e.g. "127.0.0.1:40123". */
  readonly brokers: string;
  readonly dataDir: string;
  /** Controlled shutdown; the data directory is kept only if the caller chose it. */
  stop(): Promise<void>;
  /** kill -9, as a crash would; `start()` brings the same broker back with its data. */
  crash(): Promise<void>;
  /** Starts the broker again after crash() or stop(), on the same ports and data. */
  start(): Promise<void>;
}

export function cacheDir(): string {
  return (
    process.env.SISMOS_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sismos')
  );
}

/** Downloads the broker jars with Maven, once; later calls return the cached directory at once. */
export function ensureKafkaJars(): string {
  const home = join(cacheDir(), `kafka-${KAFKA_VERSION}`);
  const libs = join(home, 'libs');
  if (existsSync(libs)) return libs;
  requireCommand(
    'mvn',
    ['-v'],
    'Maven is needed once, to download the Kafka jars from Maven Central',
  );
  mkdirSync(home, { recursive: true });
  const pom = join(home, 'pom.xml');
  writeFileSync(pom, brokerPom());
  // Download next to the final place and rename, so a concurrent or interrupted run never sees half a directory.
  const staging = mkdtempSync(join(home, 'libs-'));
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `could not download Kafka ${KAFKA_VERSION} from Maven Central (mvn exited ${result.status}):\n${tail(result.stdout + result.stderr)}`,
    );
  }
  try {
    renameSync(staging, libs);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process finished first
  }
  return libs;
}

export async function startBroker(options: BrokerOptions = {}): Promise<LocalBroker> {
  requireCommand('java', ['-version'], 'Java 17 or newer runs the local Kafka broker');
  const libs = ensureKafkaJars();
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  const ownsData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sismos-kafka-'));
  mkdirSync(dataDir, { recursive: true });
  const config = join(dataDir, 'server.properties');
  writeFileSync(config, serverProperties(port, controllerPort, join(dataDir, 'logs')));
  const log4j = join(dataDir, 'log4j2.yaml');
  writeFileSync(log4j, LOG4J2_CONFIG);
  const logFile = join(dataDir, 'server.log');
  const java = (mainClass: string, ...args: string[]) => [
    '-Xms256m',
    '-Xmx768m',
    `-Dlog4j2.configurationFile=${log4j}`,
    `-Dsismos.log=${logFile}`,
    '-cp',
    `${libs}/*`,
    mainClass,
    ...args,
  ];

  const format = spawnSync(
    'java',
    java('kafka.tools.StorageTool', 'format', '-t', CLUSTER_ID, '-c', config, '--ignore-formatted'),
    { encoding: 'utf8' },
  );
  if (format.status !== 0) {
    throw new Error(
      `formatting Kafka storage in ${dataDir} failed:\n${tail(format.stdout + format.stderr)}`,
    );
  }

  const brokers = `127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    const proc = spawn('java', java('kafka.Kafka', config), { stdio: 'ignore' });
    child = proc;
    // A broker must not outlive the process that started it, even when that process fails.
    const orphanGuard = () => proc.kill('SIGKILL');
    process.once('exit', orphanGuard);
    proc.once('exit', () => process.off('exit', orphanGuard));
    const exited = new Promise<never>((_, reject) => {
      proc.once('exit', (code, signal) =>
        reject(
          new Error(
            `Kafka broker exited before it was ready (code ${code}, signal ${signal}); last lines of ${logFile}:\n${tail(readIfExists(logFile))}`,
          ),
        ),
      );
    });
    exited.catch(() => {});
    await Promise.race([waitUntilAnswering(brokers), exited]);
  };

  const waitForExit = async (signal: NodeJS.Signals, timeoutMs: number) => {
    const proc = child;
    child = null;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
  };

  await start();
  return {
    brokers,
    dataDir,
    start,
    crash: () => waitForExit('SIGKILL', 0),
    stop: async () => {
      await waitForExit('SIGTERM', STOP_TIMEOUT_MS);
      if (ownsData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once an admin client gets an answer to describeCluster() from `brokers`. */
export async function waitUntilAnswering(
  brokers: string,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = new Kafka({
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
  throw new Error(
    `no Kafka broker answered at ${brokers} within ${timeoutMs / 1000} s (${String(lastError)})`,
  );
}

function serverProperties(port: number, controllerPort: number, logDirs: string): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${logDirs}`,
    'num.partitions=3',
    // A single node can only ever hold one replica of anything.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
  ].join('\n')}\n`;
}

const LOG4J2_CONFIG = `Configuration:
  Appenders:
    File:
      name: FILE
      fileName: "\${sys:sismos.log}"
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: FILE
`;

function brokerPom(): string {
  const dep = (group: string, artifact: string, version: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.sismos</groupId><artifactId>kafka-broker</artifactId><version>${KAFKA_VERSION}</version>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

function requireCommand(command: string, args: string[], why: string): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.error !== undefined) {
    throw new Error(
      `'${command}' was not found on PATH. ${why}: install it (Debian: apt-get install openjdk-17-jre-headless maven), or set KAFKA_BROKERS to a running broker.`,
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '(no log written)';
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.KAFKA_LOCAL_PORT ?? '9092' },
      'controller-port': {
        type: 'string',
        default: process.env.KAFKA_LOCAL_CONTROLLER_PORT ?? '9093',
      },
      'data-dir': {
        type: 'string',
        default: process.env.KAFKA_LOCAL_DATA_DIR ?? join(cacheDir(), 'kafka-data'),
      },
      fresh: { type: 'boolean', default: false },
    },
  });
  const dataDir = values['data-dir'];
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  console.log(`Starting Apache Kafka ${KAFKA_VERSION} (KRaft) with data in ${dataDir} ...`);
  const broker = await startBroker({
    port: Number(values.port),
    controllerPort: Number(values['controller-port']),
    dataDir,
  });
  console.log(
    `Kafka ready at ${broker.brokers}. Broker log: ${join(dataDir, 'server.log')}. Ctrl+C stops it.`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping Kafka ...');
    await broker.stop();
    console.log('Kafka stopped.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`kafka:local: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
