/**
 * alertas's rule: a series alerts when its value moves away from its baseline by more than its
 * indicator's threshold, and only once: it re-arms when the value comes back within the smaller
 * re-arm band (hysteresis), so a value hovering at the threshold does not alert on every event.
 */
import { ConfigError } from '../errors.ts';
import type { EventoQog } from './eventos.ts';
import { type Indicador, NOMBRES_INDICADORES, paisDeLineaBase } from './indicadores.ts';

/** Shares of the baseline: alert beyond ±alerta, re-arm within ±rearme (0 < rearme <= alerta). */
export interface Umbral {
  readonly alerta: number;
  readonly rearme: number;
}

export const UMBRAL_POR_DEFECTO: Umbral = { alerta: 0.1, rearme: 0.05 };

/** Where a series stands: within its band, or alerted above or below its baseline. */
export type EstadoSerie = 'normal' | 'alta' | 'baja';

export type Direccion = 'sube' | 'baja';

export interface Alerta {
  readonly pais: string;
  readonly nombrePais: string;
  readonly indicador: Indicador;
  readonly valor: number;
  readonly unidad: string;
  readonly lineaBase: number;
  /** (valor - lineaBase) / lineaBase. */
  readonly desviacion: number;
  readonly direccion: Direccion;
  /** Event time of the event that alerted, epoch ms. */
  readonly tiempo: number;
}

/** The next state of a series at deviation `desviacion`, and the alert the move raises, if any. */
export function evaluar(
  estado: EstadoSerie,
  desviacion: number,
  umbral: Umbral,
): { estado: EstadoSerie; alerta: Direccion | null } {
  if (desviacion >= umbral.alerta) {
    return { estado: 'alta', alerta: estado === 'alta' ? null : 'sube' };
  }
  if (desviacion <= -umbral.alerta) {
    return { estado: 'baja', alerta: estado === 'baja' ? null : 'baja' };
  }
  if (Math.abs(desviacion) < umbral.rearme) return { estado: 'normal', alerta: null };
  return { estado, alerta: null };
}

/** The key of a series: country and indicator. */
export function claveSerie(pais: string, indicador: string): string {
  return `${pais}|${indicador}`;
}

/**
 * The alert states of every series, fed events in the order of their partition. Built from the
 * states saved with the last written batch, so a restart neither repeats nor forgets an alert.
 */
export class DetectorAlertas {
  readonly #umbrales: Readonly<Record<Indicador, Umbral>>;
  readonly #estados: Map<string, EstadoSerie>;
  /** Series whose state changed since the last call to cambios(). */
  readonly #cambiados = new Set<string>();

  constructor(
    umbrales: Readonly<Record<Indicador, Umbral>>,
    estados: ReadonlyMap<string, EstadoSerie> = new Map(),
  ) {
    this.#umbrales = umbrales;
    this.#estados = new Map(estados);
  }

  estado(pais: string, indicador: string): EstadoSerie {
    return this.#estados.get(claveSerie(pais, indicador)) ?? 'normal';
  }

  observar(evento: EventoQog): Alerta | null {
    const lineaBase = paisDeLineaBase(evento.pais)?.valores[evento.indicador];
    if (lineaBase === undefined) return null;
    const clave = claveSerie(evento.pais, evento.indicador);
    const antes = this.#estados.get(clave) ?? 'normal';
    const desviacion = (evento.valor - lineaBase) / lineaBase;
    const { estado, alerta } = evaluar(antes, desviacion, this.#umbrales[evento.indicador]);
    if (estado !== antes) {
      this.#estados.set(clave, estado);
      this.#cambiados.add(clave);
    }
    if (alerta === null) return null;
    const { pais, nombrePais, indicador, valor, unidad, tiempo } = evento;
    return {
      pais,
      nombrePais,
      indicador,
      valor,
      unidad,
      lineaBase,
      desviacion,
      direccion: alerta,
      tiempo,
    };
  }

  /** The series whose state changed since the last call, with their state now; then forgets them. */
  cambios(): { pais: string; indicador: string; estado: EstadoSerie }[] {
    const cambios = [...this.#cambiados].sort().map((clave) => {
      const [pais = '', indicador = ''] = clave.split('|');
      return { pais, indicador, estado: this.#estados.get(clave) ?? 'normal' };
    });
    this.#cambiados.clear();
    return cambios;
  }
}

/**
 * Thresholds from UMBRALES_QOG, "indicador=alerta:rearme" in per cent, comma-separated
 * ("wdi_lifexp=8:4,wdi_pop=5:2"); indicators not named keep the default 10:5.
 */
export function leerUmbrales(texto: string): Record<Indicador, Umbral> {
  const umbrales = Object.fromEntries(
    NOMBRES_INDICADORES.map((indicador) => [indicador, UMBRAL_POR_DEFECTO]),
  ) as Record<Indicador, Umbral>;
  for (const parte of texto
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const match = /^([a-z0-9_]+)=(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(parte);
    const indicador = match?.[1] ?? '';
    const alerta = Number(match?.[2]) / 100;
    const rearme = Number(match?.[3]) / 100;
    if (match === null || !(NOMBRES_INDICADORES as string[]).includes(indicador)) {
      throw new ConfigError(
        'CONFIG_FORMAT',
        `UMBRALES_QOG: "${parte}" no es indicador=alerta:rearme con un indicador de ${NOMBRES_INDICADORES.join(', ')}; p. ej. wdi_lifexp=8:4`,
      );
    }
    if (!(alerta > 0 && rearme > 0 && rearme <= alerta)) {
      throw new ConfigError(
        'CONFIG_RANGE',
        `UMBRALES_QOG: en "${parte}" hace falta 0 < rearme <= alerta (en %); p. ej. ${indicador}=10:5`,
      );
    }
    umbrales[indicador as Indicador] = { alerta, rearme };
  }
  return umbrales;
}

/** The alert as the JSON of `alertas_qog`, with the wire names of the table `alertas`. */
export function codificarAlerta(alerta: Alerta): string {
  return JSON.stringify({
    pais: alerta.pais,
    nombre_pais: alerta.nombrePais,
    indicador: alerta.indicador,
    valor: alerta.valor,
    unidad: alerta.unidad,
    linea_base: alerta.lineaBase,
    desviacion: alerta.desviacion,
    direccion: alerta.direccion,
    tiempo_evento: new Date(alerta.tiempo).toISOString(),
  });
}
