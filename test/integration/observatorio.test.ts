import { describe, expect, it } from 'vitest';
import { startPostgres } from '../../scripts/postgres-local.ts';
import { codificarEvento } from '../../src/core/observatorio/eventos.ts';
import { brokers, createTopic, produce, readAll, unique } from '../helpers/kafka.ts';
import {
  alertasEscritas,
  alertasEsperadas,
  esperarProgreso,
  eventosSimulados,
  ultimosEscritos,
  ultimosEsperados,
  ventanasEscritas,
  ventanasEsperadas,
} from '../helpers/observatorio.ts';
import { newDatabase, query } from '../helpers/postgres.ts';
import { type Command, startCommand, startProgram } from '../helpers/process.ts';

const SIMULADOR = 'bridge/simulador_qog.ts';
const PROCESADOR = 'bridge/procesador_qog.ts';
const MOTOR = 'procesador_qog';
const SEMILLA = 42;
/** A whole minute, so the first 30-second window starts with the first event. */
const INICIO = '2026-01-01T00:00:00.000Z';
const T0 = Date.parse(INICIO);
const TASA = 20;
const N = 3000;
const EVENTOS = eventosSimulados(SEMILLA, T0, TASA, N);

/**
 * A pipeline of its own: topics, group and database nobody else uses. Nothing is late (one day of
 * delay) unless `retrasoS` says otherwise.
 */
async function montar(postgresUrl?: string, retrasoS = '86400') {
  const eventos = unique('eventos_qog');
  const alertas = unique('alertas_qog');
  await Promise.all([createTopic(eventos, 3), createTopic(alertas, 3)]);
  const url = await newDatabase(postgresUrl);
  const env = {
    KAFKA_BROKERS: brokers(),
    EVENTOS_QOG_TOPIC: eventos,
    ALERTAS_QOG_TOPIC: alertas,
    QOG_GROUP: unique('procesador-qog'),
    QOG_RETRASO_S: retrasoS,
    POSTGRES_URL: url,
    KAFKA_SESSION_TIMEOUT_S: '6',
  };
  /** Runs the simulator to the end with these flags. */
  const simular = async (flags: string[]) => {
    const simulador = startProgram(process.execPath, ['--import', 'tsx', SIMULADOR, ...flags], env);
    expect(await simulador.exited).toBe(0);
    return simulador;
  };
  return { eventos, alertas, url, env, simular, procesar: () => startCommand(PROCESADOR, env) };
}

/** The seeded stream of the tests, sent at once (its event times are in the past). */
const FLAGS = [
  '--semilla',
  String(SEMILLA),
  '--inicio',
  INICIO,
  '--eventos-por-segundo',
  String(TASA),
  '--eventos',
  String(N),
];

async function parar(procesador: Command): Promise<void> {
  procesador.child.kill('SIGTERM');
  expect(await procesador.exited).toBe(0);
  expect(procesador.stdout()).toMatch(
    /^SIGTERM: left group \S+, offsets committed; \d+ eventos, \d+ rechazados, \d+ tardíos, \d+ alertas? en esta ejecución\.$/m,
  );
}

async function expectFilasExactas(url: string): Promise<void> {
  expect(await ventanasEscritas(url, 'ventanas_30s')).toEqual(ventanasEsperadas(EVENTOS, 30_000));
  expect(await ventanasEscritas(url, 'metricas_15min')).toEqual(
    ventanasEsperadas(EVENTOS, 15 * 60_000),
  );
  expect(await ultimosEscritos(url)).toEqual(ultimosEsperados(EVENTOS));
  expect(await alertasEscritas(url)).toEqual(alertasEsperadas(EVENTOS));
}

describe('observatorio: simulador_qog -> Kafka -> procesador_qog -> PostgreSQL', () => {
  it('writes, for a seeded stream, exactly the windows, metrics, latest values and alerts the core computes', async () => {
    const p = await montar();
    const simulador = await p.simular(FLAGS);
    expect(simulador.stdout()).toMatch(
      new RegExp(`^${N} eventos enviados a ${p.eventos}\\.$`, 'm'),
    );
    // Bad records between good ones: each rejected with its reason, none poisons an average.
    await produce(p.eventos, [
      { key: 'ARG', value: '{"pais":' },
      { key: 'XYZ', value: JSON.stringify({ pais: 'XYZ' }) },
      {
        key: 'ARG',
        value: JSON.stringify({
          pais: 'ARG',
          nombre_pais: 'Argentina',
          indicador: 'ti_cpi',
          valor: 1,
          unidad: 'x',
          tiempo_evento: INICIO,
        }),
      },
      {
        key: 'ARG',
        value: JSON.stringify({
          pais: 'ARG',
          nombre_pais: 'Argentina',
          indicador: 'wdi_lifexp',
          valor: 1,
          unidad: 'años',
          tiempo_evento: INICIO,
        }).replace('"valor":1', '"valor":1e999'),
      },
    ]);
    const procesador = p.procesar();
    await esperarProgreso(p.url, MOTOR, p.eventos, N + 4);
    await parar(procesador);

    await expectFilasExactas(p.url);
    const esperadas = alertasEsperadas(EVENTOS);
    expect(esperadas.length).toBeGreaterThan(0);
    // Each alert also went to the alerts topic, keyed by country.
    const publicadas = (await readAll(p.alertas)).map((r) => JSON.parse(r.value ?? ''));
    expect(publicadas.map((a) => `${a.pais}|${a.indicador}|${a.tiempo_evento}`).sort()).toEqual(
      esperadas.map((a) => `${a.pais}|${a.indicador}|${a.tiempo}`).sort(),
    );
    expect(procesador.stdout()).toMatch(
      / 4 rechazados, 0 tardíos, \d+ alertas? en esta ejecución\.$/m,
    );
    const stderr = procesador.stderr();
    expect(stderr).toMatch(/^rechazado \S+ \[\d\] @ \d+ key=ARG: el valor no es JSON UTF-8/m);
    expect(stderr).toMatch(/key=XYZ: pais "XYZ" no es un código alfa-3 de la línea base/);
    expect(stderr).toMatch(/key=ARG: indicador "ti_cpi" desconocido/);
    expect(stderr).toMatch(/key=ARG: valor Infinity no es un número finito/);
  }, 240_000);

  it('reads a backlog in three partitions with the default one-minute watermark and leaves nothing out as late', async () => {
    // 150 s of events sent at once: read one partition after another, the first must not move the
    // watermark past the windows the other two still have events for.
    const p = await montar(undefined, '60');
    await p.simular(FLAGS);
    const procesador = p.procesar();
    await esperarProgreso(p.url, MOTOR, p.eventos, N);
    await parar(procesador);
    expect(procesador.stdout()).toMatch(
      / 3000 eventos, 0 rechazados, 0 tardíos, \d+ alertas? en esta ejecución\.$/m,
    );
    await expectFilasExactas(p.url);
  }, 240_000);

  it('after a crash, a restart and a replay from the start, every row is still exact and none is duplicated', async () => {
    const p = await montar();
    // Half the stream, processed, then the processor is killed without a chance to finish.
    await p.simular([...FLAGS.slice(0, -1), String(N / 2)]);
    let procesador = p.procesar();
    await esperarProgreso(p.url, MOTOR, p.eventos, N / 2);
    procesador.child.kill('SIGKILL');
    await procesador.exited;
    // The rest of the same stream (the same seed: its first half again, then the second).
    await produce(
      p.eventos,
      EVENTOS.slice(N / 2).map((e) => ({ key: e.pais, value: codificarEvento(e) })),
    );
    procesador = p.procesar();
    await procesador.waitFor(/^reanudando /m, 60_000);
    await esperarProgreso(p.url, MOTOR, p.eventos, N);
    await parar(procesador);
    await expectFilasExactas(p.url);

    // A replay: the engine's progress is forgotten, so it reads the whole topic again.
    await query(p.url, 'DELETE FROM progreso_qog');
    await query(p.url, 'DELETE FROM marca_agua_qog');
    await query(p.url, 'DELETE FROM estado_alertas');
    procesador = p.procesar();
    await procesador.waitFor(/^empezando /m, 60_000);
    await esperarProgreso(p.url, MOTOR, p.eventos, N);
    await parar(procesador);
    await expectFilasExactas(p.url);
  }, 240_000);

  it('waits out a PostgreSQL outage, retrying with backoff, and loses nothing', async () => {
    const servidor = await startPostgres();
    try {
      const p = await montar(servidor.url);
      const procesador = p.procesar();
      await procesador.waitFor(/^empezando /m, 60_000);
      servidor.stop();
      await p.simular(FLAGS);
      await procesador.waitForStderr(
        /no se pudo .*PostgreSQL.*; reintento en \d+ s desde lo último escrito/,
        60_000,
      );
      servidor.start();
      await esperarProgreso(p.url, MOTOR, p.eventos, N);
      await parar(procesador);
      await expectFilasExactas(p.url);
    } finally {
      servidor.remove();
    }
  }, 240_000);

  it('refuses bad settings in one line that names them: thresholds, flags, start time', async () => {
    const procesador = startCommand(PROCESADOR, { UMBRALES_QOG: 'wdi_lifexp=4:8' });
    expect(await procesador.exited).toBe(2);
    expect(procesador.stderr()).toBe(
      'procesador_qog: UMBRALES_QOG: en "wdi_lifexp=4:8" hace falta 0 < rearme <= alerta (en %); p. ej. wdi_lifexp=10:5\n',
    );
    for (const [flags, line] of [
      [
        ['--eventos-por-segundo', '0'],
        /^simulador_qog: --eventos-por-segundo debe ser un número entre 0\.001 y 100000, no "0"; usage: /,
      ],
      [
        ['--inicio', 'ayer'],
        /^simulador_qog: --inicio debe ser una fecha ISO 8601, p\. ej\. 2026-01-01T00:00:00Z, no "ayer"$/,
      ],
      [['--ritmo', '5'], /^simulador_qog: Unknown option '--ritmo'.*; usage: simulador_qog /],
    ] as const) {
      const simulador = startProgram(
        process.execPath,
        ['--import', 'tsx', SIMULADOR, ...flags],
        {},
      );
      expect(await simulador.exited).toBe(2);
      expect(simulador.stderr().trim().split('\n')).toHaveLength(1);
      expect(simulador.stderr().trim()).toMatch(line);
    }
  });
});
