/**
 * Observatorio económico — the simulator. Sends to `eventos_qog`, keyed by country, a stream of
 * indicator values that start from a real baseline (Gapminder, src/core/observatorio/linea-base.ts)
 * and move as mean-reverting random walks with rare shocks. The n-th event's time is
 * inicio + n / rate, and it is sent once that time has come: an --inicio in the past sends the
 * events up to now at once, then goes on at the rate. The same seed, start and rate always give the
 * same events.
 *
 *   npm run simulador-qog                                  # 2 events/s (120/min), random seed
 *   npm run simulador-qog -- --eventos-por-segundo 5000    # load test
 *   npm run simulador-qog -- --semilla 42 --inicio 2026-01-01T00:00:00Z --eventos 3000
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/core/errors.ts';
import { codificarEvento, type EventoQog } from '../src/core/observatorio/eventos.ts';
import { Simulador } from '../src/core/observatorio/simulacion.ts';
import { exitWhenPrinted, formatUtc, plural } from './lib/console.ts';
import { envNumber } from './lib/env.ts';
import { helpText } from './lib/help.ts';
import { createKafka, kafkaBrokers, SERVICE_RETRY } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { createAckedProducer } from './lib/producer.ts';
import { Service } from './lib/service.ts';
import { topics } from './lib/topics.ts';

const USAGE =
  'usage: simulador_qog [--eventos-por-segundo N] [--semilla N] [--inicio ISO-8601] [--eventos N]';
const service = new Service(
  'simulador_qog',
  helpText('simulador_qog', {
    summary:
      "the economic observatory's simulator: indicator values from a real baseline as mean-reverting random walks with rare shocks, to eventos_qog, keyed by country.",
    usage:
      'npm run simulador-qog -- [--eventos-por-segundo N] [--semilla N] [--inicio ISO-8601] [--eventos N]',
    variables: [
      'KAFKA_BROKERS',
      'EVENTOS_QOG_TOPIC',
      'SIMULADOR_EVENTOS_POR_SEGUNDO',
      'KAFKAJS_LOG_LEVEL',
    ],
    notes: 'The same --semilla, --inicio and rate always give the same events.',
  }),
);
/** Most events one send carries, so a catch-up from an old --inicio goes in bounded steps. */
const MAX_POR_ENVIO = 5000;
/** Up to this rate every event gets its own line, as the course's producer prints them. */
const TASA_CON_LINEAS = 10;

function numeroFlag(
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= min && value <= max)) {
    throw new ConfigError(
      'CONFIG_FLAG',
      `--${flag} debe ser un número entre ${min} y ${max}, no "${raw}"; ${USAGE}`,
    );
  }
  return value;
}

service.config(kafkaBrokers);
const config = service.config(() => {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        'eventos-por-segundo': { type: 'string' },
        semilla: { type: 'string' },
        inicio: { type: 'string' },
        eventos: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new ConfigError('CONFIG_FLAG', `${(error as Error).message}; ${USAGE}`);
  }
  const inicio = values.inicio === undefined ? Date.now() : Date.parse(values.inicio);
  if (!Number.isFinite(inicio)) {
    throw new ConfigError(
      'CONFIG_FLAG',
      `--inicio debe ser una fecha ISO 8601, p. ej. 2026-01-01T00:00:00Z, no "${values.inicio}"`,
    );
  }
  return {
    eventosPorSegundo:
      numeroFlag('eventos-por-segundo', values['eventos-por-segundo'], 0.001, 100_000) ??
      envNumber('SIMULADOR_EVENTOS_POR_SEGUNDO', 2, { min: 0.001, max: 100_000 }),
    semilla:
      numeroFlag('semilla', values.semilla, 0, 2 ** 32 - 1) ?? Math.floor(Math.random() * 2 ** 32),
    inicio,
    eventos:
      numeroFlag('eventos', values.eventos, 1, Number.MAX_SAFE_INTEGER) ?? Number.POSITIVE_INFINITY,
  };
});

const simulador = new Simulador(config);
const kafka = createKafka('simulador-qog', SERVICE_RETRY);
const producer = createAckedProducer(kafka);
let enviados = 0;
service.onStop(async () => {
  await producer.close();
  return `${plural(enviados, 'evento')} enviados a ${topics.eventosQog}`;
});
console.log(
  `${service.name}: ${config.eventosPorSegundo} eventos/s a ${topics.eventosQog} en ${kafkaBrokers().join(',')}, semilla ${config.semilla}, desde ${formatUtc(config.inicio)}; Ctrl+C para parar`,
);

function lineaEvento(e: EventoQog): string {
  return `enviado ${e.pais} ${e.indicador}=${e.valor} ${e.unidad} (${new Date(e.tiempo).toISOString()})`;
}

let ultimoResumen = Date.now();
while (enviados < config.eventos && !service.stopping.aborted) {
  const lote: EventoQog[] = [];
  while (
    lote.length < MAX_POR_ENVIO &&
    enviados + lote.length < config.eventos &&
    simulador.proximoTiempo <= Date.now()
  ) {
    lote.push(simulador.siguiente());
  }
  if (lote.length === 0) {
    await sleep(Math.min(100, Math.max(1, simulador.proximoTiempo - Date.now())));
    continue;
  }
  try {
    await producer.send(
      topics.eventosQog,
      lote.map((e) => ({ key: e.pais, value: codificarEvento(e) })),
    );
  } catch (error) {
    service.fail(
      `no se pudieron enviar ${plural(lote.length, 'evento')} a ${topics.eventosQog}: ${kafkaError(error).message}`,
    );
  }
  enviados += lote.length;
  if (config.eventosPorSegundo <= TASA_CON_LINEAS) {
    for (const e of lote) console.log(lineaEvento(e));
  } else if (Date.now() - ultimoResumen >= 5000 || enviados >= config.eventos) {
    ultimoResumen = Date.now();
    const ultimo = lote.at(-1) as EventoQog;
    console.log(`${enviados} eventos enviados; el último: ${lineaEvento(ultimo)}`);
  }
}
if (!service.stopping.aborted) {
  await producer.close();
  console.log(`${plural(enviados, 'evento')} enviados a ${topics.eventosQog}.`);
  exitWhenPrinted(0);
}
