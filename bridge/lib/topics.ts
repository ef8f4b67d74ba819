import { envString } from './env.ts';

/** Topic names, as the course names them; each can be overridden by its environment variable. */
export const topics = {
  /** Challenge-4 messages, one record per quake version, keyed by quake id. */
  sismos: envString('SISMOS_TOPIC', 'sismos'),
  /** Challenges 2 and 3. */
  mensajes: envString('MENSAJES_TOPIC', 'mensajes-test'),
};
