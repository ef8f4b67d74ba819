/**
 * simulador_qog's rule: from the real baseline, each series (country × indicator) moves as a
 * mean-reverting random walk with rare shocks, drawn from a seeded generator, so a seed, a start
 * time and a rate always give the same stream, event for event.
 */
import { seededRandom } from '../random.ts';
import type { EventoQog } from './eventos.ts';
import { INDICADORES, type Indicador, NOMBRES_INDICADORES } from './indicadores.ts';
import { LINEA_BASE } from './linea-base.ts';

export interface ParametrosPaseo {
  /** Share of the gap to the baseline closed at each step (the mean reversion). */
  readonly reversion: number;
  /** Standard deviation of a step, as a share of the baseline. */
  readonly volatilidad: number;
  /** Probability that a step carries a shock. */
  readonly probabilidadShock: number;
  /** A shock moves the value by this share of the baseline at least, and twice it at most, up or down. */
  readonly shock: number;
}

/**
 * Steps of 1 % with a reversion of 5 % keep a series within a few per cent of its baseline; one
 * step in fifty carries a shock of 12 to 24 %, so the default thresholds (10 %) fire now and then.
 */
export const PASEO_POR_DEFECTO: ParametrosPaseo = {
  reversion: 0.05,
  volatilidad: 0.01,
  probabilidadShock: 0.02,
  shock: 0.12,
};

/** One step of the walk from `valor` towards `base`; `azar` draws numbers in [0, 1). */
export function paso(
  valor: number,
  base: number,
  azar: () => number,
  p: ParametrosPaseo = PASEO_POR_DEFECTO,
): number {
  // Box–Muller: a standard normal draw from two uniform ones (1 - u keeps the logarithm finite).
  const normal = Math.sqrt(-2 * Math.log(1 - azar())) * Math.cos(2 * Math.PI * azar());
  let siguiente = valor + p.reversion * (base - valor) + p.volatilidad * base * normal;
  if (azar() < p.probabilidadShock) {
    const signo = azar() < 0.5 ? -1 : 1;
    siguiente += signo * p.shock * (1 + azar()) * base;
  }
  // Every indicator is positive: a walk never goes below a hundredth of its baseline.
  return Math.max(siguiente, base / 100);
}

export interface OpcionesSimulador {
  readonly semilla: number;
  /** Event time of the first event, epoch ms. */
  readonly inicio: number;
  /** Events per second of event time: the n-th event is at inicio + n / rate seconds. */
  readonly eventosPorSegundo: number;
  readonly paseo?: ParametrosPaseo;
}

interface Serie {
  readonly pais: string;
  readonly nombrePais: string;
  readonly indicador: Indicador;
  readonly base: number;
  valor: number;
}

/** The stream of simulated events: each call to siguiente() picks a series at random and moves it. */
export class Simulador {
  readonly #azar: () => number;
  readonly #series: Serie[];
  readonly #opciones: OpcionesSimulador;
  #n = 0;

  constructor(opciones: OpcionesSimulador) {
    if (!(opciones.eventosPorSegundo > 0) || !Number.isFinite(opciones.eventosPorSegundo)) {
      throw new RangeError(
        `eventosPorSegundo must be a positive number, got ${opciones.eventosPorSegundo}`,
      );
    }
    this.#opciones = opciones;
    this.#azar = seededRandom(opciones.semilla);
    this.#series = LINEA_BASE.flatMap((fila) =>
      NOMBRES_INDICADORES.map((indicador) => ({
        pais: fila.pais,
        nombrePais: fila.nombre,
        indicador,
        base: fila.valores[indicador],
        valor: fila.valores[indicador],
      })),
    );
  }

  /** How many events were made so far. */
  get emitidos(): number {
    return this.#n;
  }

  /** Event time of the next event, epoch ms (whole milliseconds). */
  get proximoTiempo(): number {
    return this.#opciones.inicio + Math.floor((this.#n * 1000) / this.#opciones.eventosPorSegundo);
  }

  siguiente(): EventoQog {
    const tiempo = this.proximoTiempo;
    const serie = this.#series[Math.floor(this.#azar() * this.#series.length)] as Serie;
    serie.valor = paso(serie.valor, serie.base, this.#azar, this.#opciones.paseo);
    this.#n++;
    const { decimales, unidad } = INDICADORES[serie.indicador];
    return {
      pais: serie.pais,
      nombrePais: serie.nombrePais,
      indicador: serie.indicador,
      valor: Number(serie.valor.toFixed(decimales)),
      unidad,
      tiempo,
    };
  }
}
