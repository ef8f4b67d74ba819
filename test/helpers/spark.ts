import { type ChildProcess, spawn } from 'node:child_process';
import { SPARK_JOB, sparkEnv } from '../../scripts/spark-local.ts';
import { decodeStatsMessage } from '../../src/core/stats-message.ts';
import type { WindowStats } from '../../src/core/window.ts';
import { readAll } from './kafka.ts';
import { spawnAndWait } from './process.ts';

/** Runs spark_streaming_sismos.py to its end (`--available-now` unless told otherwise). */
export function runSpark(env: Record<string, string>, args = ['--available-now']) {
  const spark = sparkEnv();
  return spawnAndWait(spark.PYSPARK_PYTHON as string, [SPARK_JOB, ...args], { ...spark, ...env });
}

export interface SparkJob {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `pattern`; rejects if the job ends first. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Sends `signal` to the job's process group, as a terminal's Ctrl+C does (SIGINT). */
  signal(signal: NodeJS.Signals): void;
  readonly exited: Promise<number | string>;
}

/** Starts the streaming job in a process group of its own, like a job started from a terminal. */
export function startSpark(env: Record<string, string>): SparkJob {
  const spark = sparkEnv();
  const child = spawn(spark.PYSPARK_PYTHON as string, [SPARK_JOB], {
    env: { ...process.env, ...spark, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // The job must not outlive the test run that started it, even when the test fails.
  const orphanGuard = () => process.kill(-(child.pid as number), 'SIGKILL');
  process.once('exit', orphanGuard);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('exit', orphanGuard);
      for (const listener of listeners) listener();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    signal: (signal) => process.kill(-(child.pid as number), signal),
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            listeners.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`the Spark job ended before printing ${pattern}:\n${out}\n${err}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}

/**
 * The windows the job published to `topic` after `from` (offsets by partition), by window start
 * (ISO): Spark writes updates, so the last record of each key is the window's final figures.
 */
export async function publishedWindows(
  topic: string,
  from: ReadonlyMap<number, number> = new Map(),
): Promise<Map<string, WindowStats>> {
  const windows = new Map<string, WindowStats>();
  for (const record of await readAll(topic)) {
    if (Number(record.offset) < (from.get(record.partition) ?? 0)) continue;
    windows.set(record.key ?? '', decodeStatsMessage(record.value ?? ''));
  }
  return windows;
}
