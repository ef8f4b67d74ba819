import { envString } from './env.ts';

/** Topic names, as the course names them; each can be overridden by its environment variable. */
export const topics = {
  /** Challenge-4 messages, one record per quake version, keyed by quake id. */
  sismos: envString('SISMOS_TOPIC', 'sismos'),
  /** The same messages in Avro, in the schema registry's wire format (MESSAGE_FORMAT=avro). */
  sismosAvro: envString('SISMOS_AVRO_TOPIC', 'sismos-avro'),
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
