/**
 * Observatorio económico — the processor, embedded in TypeScript (spark/spark_streaming_qog.py is
 * the same job on Spark). Reads `eventos_qog` in the consumer group `procesador-qog` and, per series
 * (country × indicator), by event time:
 *   - averages in 30-second tumbling windows (table ventanas_30s) and 15-minute ones (metricas_15min),
 *     with a one-minute watermark: a window's row is updated while it is open, final once closed;
 *   - the latest value (ultimos_valores);
 *   - alerts when a value leaves its threshold band around the baseline, with hysteresis (alertas),
 *     each also published to `alertas_qog`, keyed by country.
 *
 *   npm run procesador-qog
 *   POSTGRES_URL=postgres://user:pass@localhost:5432/observatorio UMBRALES_QOG=wdi_lifexp=8:4 npm run procesador-qog
 *
 * Each batch is written to PostgreSQL in one transaction with how far the partition was read and
 * the watermark; a restart resumes from there (the open windows and alert states are read back), so
 * no row is counted twice and nothing is lost. Offsets are committed to Kafka only after the rows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Batch } from 'kafkajs';
import { retryDelayMs } from '../src/core/backoff.ts';
import {
  type Alerta,
  codificarAlerta,
  DetectorAlertas,
  leerUmbrales,
} from '../src/core/observatorio/alertas.ts';
import { EventoError, leerEvento } from '../src/core/observatorio/eventos.ts';
import { INDICADORES } from '../src/core/observatorio/indicadores.ts';
import {
  AgregadorVentanas,
  esMasReciente,
  RETRASO_POR_DEFECTO_MS,
  type UltimoValor,
  ventanasQog,
} from '../src/core/observatorio/ventanas.ts';
import { printable } from '../src/core/text.ts';
import { SECOND_MS } from '../src/core/time.ts';
import { formatDuration, formatUtc, plural } from './lib/console.ts';
import { envNumber, envString } from './lib/env.ts';
import { helpText } from './lib/help.ts';
import { createKafka, kafkaBrokers, kafkaSessionTimeoutMs, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { committedOffsets, consumeAsService, type Seek } from './lib/kafka-service.ts';
import { abrirBase, cargarEstado, escribirLote, migrar } from './lib/observatorio-db.ts';
import { createAckedProducer } from './lib/producer.ts';
import { failedStep, Service } from './lib/service.ts';
import { topics } from './lib/topics.ts';

const service = new Service(
  'procesador_qog',
  helpText('procesador_qog', {
    summary:
      "the economic observatory's processor: 30-second and 15-minute averages, latest values and alerts with hysteresis from eventos_qog, into PostgreSQL and alertas_qog.",
    usage: 'npm run procesador-qog',
    variables: [
      'KAFKA_BROKERS',
      'EVENTOS_QOG_TOPIC',
      'ALERTAS_QOG_TOPIC',
      'POSTGRES_URL',
      'UMBRALES_QOG',
      'QOG_GROUP',
      'QOG_RETRASO_S',
      'KAFKA_SESSION_TIMEOUT_S',
      'KAFKAJS_LOG_LEVEL',
    ],
    notes:
      'Its tables come from db/migrations/001_observatorio.sql; it resumes from them after a restart.',
  }),
);
/** The engine's name in the tables of progress and alert states. */
const MOTOR = 'procesador_qog';
/** Waits between attempts while PostgreSQL fails, capped below the group's session timeout. */
const BACKOFF_BASE = { firstMs: 1000, maxMs: 10_000 };

// ---- configuración, leída una vez ----

service.config(kafkaBrokers);
const config = service.config(() => ({
  postgresUrl: envString(
    'POSTGRES_URL',
    'postgres://observatorio:observatorio@localhost:5432/observatorio',
  ),
  umbrales: leerUmbrales(envString('UMBRALES_QOG', '')),
  groupId: envString('QOG_GROUP', 'procesador-qog'),
  ventanas: ventanasQog(
    envNumber('QOG_RETRASO_S', RETRASO_POR_DEFECTO_MS / SECOND_MS, { min: 0, max: 30 * 86_400 }) *
      SECOND_MS,
  ),
  sessionTimeoutMs: kafkaSessionTimeoutMs(),
}));
const { groupId } = config;
const destinoBase = new URL(config.postgresUrl);
console.log(
  `${service.name}: ventanas de 30 s y métricas de 15 min de ${topics.eventosQog} (marca de agua: ${formatDuration(config.ventanas.ventana30s.allowedLatenessMs)} de retraso) en ${kafkaBrokers().join(',')}, alertas a ${topics.alertasQog}, tablas en postgres://${destinoBase.host}${destinoBase.pathname}; Ctrl+C para parar`,
);

// ---- estado ----

const kafka = createKafka('procesador-qog', SERVICE_RETRY);
const producer = createAckedProducer(kafka);
const pool = abrirBase(config.postgresUrl);

interface Estado {
  readonly ventanas: AgregadorVentanas;
  readonly metricas: AgregadorVentanas;
  readonly detector: DetectorAlertas;
}
/** Null until read back from PostgreSQL: at start-up, after a rebalance, after a failed write. */
let estado: Estado | null = null;
let asignadas: number[] = [];
/** Per assigned partition: the next offset to read and one past its newest record, to hold the watermark. */
let posiciones = new Map<number, { siguiente: bigint; alto: bigint }>();
let migrada = false;
let fallosSeguidos = 0;
let lotes = 0;
const totales = { eventos: 0, rechazados: 0, tardios: 0, alertas: 0 };

/** A step that failed because of PostgreSQL or Kafka: waits (longer after each failure), then throws. */
async function fallo(linea: string, error: unknown): Promise<never> {
  estado = null;
  fallosSeguidos++;
  const espera = retryDelayMs(fallosSeguidos, BACKOFF_BASE);
  const motivo = error instanceof Error ? error.message : String(error);
  const paso = failedStep(
    `${linea}: ${motivo}; reintento en ${espera / 1000} s desde lo último escrito`,
    error,
  );
  await sleep(espera);
  throw paso;
}

// ---- reanudar desde lo escrito en PostgreSQL ----

async function reanudar(seek: Seek): Promise<void> {
  let guardado: Awaited<ReturnType<typeof cargarEstado>>;
  try {
    if (!migrada) await migrar(pool);
    migrada = true;
    guardado = await cargarEstado(pool, MOTOR, topics.eventosQog);
  } catch (error) {
    return fallo(
      `no se pudo leer el estado de PostgreSQL (postgres://${destinoBase.host}${destinoBase.pathname})`,
      error,
    );
  }
  let inicios: Map<number, string>;
  let altos: Map<number, string>;
  try {
    const { committed } = await committedOffsets(kafka, groupId, topics.eventosQog, asignadas);
    inicios = new Map(committed.map(({ partition, low }) => [partition, low]));
    altos = new Map(committed.map(({ partition, high }) => [partition, high]));
  } catch (error) {
    return fallo(`no se pudieron leer los offsets de ${topics.eventosQog}`, kafkaError(error));
  }
  posiciones = new Map();
  for (const particion of asignadas) {
    const desde = guardado.offsets.get(particion) ?? inicios.get(particion) ?? '0';
    seek(particion, desde);
    posiciones.set(particion, {
      siguiente: BigInt(desde),
      alto: BigInt(altos.get(particion) ?? desde),
    });
  }
  estado = {
    ventanas: new AgregadorVentanas(
      config.ventanas.ventana30s,
      guardado.ventanas30s,
      guardado.marcaAgua,
    ),
    metricas: new AgregadorVentanas(
      config.ventanas.metricas15min,
      guardado.metricas15min,
      guardado.marcaAgua,
    ),
    detector: new DetectorAlertas(config.umbrales, guardado.estados),
  };
  const desde = asignadas.map(
    (p) => `[${p}] @ ${guardado.offsets.get(p) ?? inicios.get(p) ?? '0'}`,
  );
  console.log(
    Number.isFinite(guardado.marcaAgua)
      ? `reanudando ${topics.eventosQog} ${desde.join(', ')}: marca de agua ${formatUtc(guardado.marcaAgua)}, ${plural(guardado.ventanas30s.length, 'ventana abierta')} de 30 s, ${guardado.metricas15min.length} de 15 min`
      : `empezando ${topics.eventosQog} desde ${desde.join(', ')}: nada escrito aún por ${MOTOR}`,
  );
}

/** Reads the state back once at a time: after a join, or at the next batch after a failure. */
let cargando: Promise<void> | null = null;
function cargar(seek: Seek): Promise<void> {
  cargando ??= reanudar(seek).finally(() => {
    cargando = null;
  });
  return cargando;
}

// ---- un lote ----

function lineaAlerta(alerta: Alerta): string {
  const { unidad } = INDICADORES[alerta.indicador];
  const signo = alerta.desviacion >= 0 ? '+' : '';
  return printable(
    `ALERTA ${alerta.pais} (${alerta.nombrePais}) ${alerta.indicador} ${alerta.direccion}: ${alerta.valor} ${unidad}, ${signo}${(alerta.desviacion * 100).toFixed(1)} % sobre la línea base ${alerta.lineaBase} (${formatUtc(alerta.tiempo)})`,
  );
}

async function procesar(actual: Estado, batch: Batch): Promise<string> {
  const { partition } = batch;
  const alertas: Alerta[] = [];
  const ultimos = new Map<string, UltimoValor>();
  let rechazados = 0;
  let tardios = 0;
  for (const message of batch.messages) {
    const evento = leerEvento(message.value);
    if (evento instanceof EventoError) {
      rechazados++;
      const key = message.key === null ? '' : ` key=${message.key.toString()}`;
      console.error(
        printable(
          `rechazado ${topics.eventosQog} [${partition}] @ ${message.offset}${key}: ${evento.message}`,
        ),
      );
      continue;
    }
    const enVentana = actual.ventanas.agregar(evento, partition);
    const enMetrica = actual.metricas.agregar(evento, partition);
    if (!enVentana || !enMetrica) tardios++;
    const clave = `${evento.pais}|${evento.indicador}`;
    if (esMasReciente(evento, ultimos.get(clave))) ultimos.set(clave, evento);
    const alerta = actual.detector.observar(evento);
    if (alerta !== null) alertas.push(alerta);
  }
  posiciones.set(partition, {
    siguiente: BigInt(batch.lastOffset()) + 1n,
    alto: BigInt(batch.highWatermark),
  });
  const atrasadas = [...posiciones]
    .filter(([, p]) => p.siguiente < p.alto)
    .map(([particion]) => particion);
  const ventanas = actual.ventanas.cerrarLote(atrasadas);
  const metricas = actual.metricas.cerrarLote(atrasadas);
  if (alertas.length > 0) {
    try {
      await producer.send(
        topics.alertasQog,
        alertas.map((a) => ({ key: a.pais, value: codificarAlerta(a) })),
      );
    } catch (error) {
      return fallo(
        `no se pudieron publicar ${plural(alertas.length, 'alerta')} en ${topics.alertasQog}`,
        kafkaError(error),
      );
    }
  }
  const siguienteOffset = (BigInt(batch.lastOffset()) + 1n).toString();
  try {
    await escribirLote(pool, {
      motor: MOTOR,
      topic: topics.eventosQog,
      particion: partition,
      siguienteOffset,
      marcaAgua: actual.ventanas.watermark,
      ventanas30s: ventanas.cambiadas,
      metricas15min: metricas.cambiadas,
      ultimos: [...ultimos.values()],
      alertas,
      estados: actual.detector.cambios(),
    });
  } catch (error) {
    return fallo(
      `no se pudo escribir el lote de ${topics.eventosQog} [${partition}] en PostgreSQL`,
      error,
    );
  }
  fallosSeguidos = 0;
  lotes++;
  const validos = batch.messages.length - rechazados;
  totales.eventos += validos;
  totales.rechazados += rechazados;
  totales.tardios += tardios;
  totales.alertas += alertas.length;
  const marca = Number.isFinite(actual.ventanas.watermark)
    ? formatUtc(actual.ventanas.watermark)
    : 'ninguna aún';
  return [
    `Lote ${lotes}: ${topics.eventosQog} [${partition}] @ ${batch.firstOffset()}–${batch.lastOffset()}: ${validos} eventos, ${rechazados} rechazados, ${tardios} tardíos; escritas ${ventanas.cambiadas.length} ventanas de 30 s, ${metricas.cambiadas.length} métricas de 15 min, ${ultimos.size} últimos valores, ${plural(alertas.length, 'alerta')}; marca de agua ${marca}`,
    ...alertas.map(lineaAlerta),
  ].join('\n');
}

// ---- el grupo de consumidores ----

await consumeAsService(service, {
  kafka,
  groupId,
  topic: topics.eventosQog,
  sessionTimeoutMs: config.sessionTimeoutMs,
  // The state is read back at once after a join, so an idle topic resumes (and says so) too.
  onJoin: (partitions, seek) => {
    estado = null;
    asignadas = partitions;
    cargar(seek).catch(() => {});
  },
  eachBatch: async (
    { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isStale },
    seek,
  ) => {
    if (isStale()) return;
    if (estado === null) {
      await cargar(seek);
      return;
    }
    console.log(await procesar(estado, batch));
    resolveOffset(batch.lastOffset());
    const offset = (BigInt(batch.lastOffset()) + 1n).toString();
    try {
      await commitOffsetsIfNecessary({
        topics: [
          { topic: topics.eventosQog, partitions: [{ partition: batch.partition, offset }] },
        ],
      });
    } catch (error) {
      // PostgreSQL holds the progress a restart resumes from; Kafka's commit only shows the lag.
      console.error(
        `no se pudo confirmar el offset ${offset} en Kafka: ${kafkaError(error).message}`,
      );
    }
    await heartbeat();
  },
  onStop: async () => {
    await producer.close();
    await pool.end().catch(() => {});
    return `${totales.eventos} eventos, ${totales.rechazados} rechazados, ${totales.tardios} tardíos, ${plural(totales.alertas, 'alerta')} en esta ejecución`;
  },
});
