/**
 * A real Apache Kafka without Docker: one KRaft node (broker+controller), or a cluster of several
 * on loopback. The jars come from Maven Central once, into a cache outside the repository, and run
 * on the local JVM.
 *
 *   npm run kafka:local                     # one node on 127.0.0.1:9092, data kept between runs
 *   npm run kafka:local -- --port 19092 --fresh
 *   npm run kafka:local -- --nodes 3        # 127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096
 *
 * Tests import startBroker() (one node) or startCluster() (several) to get throw-away ones on free ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
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
import { withoutNegativeTimers } from '../bridge/lib/kafka.ts';

/** The broker version; docker-compose.yml runs the same apache/kafka image tag. */
export const KAFKA_VERSION = '4.1.1';
/** The SLF4J-to-log4j2 binding Kafka's jars expect; Maven Central has no default one in their POM. */
const LOG4J_VERSION = '2.24.3';
const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qk';
/** The heap of each node; docker-compose.yml gives its broker the same (KAFKA_HEAP_OPTS). */
export const KAFKA_HEAP_OPTS = '-Xms256m -Xmx768m';
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

/** The project's topics, which `npm run kafka:local` and docker-compose's kafka-init create. */
export const PROJECT_TOPICS = [
  'sismos',
  'sismos-avro',
  'sismos-revisiones',
  'sismos-alertas',
  'sismos-stats',
  'sismos-dlq',
  'mensajes-test',
  'eventos-ecommerce',
  'ecommerce-resultados',
  'eventos_qog',
  'alertas_qog',
] as const;
const TOPIC_PARTITIONS = 3;

/** How a node ended when nobody asked it to. */
export interface NodeExit {
  readonly node: number;
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly logFile: string;
  /** The last lines of the node's log when it ended. */
  readonly lastLines: string;
}

/** One line saying which node ended, how (and `when`), then the last lines of its log. */
export function describeExit(exit: NodeExit, when = ''): string {
  const how =
    exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
  return `Kafka node ${exit.node} (pid ${exit.pid}) ${how}${when}; last lines of ${exit.logFile}:\n${exit.lastLines}`;
}

export interface BrokerOptions {
  /** Client port; a free one when omitted. */
  readonly port?: number;
  /** Controller (KRaft quorum) port; a free one when omitted. */
  readonly controllerPort?: number;
  /** Log directory; a new temporary one (deleted on stop) when omitted. */
  readonly dataDir?: string;
  /** Called when the node ends without crash() or stop() having asked it to. */
  readonly onExit?: (exit: NodeExit) => void;
}

export interface LocalBroker {
  /** Bootstrap address for clients, e.g. "127.0.0.1:40123". */
  readonly brokers: string;
  readonly dataDir: string;
  /** The JVM's process id while it runs. */
  pid(): number | undefined;
  /** Controlled shutdown; the data directory is kept only if the caller chose it. */
  stop(): Promise<void>;
  /** kill -9, as a crash would; `start()` brings the same broker back with its data. */
  crash(): Promise<void>;
  /** Starts the broker again after crash() or stop(), on the same ports and data. */
  start(): Promise<void>;
}

export interface ClusterOptions {
  /** How many combined broker+controller nodes, all voters of the KRaft quorum; 3 when omitted. */
  readonly nodes?: number;
  /** Client port of each node, in node order; free ones when omitted. */
  readonly ports?: readonly number[];
  /** Controller port of each node, in node order; free ones when omitted. */
  readonly controllerPorts?: readonly number[];
  /** Holds one directory per node (node-1, node-2, ...); a new temporary one (deleted on stop) when omitted. */
  readonly dataDir?: string;
  /** Called when a node ends without crash() or stop() having asked it to. */
  readonly onExit?: (exit: NodeExit) => void;
}

export interface LocalCluster {
  /** Bootstrap list for clients, e.g. "127.0.0.1:40123,127.0.0.1:40125,127.0.0.1:40127". */
  readonly brokers: string;
  readonly dataDir: string;
  /** The node ids, 1 to n. */
  readonly nodes: readonly number[];
  /** The client address of one node, e.g. "127.0.0.1:40123". */
  address(node: number): string;
  /** The JVM's process id of one node while it runs. */
  pid(node: number): number | undefined;
  /** kill -9 of one node, as a crash would; `start(node)` brings it back with its data. */
  crash(node: number): Promise<void>;
  /** Starts one node again after crash(node), on the same ports and data, once it answers clients. */
  start(node: number): Promise<void>;
  /** The node that leads `partition` of `topic` now, as the cluster's metadata says. */
  leaderOf(topic: string, partition: number): Promise<number>;
  /** The node that is the active KRaft controller (the quorum's leader), once a running node is. */
  activeController(): Promise<number>;
  /** Controlled shutdown of every node; the data directory is kept only if the caller chose it. */
  stop(): Promise<void>;
}

export function cacheDir(): string {
  return (
    process.env.SISMOS_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sismos')
  );
}

/** Downloads the broker jars with Maven, once; later calls return the cached directory at once. */
export async function ensureKafkaJars(): Promise<string> {
  const home = join(cacheDir(), `kafka-${KAFKA_VERSION}`);
  const libs = join(home, 'libs');
  if (existsSync(libs)) return libs;
  await requireCommand(
    'mvn',
    ['-v'],
    'Maven is needed once, to download the Kafka jars from Maven Central',
  );
  mkdirSync(home, { recursive: true });
  const pom = join(home, 'pom.xml');
  writeFileSync(pom, brokerPom());
  // Download next to the final place and rename, so a concurrent or interrupted run never sees half a directory.
  const staging = mkdtempSync(join(home, 'libs-'));
  const result = await run('mvn', [
    '-q',
    '-B',
    '-f',
    pom,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${staging}`,
    '-DincludeScope=runtime',
  ]);
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `could not download Kafka ${KAFKA_VERSION} from Maven Central (mvn exited ${result.code}):\n${tail(result.output)}`,
    );
  }
  try {
    renameSync(staging, libs);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process finished first
  }
  return libs;
}

/** One JVM of the cluster and what it needs to run. */
interface NodeSpec {
  readonly id: number;
  readonly port: number;
  readonly controllerPort: number;
  /** Holds server.properties, log4j2.yaml, server.log and the log directory `logs`. */
  readonly dir: string;
}

interface KafkaNode {
  readonly id: number;
  readonly address: string;
  readonly logDir: string;
  pid(): number | undefined;
  running(): boolean;
  /** Starts the JVM; resolves once it answers clients, rejects if it ends first. */
  launch(): Promise<void>;
  /** Ends the JVM with `signal` (SIGKILL after `timeoutMs`); no-op when it is not running. */
  end(signal: NodeJS.Signals, timeoutMs: number): Promise<void>;
}

/** Formats the nodes' storage (in parallel, each once) and returns a handle per node, none started yet. */
async function prepareNodes(
  specs: readonly NodeSpec[],
  onExit: ((exit: NodeExit) => void) | undefined,
): Promise<KafkaNode[]> {
  await requireCommand('java', ['-version'], 'Java 17 or newer runs the local Kafka broker');
  const libs = await ensureKafkaJars();
  const voters = specs.map((s) => `${s.id}@127.0.0.1:${s.controllerPort}`).join(',');
  return Promise.all(
    specs.map(async (spec) => {
      mkdirSync(spec.dir, { recursive: true });
      const config = join(spec.dir, 'server.properties');
      writeFileSync(config, serverProperties(spec, voters, specs.length));
      const log4j = join(spec.dir, 'log4j2.yaml');
      writeFileSync(log4j, LOG4J2_CONFIG);
      const logFile = join(spec.dir, 'server.log');
      const java = (mainClass: string, ...args: string[]) => [
        ...KAFKA_HEAP_OPTS.split(' '),
        `-Dlog4j2.configurationFile=${log4j}`,
        `-Dsismos.log=${logFile}`,
        '-cp',
        `${libs}/*`,
        mainClass,
        ...args,
      ];
      const format = await run(
        'java',
        java(
          'kafka.tools.StorageTool',
          'format',
          '-t',
          CLUSTER_ID,
          '-c',
          config,
          '--ignore-formatted',
        ),
      );
      if (format.code !== 0) {
        throw new Error(`formatting Kafka storage in ${spec.dir} failed:\n${tail(format.output)}`);
      }
      return kafkaNode(spec, () => java('kafka.Kafka', config), logFile, onExit);
    }),
  );
}

function kafkaNode(
  spec: NodeSpec,
  javaArgs: () => string[],
  logFile: string,
  onExit: ((exit: NodeExit) => void) | undefined,
): KafkaNode {
  const address = `127.0.0.1:${spec.port}`;
  let child: ChildProcess | null = null;
  /** Set when the node is being ended on purpose, so its exit is not reported. */
  let ending = false;

  return {
    id: spec.id,
    address,
    logDir: join(spec.dir, 'logs'),
    pid: () => child?.pid,
    running: () => child !== null,
    async launch() {
      if (child !== null) return;
      ending = false;
      const proc = spawn('java', javaArgs(), { stdio: 'ignore' });
      child = proc;
      let ready = false;
      // A broker must not outlive the process that started it, even when that process fails.
      const orphanGuard = () => proc.kill('SIGKILL');
      process.once('exit', orphanGuard);
      const exited = new Promise<never>((_, reject) => {
        proc.once('exit', (code, signal) => {
          process.off('exit', orphanGuard);
          if (child === proc) child = null;
          const exit: NodeExit = {
            node: spec.id,
            pid: proc.pid,
            code,
            signal,
            logFile,
            lastLines: tail(readIfExists(logFile)),
          };
          if (ready && !ending) onExit?.(exit);
          reject(new Error(describeExit(exit, ' before it was ready')));
        });
      });
      exited.catch(() => {});
      await Promise.race([waitUntilAnswering(address), exited]);
      ready = true;
    },
    async end(signal, timeoutMs) {
      const proc = child;
      if (proc === null) return;
      ending = true;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      await gone;
      clearTimeout(timer);
    },
  };
}

export async function startBroker(options: BrokerOptions = {}): Promise<LocalBroker> {
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  const ownsData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sismos-kafka-'));
  const [node] = await prepareNodes(
    [{ id: 1, port, controllerPort, dir: dataDir }],
    options.onExit,
  );
  if (node === undefined) throw new Error('no node prepared');
  await node.launch();
  return {
    brokers: node.address,
    dataDir,
    pid: node.pid,
    start: node.launch,
    crash: () => node.end('SIGKILL', 0),
    stop: async () => {
      await node.end('SIGTERM', STOP_TIMEOUT_MS);
      if (ownsData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startCluster(options: ClusterOptions = {}): Promise<LocalCluster> {
  const count = options.nodes ?? 3;
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const ports = options.ports ?? (await Promise.all(ids.map(() => freePort())));
  const controllerPorts = options.controllerPorts ?? (await Promise.all(ids.map(() => freePort())));
  const ownsData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sismos-kafka-cluster-'));
  const specs = ids.map((id, i) => ({
    id,
    port: ports[i] ?? 0,
    controllerPort: controllerPorts[i] ?? 0,
    dir: join(dataDir, `node-${id}`),
  }));
  const nodes = await prepareNodes(specs, options.onExit);
  const brokers = nodes.map((n) => n.address).join(',');
  const node = (id: number): KafkaNode => {
    const found = nodes.find((n) => n.id === id);
    if (found === undefined) throw new Error(`no node ${id}: the nodes are ${ids.join(', ')}`);
    return found;
  };
  const running = () => nodes.filter((n) => n.running());
  const stopAll = () => Promise.all(nodes.map((n) => n.end('SIGTERM', STOP_TIMEOUT_MS)));

  try {
    // Every voter must be up before any can answer: the quorum needs a majority to elect a controller.
    await Promise.all(nodes.map((n) => n.launch()));
    await waitForBrokers(brokers, count);
  } catch (error) {
    await stopAll();
    if (ownsData) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    brokers,
    dataDir,
    nodes: ids,
    address: (id) => node(id).address,
    pid: (id) => node(id).pid(),
    crash: (id) => node(id).end('SIGKILL', 0),
    start: (id) => node(id).launch(),
    leaderOf: async (topic, partition) => {
      const admin = adminClient(running().map((n) => n.address));
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const leader = topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader;
        if (leader === undefined) throw new Error(`${topic} has no partition ${partition}`);
        return leader;
      } finally {
        await admin.disconnect();
      }
    },
    activeController: () => activeController(nodes),
    stop: async () => {
      await stopAll();
      if (ownsData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The quorum's leader, from the KRaft election state each voter keeps in its metadata log directory
 * (quorum-state): the newest epoch tells the current leader. kafkajs has no DescribeQuorum request,
 * and the controller id in metadata answers is a random broker under KRaft.
 */
async function activeController(nodes: readonly KafkaNode[]): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    let newest = { epoch: -1, leader: -1 };
    for (const n of nodes) {
      const path = join(n.logDir, '__cluster_metadata-0', 'quorum-state');
      try {
        const state = JSON.parse(readFileSync(path, 'utf8'));
        if (state.leaderEpoch > newest.epoch)
          newest = { epoch: state.leaderEpoch, leader: state.leaderId };
      } catch {
        // Not written yet, or being replaced right now: the other voters tell.
      }
    }
    if (nodes.some((n) => n.id === newest.leader && n.running())) return newest.leader;
    if (Date.now() > deadline)
      throw new Error(
        `no running node became the active controller within ${READY_TIMEOUT_MS / 1000} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function adminClient(brokers: readonly string[]) {
  return new Kafka({
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
}

/** Resolves once an admin client gets an answer to describeCluster() from `brokers`. */
export async function waitUntilAnswering(
  brokers: string,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  await waitForBrokers(brokers, 1, timeoutMs);
}

/** Resolves once describeCluster() at `brokers` lists at least `count` brokers. */
async function waitForBrokers(
  brokers: string,
  count: number,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = adminClient(brokers.split(','));
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length >= count) return;
      lastError = `${cluster.brokers.length} of ${count} brokers registered`;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `no Kafka broker answered at ${brokers} within ${timeoutMs / 1000} s (${String(lastError)})`,
  );
}

/** The replication a cluster of `nodes` gives the project's and Kafka's own topics. */
export function replicationFor(nodes: number): { factor: number; minInsync: number } {
  const factor = Math.min(nodes, 3);
  return { factor, minInsync: Math.max(factor - 1, 1) };
}

function serverProperties(spec: NodeSpec, voters: string, nodes: number): string {
  const { factor, minInsync } = replicationFor(nodes);
  return `${[
    'process.roles=broker,controller',
    `node.id=${spec.id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://127.0.0.1:${spec.port},CONTROLLER://127.0.0.1:${spec.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${spec.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(spec.dir, 'logs')}`,
    `num.partitions=${TOPIC_PARTITIONS}`,
    // Topics created without settings (auto-created ones too) and Kafka's internal topics get the
    // cluster's replication: a single node can only ever hold one replica of anything.
    `default.replication.factor=${factor}`,
    `min.insync.replicas=${minInsync}`,
    `offsets.topic.replication.factor=${factor}`,
    `transaction.state.log.replication.factor=${factor}`,
    `transaction.state.log.min.isr=${minInsync}`,
    `share.coordinator.state.topic.replication.factor=${factor}`,
    `share.coordinator.state.topic.min.isr=${minInsync}`,
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

/** Runs a command to its end, with its output; `code` is null when it could not start. */
export function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) => resolve({ code: null, output: error.message }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

async function requireCommand(command: string, args: string[], why: string): Promise<void> {
  if ((await run(command, args)).code === null) {
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

export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Creates the project's topics that do not exist yet; returns the names it created. */
async function createProjectTopics(brokers: string, nodes: number): Promise<string[]> {
  const { factor, minInsync } = replicationFor(nodes);
  const admin = adminClient(brokers.split(','));
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = PROJECT_TOPICS.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({
          topic,
          numPartitions: TOPIC_PARTITIONS,
          replicationFactor: factor,
          configEntries: [{ name: 'min.insync.replicas', value: String(minInsync) }],
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

/** `value` as an integer from `min` to `max`, or an error naming the option. */
function integerOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

const USAGE = `Usage: npm run kafka:local -- [options]

Runs Apache Kafka ${KAFKA_VERSION} (KRaft, combined broker+controller nodes) from Maven Central's jars
on this machine's loopback, until Ctrl+C. It creates the project's topics (${PROJECT_TOPICS.join(', ')})
with ${TOPIC_PARTITIONS} partitions, and exits non-zero when a node dies.

Options (and the environment variable each defaults to):
  --nodes N             nodes, all voters of the quorum (KAFKA_LOCAL_NODES, 1); with 3 or more,
                        topics get replication factor 3 and min.insync.replicas 2
  --port P              client port of node 1; node i listens on P + 2(i-1) (KAFKA_LOCAL_PORT, 9092)
  --controller-port C   controller port of node 1; node i on C + 2(i-1) (KAFKA_LOCAL_CONTROLLER_PORT, 9093)
  --data-dir DIR        data, kept between runs (KAFKA_LOCAL_DATA_DIR, ~/.cache/sismos/kafka-data,
                        or ~/.cache/sismos/kafka-cluster with several nodes)
  --fresh               delete the data first
  -h, --help            this text

The jars are downloaded once into SISMOS_CACHE_DIR (default $XDG_CACHE_HOME/sismos or ~/.cache/sismos).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: process.env.KAFKA_LOCAL_NODES ?? '1' },
      port: { type: 'string', default: process.env.KAFKA_LOCAL_PORT ?? '9092' },
      'controller-port': {
        type: 'string',
        default: process.env.KAFKA_LOCAL_CONTROLLER_PORT ?? '9093',
      },
      'data-dir': { type: 'string', default: process.env.KAFKA_LOCAL_DATA_DIR },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  withoutNegativeTimers();
  const nodes = integerOption('nodes', values.nodes, 1, 9);
  const port = integerOption('port', values.port, 1, 65535 - 2 * (nodes - 1));
  const controllerPort = integerOption(
    'controller-port',
    values['controller-port'],
    1,
    65535 - 2 * (nodes - 1),
  );
  // Each node takes a client port and a controller port two apart, so the defaults interleave (9092, 9093, 9094, ...).
  const ports = Array.from({ length: nodes }, (_, i) => port + 2 * i);
  const controllerPorts = Array.from({ length: nodes }, (_, i) => controllerPort + 2 * i);
  const clash = ports.find((p) => controllerPorts.includes(p));
  if (clash !== undefined)
    throw new Error(
      `port ${clash} would be both a client and a controller port: choose --port and --controller-port further apart`,
    );
  const dataDir =
    values['data-dir'] ?? join(cacheDir(), nodes === 1 ? 'kafka-data' : 'kafka-cluster');
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });

  let stopping = false;
  let stopAll = async () => {};
  // A node that dies takes the command with it, saying why, so a script or a terminal notices.
  const onExit = (exit: NodeExit) => {
    if (stopping) return;
    stopping = true;
    console.error(`kafka:local: ${describeExit(exit)}`);
    console.error('kafka:local: stopping the other nodes ...');
    void stopAll().finally(() => process.exit(1));
  };
  const started = Date.now();
  let brokers: string;
  let logs: string;
  if (nodes === 1) {
    console.log(`Starting Apache Kafka ${KAFKA_VERSION} (KRaft) with data in ${dataDir} ...`);
    const broker = await startBroker({ port, controllerPort, dataDir, onExit });
    stopAll = () => broker.stop();
    brokers = broker.brokers;
    logs = `Broker log: ${join(dataDir, 'server.log')} (pid ${broker.pid()}).`;
  } else {
    console.log(
      `Starting a ${nodes}-node Apache Kafka ${KAFKA_VERSION} (KRaft) cluster with data in ${dataDir} ...`,
    );
    const cluster = await startCluster({ nodes, ports, controllerPorts, dataDir, onExit });
    stopAll = () => cluster.stop();
    brokers = cluster.brokers;
    const pids = cluster.nodes.map((id) => `node ${id} pid ${cluster.pid(id)}`).join(', ');
    logs = `Node logs: ${join(dataDir, 'node-N', 'server.log')} (${pids}).`;
  }
  const created = await createProjectTopics(brokers, nodes);
  const { factor, minInsync } = replicationFor(nodes);
  console.log(
    `Kafka ready at ${brokers} in ${Math.round((Date.now() - started) / 1000)} s. ${logs} Ctrl+C stops it.`,
  );
  console.log(
    created.length === 0
      ? `Topics ${PROJECT_TOPICS.join(', ')} were already there.`
      : `Created ${created.join(', ')}: ${TOPIC_PARTITIONS} partitions, replication factor ${factor}, min.insync.replicas ${minInsync}.`,
  );
  console.log(`Point the commands at it with KAFKA_BROKERS=${brokers}`);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping Kafka ...');
    await stopAll();
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
