/**
 * Runs the challenge-6 Spark job (spark/spark_streaming_sismos.py) without Docker: PySpark from
 * PyPI in a virtualenv under the Sismos cache, the Kafka connector from Maven Central.
 *
 *   npm run spark:local                      # streams `sismos` until Ctrl+C
 *   npm run spark:local -- --available-now   # processes what is in the topic, then stops
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './kafka-local.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SPARK_JOB = join(ROOT, 'spark/spark_streaming_sismos.py');
const REQUIREMENTS = join(ROOT, 'spark/requirements.txt');

/** The virtualenv's python, with the PySpark of spark/requirements.txt installed once. */
export function ensureSparkPython(): string {
  const venv = join(cacheDir(), 'spark-venv');
  const python = join(venv, 'bin', 'python');
  const wanted = readFileSync(REQUIREMENTS, 'utf8').trim();
  if (!existsSync(python))
    run('python3', ['-m', 'venv', venv], 'Python 3 with venv is needed for the Spark job');
  const probe = spawnSync(python, ['-c', 'import pyspark; print(pyspark.__version__)'], {
    encoding: 'utf8',
  });
  if (`pyspark==${probe.stdout.trim()}` !== wanted) {
    console.log(`spark: installing ${wanted} into ${venv} (once) ...`);
    run(
      python,
      ['-m', 'pip', 'install', '-q', '-r', REQUIREMENTS],
      'could not install PySpark from PyPI',
    );
  }
  return python;
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

function run(command: string, args: string[], why: string): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(
      `${why}: ${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
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
