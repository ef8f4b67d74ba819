/**
 * The observatory's aggregations by event time: the average (with count, minimum and maximum) of
 * each series in tumbling windows (30 s, and the 15-minute metrics), with a watermark, and the
 * latest value of each series. Windows are those of challenge 6 (window.ts: aligned to the Unix
 * epoch, as Spark's window() aligns them), per series instead of over the whole stream.
 */

import { MINUTE_MS, SECOND_MS } from '../time.ts';
import { tumblingWindows, type WindowSpec, windowStarts } from '../window.ts';
import type { EventoQog } from './eventos.ts';

/** The watermark delay of the seed's Spark example: events may arrive up to a minute late. */
export const RETRASO_POR_DEFECTO_MS = MINUTE_MS;

/** The 30-second windows, the seed's, and the 15-minute metrics, with one watermark delay. */
export function ventanasQog(retrasoMs = RETRASO_POR_DEFECTO_MS): {
  ventana30s: WindowSpec;
  metricas15min: WindowSpec;
} {
  return {
    ventana30s: tumblingWindows(30 * SECOND_MS, retrasoMs),
    metricas15min: tumblingWindows(15 * MINUTE_MS, retrasoMs),
  };
}

export const { ventana30s: VENTANA_30S, metricas15min: VENTANA_15MIN } = ventanasQog();

/** One series in one window. The average is suma / n; the sum is kept so a restart resumes it. */
export interface Agregado {
  readonly pais: string;
  readonly indicador: string;
  /** Inclusive start, epoch ms. */
  readonly inicio: number;
  /** Exclusive end, epoch ms. */
  readonly fin: number;
  readonly n: number;
  readonly suma: number;
  readonly minimo: number;
  readonly maximo: number;
}

export function promedio(agregado: Agregado): number {
  return agregado.suma / agregado.n;
}

/** What a batch did to the windows: those it changed (current figures) and those it closed (final). */
export interface LoteVentanas {
  readonly cambiadas: readonly Agregado[];
  readonly cerradas: readonly Agregado[];
}

function claveVentana(pais: string, indicador: string, inicio: number): string {
  return `${pais}|${indicador}|${inicio}`;
}

/**
 * Windows per series with Spark's micro-batch semantics (as WindowAggregator): events are added a
 * batch at a time against the watermark of the previous batch; an event whose window has closed is
 * late and left out; cerrarLote() then moves the watermark to the newest event time seen minus the
 * allowed lateness, held back by the partitions still behind (as EventWindows.heldWatermark), and
 * forgets the windows it passed. Built from the open windows and watermark written with the last
 * batch, so a restart resumes them exactly.
 */
export class AgregadorVentanas {
  readonly spec: WindowSpec;
  readonly #abiertas = new Map<string, Agregado>();
  readonly #cambiadas = new Set<string>();
  #maxTiempo = Number.NEGATIVE_INFINITY;
  /** The newest event time read from each partition. */
  readonly #maxPorParticion = new Map<number, number>();
  #watermark: number;

  constructor(
    spec: WindowSpec,
    abiertas: readonly Agregado[] = [],
    watermark = Number.NEGATIVE_INFINITY,
  ) {
    this.spec = spec;
    this.#watermark = watermark;
    for (const a of abiertas) {
      if (a.fin > watermark) this.#abiertas.set(claveVentana(a.pais, a.indicador, a.inicio), a);
    }
  }

  /** Windows ending at or before this event time are closed; -Infinity before the first batch. */
  get watermark(): number {
    return this.#watermark;
  }

  /**
   * Adds an event, read from `particion`, to its window; false when that window had closed (a late
   * event, left out).
   */
  agregar(evento: EventoQog, particion = 0): boolean {
    this.#maxPorParticion.set(
      particion,
      Math.max(this.#maxPorParticion.get(particion) ?? Number.NEGATIVE_INFINITY, evento.tiempo),
    );
    const [inicio] = windowStarts(evento.tiempo, this.spec);
    if (inicio === undefined || inicio + this.spec.sizeMs <= this.#watermark) return false;
    const clave = claveVentana(evento.pais, evento.indicador, inicio);
    const antes = this.#abiertas.get(clave);
    const { valor } = evento;
    this.#abiertas.set(clave, {
      pais: evento.pais,
      indicador: evento.indicador,
      inicio,
      fin: inicio + this.spec.sizeMs,
      n: (antes?.n ?? 0) + 1,
      suma: (antes?.suma ?? 0) + valor,
      minimo: Math.min(antes?.minimo ?? valor, valor),
      maximo: Math.max(antes?.maximo ?? valor, valor),
    });
    this.#cambiadas.add(clave);
    this.#maxTiempo = Math.max(this.#maxTiempo, evento.tiempo);
    return true;
  }

  /**
   * Ends a batch: the windows it changed, then the watermark moves and closes windows. It moves no
   * further than the newest event of each partition in `atrasadas` (those with records still to
   * read) allows, so reading one partition's backlog ahead of another's never makes the other's
   * events late.
   */
  cerrarLote(atrasadas: Iterable<number> = []): LoteVentanas {
    const cambiadas = [...this.#cambiadas]
      .map((clave) => this.#abiertas.get(clave))
      .filter((a): a is Agregado => a !== undefined)
      .sort(ordenAgregados);
    this.#cambiadas.clear();
    let reciente = this.#maxTiempo;
    for (const particion of atrasadas) {
      reciente = Math.min(
        reciente,
        this.#maxPorParticion.get(particion) ?? Number.NEGATIVE_INFINITY,
      );
    }
    this.#watermark = Math.max(this.#watermark, reciente - this.spec.allowedLatenessMs);
    const cerradas: Agregado[] = [];
    for (const [clave, agregado] of this.#abiertas) {
      if (agregado.fin <= this.#watermark) {
        cerradas.push(agregado);
        this.#abiertas.delete(clave);
      }
    }
    return { cambiadas, cerradas: cerradas.sort(ordenAgregados) };
  }

  /** Current figures of every open window. */
  abiertas(): Agregado[] {
    return [...this.#abiertas.values()].sort(ordenAgregados);
  }
}

/** Oldest window first, then by country and indicator. */
export function ordenAgregados(a: Agregado, b: Agregado): number {
  return (
    a.inicio - b.inicio || a.pais.localeCompare(b.pais) || a.indicador.localeCompare(b.indicador)
  );
}

/** The latest value of a series: the one of the newest event time (the larger value on a tie). */
export interface UltimoValor {
  readonly pais: string;
  readonly nombrePais: string;
  readonly indicador: string;
  readonly valor: number;
  readonly unidad: string;
  readonly tiempo: number;
}

/**
 * Whether `nuevo` replaces `actual` as the latest value: by event time, then by value, so the
 * result does not depend on the order events are read in (PostgreSQL's upsert applies the same rule).
 */
export function esMasReciente(nuevo: UltimoValor, actual: UltimoValor | undefined): boolean {
  return (
    actual === undefined ||
    nuevo.tiempo > actual.tiempo ||
    (nuevo.tiempo === actual.tiempo && nuevo.valor > actual.valor)
  );
}
