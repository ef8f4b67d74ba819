import { envString } from './env.ts';

/** Topic names, as the course names them; each can be overridden by its environment variable. */
export const topics = {
  /** Challenge-4 messages, one record per quake (its first version), keyed by quake id. */
  sismos: envString('SISMOS_TOPIC', 'sismos'),
  /**
   * Later versions of the quakes of `sismos` (same key, same message format); the same name as
   * `sismos` puts them there too (the old behaviour), and null (REVISIONS_TOPIC set empty) drops them.
   */
  revisiones: revisionsTopic(),
  /** Challenge 5: one record per alerted quake, keyed by quake id, valued with its challenge-4 message. */
  alertas: envString('ALERTAS_TOPIC', 'sismos-alertas'),
  /** Challenge 6: one record per window update, keyed by window start, valued with its sismos-stats message. */
  stats: envString('STATS_TOPIC', 'sismos-stats'),
  /** Records of `sismos` the alert consumer could not read, copied as they were, with the reason in headers. */
  dlq: envString('DLQ_TOPIC', 'sismos-dlq'),
  /** Challenges 2 and 3. */
  mensajes: envString('MENSAJES_TOPIC', 'mensajes-test'),
};

/** REVISIONS_TOPIC: unset means the default, set but empty means no revisions at all. */
function revisionsTopic(): string | null {
  const value = process.env.REVISIONS_TOPIC;
  if (value === undefined) return 'sismos-revisiones';
  return value.trim() === '' ? null : value.trim();
}

/** The topics a reader of every version of the quakes consumes: `sismos`, then the revisions (once). */
export function quakeTopics(): string[] {
  const { sismos, revisiones } = topics;
  return revisiones === null || revisiones === sismos ? [sismos] : [sismos, revisiones];
}
