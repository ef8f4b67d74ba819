import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../../scripts/kafka-local.ts';
import { sparkEnv } from '../../scripts/spark-local.ts';
import { codificarEvento } from '../../src/core/observatorio/eventos.ts';
import { brokers, createTopic, produce, readAll, unique } from '../helpers/kafka.ts';
import {
  alertasEscritas,
  alertasEsperadas,
  esperarProgreso,
  eventosSimulados,
  type FilaVentana,
  ultimosEscritos,
  ultimosEsperados,
  ventanasEscritas,
  ventanasEsperadas,
} from '../helpers/observatorio.ts';
import { newDatabase } from '../helpers/postgres.ts';
import { spawnAndWait, startCommand } from '../helpers/process.ts';

const JOB = 'spark/spark_streaming_qog.py';
const T0 = Date.UTC(2026, 0, 1);
const N = 3000;
const EVENTOS = eventosSimulados(42, T0, 20, N);
const checkpoints = mkdtempSync(join(tmpdir(), 'sismos-spark-qog-'));
afterAll(() => rmSync(checkpoints, { recursive: true, force: true }));

/** Spark's environment, with an Ivy home of its own: the job also fetches the PostgreSQL JDBC driver. */
function env(extra: Record<string, string>): Record<string, string> {
  const home = join(cacheDir(), 'observatorio-spark-home');
  mkdirSync(home, { recursive: true });
  return { ...sparkEnv(), SPARK_SUBMIT_OPTS: `-Duser.home=${home}`, ...extra };
}

/** Both engines sum doubles in their own order: sums and averages agree to rounding, the rest exactly. */
function expectMismasVentanas(spark: FilaVentana[], ts: FilaVentana[]): void {
  expect(spark.map(({ suma: _, ...resto }) => resto)).toEqual(
    ts.map(({ suma: _, ...resto }) => resto),
  );
  spark.forEach((fila, i) => {
    expect(fila.suma / (ts[i]?.suma ?? Number.NaN)).toBeCloseTo(1, 12);
  });
}

describe('spark_streaming_qog (the observatory on Spark)', () => {
  it('writes to PostgreSQL the same rows as procesador_qog for the seeded stream', async () => {
    const topic = unique('eventos_qog');
    const alertasTs = unique('alertas_qog');
    const alertasSpark = unique('alertas_qog');
    await Promise.all([createTopic(topic), createTopic(alertasTs), createTopic(alertasSpark)]);
    await produce(
      topic,
      EVENTOS.map((e) => ({ key: e.pais, value: codificarEvento(e) })),
    );
    const [baseTs, baseSpark] = await Promise.all([newDatabase(), newDatabase()]);
    const comun = { KAFKA_BROKERS: brokers(), EVENTOS_QOG_TOPIC: topic, QOG_RETRASO_S: '86400' };

    const procesador = startCommand('bridge/procesador_qog.ts', {
      ...comun,
      ALERTAS_QOG_TOPIC: alertasTs,
      POSTGRES_URL: baseTs,
      QOG_GROUP: unique('procesador-qog'),
    });
    await esperarProgreso(baseTs, 'procesador_qog', topic, N);
    procesador.child.kill('SIGTERM');
    expect(await procesador.exited).toBe(0);

    const run = await spawnAndWait(
      env({}).PYSPARK_PYTHON as string,
      [JOB, '--available-now'],
      env({
        ...comun,
        ALERTAS_QOG_TOPIC: alertasSpark,
        POSTGRES_URL: baseSpark,
        SPARK_CHECKPOINT_DIR: checkpoints,
      }),
    );
    expect(run.code, run.stderr.slice(-3000)).toBe(0);

    const ts30 = await ventanasEscritas(baseTs, 'ventanas_30s');
    expect(ts30).toEqual(ventanasEsperadas(EVENTOS, 30_000));
    expectMismasVentanas(await ventanasEscritas(baseSpark, 'ventanas_30s'), ts30);
    expectMismasVentanas(
      await ventanasEscritas(baseSpark, 'metricas_15min'),
      await ventanasEscritas(baseTs, 'metricas_15min'),
    );
    expect(await ultimosEscritos(baseSpark)).toEqual(await ultimosEscritos(baseTs));
    expect(await ultimosEscritos(baseTs)).toEqual(ultimosEsperados(EVENTOS));
    const alertas = await alertasEscritas(baseSpark);
    expect(alertas).toEqual(await alertasEscritas(baseTs));
    expect(alertas).toEqual(alertasEsperadas(EVENTOS));
    expect(alertas.length).toBeGreaterThan(0);
    expect((await readAll(alertasSpark)).length).toBe(alertas.length);
  });
});
