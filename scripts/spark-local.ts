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
import { wantsHelp } from '../bridge/lib/help.ts';
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

/** What --help prints, without installing PySpark (which the job's own argparse help would need). */
const USAGE = `spark:local: challenge 6 on Spark: counts the quakes of sismos in windows of event time and
publishes them to sismos-stats, like estadisticas-sismos (spark/spark_streaming_sismos.py).

Usage: npm run spark:local -- [--available-now]

  --available-now   process what is in the topic now, then stop (default: stream until Ctrl+C)

Environment variables:
  KAFKA_BROKERS           Kafka brokers, host:port entries separated by commas (default localhost:9092)
  SISMOS_TOPIC            the quake topic, read (default sismos)
  MESSAGE_FORMAT          json, or avro: read SISMOS_AVRO_TOPIC with from_avro (default json)
  SISMOS_AVRO_TOPIC       the quake topic in Avro (default sismos-avro)
  SISMOS_AVRO_SCHEMA      the reader's Avro schema (default schemas/sismo-v2.avsc)
  SCHEMA_REGISTRY_URL     the registry the writers' schemas are read from, with avro
                          (default http://127.0.0.1:8081/apis/ccompat/v7)
  STATS_TOPIC             the window figures topic, written (default sismos-stats)
  STATS_WINDOW_MINUTES    window length in minutes (default 5)
  STATS_LATENESS_MINUTES  allowed lateness in minutes (default 60)
  SPARK_CHECKPOINT_DIR    streaming checkpoints (default /tmp/sismos-spark)
  SISMOS_CACHE_DIR        PySpark's virtualenv and the Kafka connector (default $XDG_CACHE_HOME/sismos
                          or ~/.cache/sismos)`;

if (import.meta.url === `file://${process.argv[1]}` && wantsHelp(process.argv.slice(2))) {
  console.log(USAGE);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const env = sparkEnv();
  const child = spawn(env.PYSPARK_PYTHON as string, [SPARK_JOB, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}
