/**
 * Runs the challenge-6 Spark job (spark/spark_streaming_sismos.py) without Docker: PySpark from
 * PyPI in a virtualenv under the Sismos cache, the Kafka connector from Maven Central.
 *
 *   npm run spark:local                      # streams `sismos` until Ctrl+C
 *   npm run spark:local -- --available-now   # processes what is in the topic, then stops
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './kafka-local.ts';
import { ensureVenv } from './python-venv.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SPARK_JOB = join(ROOT, 'spark/spark_streaming_sismos.py');
const REQUIREMENTS = join(ROOT, 'spark/requirements.txt');

/** The virtualenv's python, with the PySpark of spark/requirements.txt installed once. */
export function ensureSparkPython(): string {
  return ensureVenv('spark-venv', REQUIREMENTS);
}

/**
 * Environment for the job. Spark resolves the Kafka connector with Ivy, whose default resolver chain
 * also reads ~/.m2; a half-filled ~/.m2 (poms without jars, as Maven leaves them) breaks it, so Spark
 * gets a home of its own under the cache.
 */
export function sparkEnv(): Record<string, string> {
  const home = join(cacheDir(), 'spark-home');
  mkdirSync(home, { recursive: true });
  return { SPARK_SUBMIT_OPTS: `-Duser.home=${home}`, PYSPARK_PYTHON: ensureSparkPython() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = sparkEnv();
  const child = spawn(env.PYSPARK_PYTHON as string, [SPARK_JOB, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}
