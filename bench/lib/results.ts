/**
 * bench/results.json: every benchmark merges its section into it, and docs/benchmarks.md is
 * written from it (bench/report.ts). The machine is described once per run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { KAFKA_VERSION } from '../../scripts/kafka-local.ts';
import { CHROMIUM } from '../../test/helpers/browser.ts';
import type { Figure, Table } from './stats.ts';

export const RESULTS_FILE = fileURLToPath(new URL('../results.json', import.meta.url));

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly chromium: string;
  readonly kafka: string;
  readonly java: string;
  readonly packages: Readonly<Record<string, string>>;
}

export interface BenchResult {
  readonly title: string;
  /** ISO time the benchmark finished. */
  readonly ranAt: string;
  readonly seconds: number;
  /** One-minute load average before and after: how busy the shared machine was. */
  readonly load: readonly [number, number];
  readonly figures: readonly Figure[];
  readonly tables: readonly Table[];
  /** What the figures mean and what they leave out, in a sentence each. */
  readonly notes: readonly string[];
}

export interface Results {
  machine: Machine;
  benchmarks: Record<string, BenchResult>;
}

export function machine(): Machine {
  const require = createRequire(import.meta.url);
  const version = (name: string) =>
    (require(`${name}/package.json`) as { version: string }).version;
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const chromium = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    chromium: chromium.stdout?.trim().split('\n')[0] ?? 'not found',
    kafka: `Apache Kafka ${KAFKA_VERSION} (KRaft, one local broker)`,
    java: java.stderr?.trim().split('\n')[0] ?? 'not found',
    packages: Object.fromEntries(
      ['kafkajs', 'ws', 'leaflet', 'playwright-core'].map((name) => [name, version(name)]),
    ),
  };
}

export function readResults(): Results | null {
  if (!existsSync(RESULTS_FILE)) return null;
  return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Results;
}

/** Merges one benchmark's section into bench/results.json. */
export function saveResult(id: string, result: BenchResult): void {
  const results = readResults() ?? { machine: machine(), benchmarks: {} };
  results.machine = machine();
  results.benchmarks[id] = result;
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

/** Times a benchmark and records the machine's load around it. */
export async function timed(
  run: () => Promise<Omit<BenchResult, 'ranAt' | 'seconds' | 'load'>>,
): Promise<BenchResult> {
  const started = Date.now();
  const before = os.loadavg()[0] as number;
  const result = await run();
  return {
    ...result,
    ranAt: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    load: [round(before), round(os.loadavg()[0] as number)],
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
