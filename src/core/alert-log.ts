import { alertFields, formatAlertBox } from './alert.ts';
import { isFiniteNumber, isObject } from './guards.ts';
import type { Quake } from './quake.ts';
import { printable } from './text.ts';

/** What `alertas.log` remembers of one alert: enough to never write it twice. */
export interface LoggedAlert {
  readonly id: string;
  /** Origin time, epoch ms. */
  readonly time: number;
  /** `updated` of the version that was alerted, epoch ms. */
  readonly updated: number;
  readonly mag: number | null;
}

/** Starts the machine-readable first line of every entry. */
const LOG_HEADER = '# alerta ';

/**
 * One `alertas.log` entry: a header line carrying the alert as JSON (so a restarted consumer can
 * read back which quakes it already alerted), the course's boxed alert, and a blank line.
 *
 *   # alerta {"id":"us7000abcd","magnitud":5.2,"timestamp":"…","actualizado":"…","escrita":"…"}
 *   ╔════════════════════════════════════════╗
 *   ║         ALERTA SISMICA                 ║
 *   …
 *   ╚════════════════════════════════════════╝
 */
export function formatLogEntry(quake: Quake, writtenAt: number): string {
  const header = {
    id: quake.id,
    magnitud: quake.mag,
    timestamp: new Date(quake.time).toISOString(),
    actualizado: new Date(quake.updated).toISOString(),
    escrita: new Date(writtenAt).toISOString(),
  };
  // printable() turns C1 control characters into \uXXXX, which JSON reads back as the same text.
  return `${LOG_HEADER}${printable(JSON.stringify(header))}\n${formatAlertBox(alertFields(quake))}\n\n`;
}

/**
 * Reads `alertas.log` back line by line. An entry counts once its box is closed, so an entry cut
 * short by a crash (its header written, its box not) is not taken as alerted and gets written again.
 */
export class AlertLogReader {
  #pending: LoggedAlert | null = null;
  #torn = 0;

  /** Feeds the next line (without its newline); returns the alert this line completes, if any. */
  line(text: string): LoggedAlert | null {
    if (text.startsWith(LOG_HEADER)) {
      if (this.#pending !== null) this.#torn++;
      this.#pending = parseHeader(text.slice(LOG_HEADER.length));
      return null;
    }
    if (text.startsWith('╚') && this.#pending !== null) {
      const done = this.#pending;
      this.#pending = null;
      return done;
    }
    return null;
  }

  /** Entries begun but never completed, counting one still open at the end of the file. */
  get torn(): number {
    return this.#torn + (this.#pending === null ? 0 : 1);
  }
}

function parseHeader(json: string): LoggedAlert | null {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isObject(doc) || typeof doc.id !== 'string' || doc.id.length === 0) return null;
  const time = typeof doc.timestamp === 'string' ? Date.parse(doc.timestamp) : Number.NaN;
  const updated = typeof doc.actualizado === 'string' ? Date.parse(doc.actualizado) : Number.NaN;
  if (!Number.isFinite(time) || !Number.isFinite(updated)) return null;
  if (doc.magnitud !== null && !isFiniteNumber(doc.magnitud)) return null;
  return { id: doc.id, time, updated, mag: doc.magnitud };
}
