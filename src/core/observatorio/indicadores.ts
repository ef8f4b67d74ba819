/**
 * The observatory's indicators, named as the QoG Standard Dataset names the closest variable, and
 * the countries it simulates: those of the real baseline (linea-base.ts).
 */
import { LINEA_BASE } from './linea-base.ts';

interface DefinicionIndicador {
  /** What a person reads. */
  readonly nombre: string;
  readonly unidad: string;
  /** Decimals the simulator keeps, those of the published figures. */
  readonly decimales: number;
}

export const INDICADORES = {
  wdi_gdpcappppcon2017: {
    nombre: 'PIB per cápita (PPA)',
    unidad: 'dólares internacionales',
    decimales: 0,
  },
  wdi_lifexp: { nombre: 'Esperanza de vida al nacer', unidad: 'años', decimales: 2 },
  wdi_fertility: { nombre: 'Tasa de fecundidad', unidad: 'hijos por mujer', decimales: 2 },
  wdi_pop: { nombre: 'Población', unidad: 'habitantes', decimales: 0 },
} as const satisfies Record<string, DefinicionIndicador>;

export type Indicador = keyof typeof INDICADORES;

export const NOMBRES_INDICADORES = Object.keys(INDICADORES) as Indicador[];

export function esIndicador(nombre: string): nombre is Indicador {
  return Object.hasOwn(INDICADORES, nombre);
}

/** One country of the baseline: ISO 3166-1 alpha-3 code, Spanish name, and a figure per indicator. */
export interface FilaLineaBase {
  readonly pais: string;
  readonly nombre: string;
  readonly valores: Readonly<Record<Indicador, number>>;
}

const PAISES = new Map(LINEA_BASE.map((fila) => [fila.pais, fila]));

/** The baseline row of an alpha-3 code, or undefined for a country the observatory does not know. */
export function paisDeLineaBase(pais: string): FilaLineaBase | undefined {
  return PAISES.get(pais);
}
