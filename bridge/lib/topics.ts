import { envString } from './env.ts';

/** Topic names, as the course names them; each can be overridden by its environment variable. */
export const topics = {
  /** Challenge-4 messages, one record per quake (its first version), keyed by quake id. */
  sismos: envString('SISMOS_TOPIC', 'sismos'),
  /** The same messages in Avro, in the schema registry's wire format (MESSAGE_FORMAT=avro). */
  sismosAvro: envString('SISMOS_AVRO_TOPIC', 'sismos-avro'),
  /**
   * Later versions of the quakes of `sismos` (same key, same message format); the same name as
   * `sismos` puts them there too (the old behaviour), and null (REVISIONS_TOPIC set empty) drops them.
   */
  revisiones: revisionsSetting(),
  /** Challenge 5: one record per alerted quake, keyed by quake id, valued with its challenge-4 message. */
  alertas: envString('ALERTAS_TOPIC', 'sismos-alertas'),
  /** Challenge 6: one record per window update, keyed by window start, valued with its sismos-stats message. */
  stats: envString('STATS_TOPIC', 'sismos-stats'),
  /** Records of `sismos` the alert consumer could not read, copied as they were, with the reason in headers. */
  dlq: envString('DLQ_TOPIC', 'sismos-dlq'),
  /** The notebook's e-commerce stream: one record per event, keyed by user. */
  ecommerce: envString('ECOMMERCE_TOPIC', 'eventos-ecommerce'),
  /** procesador_ecommerce's results: one record per closed window, keyed by pattern, user and start. */
  ecommerceResults: envString('ECOMMERCE_RESULTS_TOPIC', 'ecommerce-resultados'),
  /** Observatorio económico: simulated indicator values, keyed by ISO alpha-3 country code. */
  eventosQog: envString('EVENTOS_QOG_TOPIC', 'eventos_qog'),
  /** Observatorio económico: one record per alert, keyed by country code. */
  alertasQog: envString('ALERTAS_QOG_TOPIC', 'alertas_qog'),
  /** Challenges 2 and 3. */
  mensajes: envString('MENSAJES_TOPIC', 'mensajes-test'),
};

/** The topic of quake messages written in `format`. */
export function quakeTopic(format: 'json' | 'avro'): string {
  return format === 'avro' ? topics.sismosAvro : topics.sismos;
}

/**
 * Where revisions of the quakes written in `format` go: REVISIONS_TOPIC for JSON; in Avro every
 * version stays on the Avro topic, read only by our consumers, which count each quake once.
 */
export function revisionsTopic(format: 'json' | 'avro'): string | null {
  return format === 'avro' ? topics.sismosAvro : topics.revisiones;
}

/** REVISIONS_TOPIC: unset means the default, set but empty means no revisions at all. */
function revisionsSetting(): string | null {
  const value = process.env.REVISIONS_TOPIC;
  if (value === undefined) return 'sismos-revisiones';
  return value.trim() === '' ? null : value.trim();
}

/** The topics a reader of every version of the quakes in `format` consumes: the quakes, then their revisions (once). */
export function quakeTopics(format: 'json' | 'avro' = 'json'): string[] {
  const quakes = quakeTopic(format);
  const revisions = revisionsTopic(format);
  return revisions === null || revisions === quakes ? [quakes] : [quakes, revisions];
}
