import { fileURLToPath } from 'node:url';
import { ensureVenv } from '../../scripts/python-venv.ts';
import { type Command, spawnAndWait, startProgram } from './process.ts';

/**
 * The course's Python scripts as a student writes them from the skeletons (confluent-kafka), in
 * test/peers/: real peers nobody on the team wrote the TypeScript side for.
 */
const PEERS = fileURLToPath(new URL('../peers/', import.meta.url));

/** The peers' virtualenv python, with test/peers/requirements.txt installed once (test/setup/peers.ts). */
export function peersPython(): string {
  return ensureVenv('peers-venv', `${PEERS}requirements.txt`);
}

export type Peer =
  | 'productor_simple.py'
  | 'consumidor_simple.py'
  | 'productor_sismos.py'
  | 'consumidor_alertas.py';

/** Starts a Python peer; env sets KAFKA_BROKERS, topics and groups as for our commands. */
export function startPeer(peer: Peer, env: Record<string, string>, args: string[] = []): Command {
  return startProgram(peersPython(), ['-u', `${PEERS}${peer}`, ...args], env);
}

/** Runs a Python peer to its end. */
export function runPeer(peer: Peer, env: Record<string, string>, args: string[] = []) {
  return spawnAndWait(peersPython(), ['-u', `${PEERS}${peer}`, ...args], env);
}

/** How the Python productor_sismos writes its messages: the course's schema, or a variant of it. */
export interface PythonProducerOptions {
  /** The feed it polls, e.g. a FakeUsgs url(). */
  readonly feedUrl: string;
  readonly brokers: string;
  readonly topic: string;
  /** bool: the course's true/false; usgs: USGS's 0/1 as is; null; omit: no field. */
  readonly tsunami?: 'bool' | 'usgs' | 'null' | 'omit';
  /** iso: ISO 8601 UTC with Z; naive: datetime.utcfromtimestamp(t).isoformat(); epoch-ms: USGS's number. */
  readonly time?: 'iso' | 'naive' | 'epoch-ms';
  /** confluent-kafka's default (consistent_random), or murmur2_random, which partitions as kafkajs does. */
  readonly partitioner?: 'consistent_random' | 'murmur2_random';
}

function producerArgs(options: PythonProducerOptions): {
  env: Record<string, string>;
  args: string[];
} {
  return {
    env: {
      KAFKA_BROKERS: options.brokers,
      SISMOS_TOPIC: options.topic,
      USGS_FEED_URL: options.feedUrl,
    },
    args: [
      `--tsunami=${options.tsunami ?? 'bool'}`,
      `--time=${options.time ?? 'iso'}`,
      `--partitioner=${options.partitioner ?? 'consistent_random'}`,
    ],
  };
}

/** One poll of the Python productor_sismos: it publishes every quake of the feed and exits. */
export function runPythonProductorSismos(options: PythonProducerOptions) {
  const { env, args } = producerArgs(options);
  return runPeer('productor_sismos.py', env, [...args, '--once']);
}

/** The Python productor_sismos polling every `intervalS` seconds until stopped (SIGINT exits 0). */
export function startPythonProductorSismos(
  options: PythonProducerOptions,
  intervalS: number,
): Command {
  const { env, args } = producerArgs(options);
  return startPeer('productor_sismos.py', env, [...args, `--interval=${intervalS}`]);
}

/** The lines a Python consumer printed for records: `partition=… offset=… key=… value=…`. */
export function consumedLines(stdout: string) {
  return [...stdout.matchAll(/^partition=(\d+) offset=(\d+) key=(\S+) value=(.*)$/gm)].map((m) => ({
    partition: Number(m[1]),
    offset: m[2] as string,
    key: m[3] as string,
    value: m[4] as string,
  }));
}

/** One alert box of the Python consumidor_alertas (the course's format), as read back from alertas.log. */
export interface PythonAlert {
  readonly magnitud: number;
  readonly lugar: string;
  /** "YYYY-MM-DD HH:MM:SS", UTC. */
  readonly hora: string;
}

/** The alert boxes in an alertas.log the Python consumidor_alertas wrote, in order. */
export function pythonAlerts(log: string): PythonAlert[] {
  const field = (box: string, name: string) =>
    new RegExp(`^║ ${name}: (.*?)\\s*║$`, 'm').exec(box)?.[1] ?? '';
  return log
    .split('╚')
    .filter((box) => box.includes('ALERTA SISMICA'))
    .map((box) => ({
      magnitud: Number(field(box, 'Magnitud')),
      lugar: field(box, 'Lugar'),
      hora: field(box, 'Hora'),
    }));
}
