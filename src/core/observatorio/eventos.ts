/**
 * An event of `eventos_qog`: one new value of one indicator of one country. The Spanish wire fields
 * (`nombre_pais`, `tiempo_evento`) exist only here, converted to and from EventoQog in one place.
 */
import { SismosError } from '../errors.ts';
import { isObject } from '../guards.ts';
import { esIndicador, INDICADORES, type Indicador, paisDeLineaBase } from './indicadores.ts';

export interface EventoQog {
  /** ISO 3166-1 alpha-3 code; the record's key. */
  readonly pais: string;
  readonly nombrePais: string;
  readonly indicador: Indicador;
  readonly valor: number;
  readonly unidad: string;
  /** Event time, epoch ms. */
  readonly tiempo: number;
}

type EventoErrorCode =
  | 'EVENT_NOT_JSON'
  | 'EVENT_BAD_FIELD'
  | 'EVENT_UNKNOWN_COUNTRY'
  | 'EVENT_UNKNOWN_INDICATOR'
  | 'EVENT_NOT_FINITE';

/** A record of `eventos_qog` that is not a valid event: rejected and counted, never averaged. */
export class EventoError extends SismosError {
  declare readonly code: EventoErrorCode;

  constructor(code: EventoErrorCode, message: string) {
    super(code, message, false);
  }
}

/** An ISO 8601 UTC time as the simulator writes it, Z or +00:00, with or without fractions. */
const TIEMPO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|\+00:00)$/;

/** The event as JSON text, fields in the order a student reads them. */
export function codificarEvento(evento: EventoQog): string {
  return JSON.stringify({
    pais: evento.pais,
    nombre_pais: evento.nombrePais,
    indicador: evento.indicador,
    valor: evento.valor,
    unidad: evento.unidad,
    tiempo_evento: new Date(evento.tiempo).toISOString(),
  });
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a record's value: the event, or the EventoError that says which field is wrong and why. */
export function leerEvento(value: Uint8Array | string | null): EventoQog | EventoError {
  let data: unknown;
  try {
    data = JSON.parse(
      typeof value === 'string' ? value : decoder.decode(value ?? new Uint8Array()),
    );
  } catch {
    return new EventoError(
      'EVENT_NOT_JSON',
      'el valor no es JSON UTF-8: se esperaba un objeto evento',
    );
  }
  if (!isObject(data)) {
    return new EventoError('EVENT_NOT_JSON', 'el valor no es un objeto JSON');
  }
  const { pais, nombre_pais, indicador, valor, unidad, tiempo_evento } = data;
  if (typeof pais !== 'string') return campo('pais', pais, 'un código ISO 3166-1 alfa-3');
  const fila = paisDeLineaBase(pais);
  if (fila === undefined) {
    return new EventoError(
      'EVENT_UNKNOWN_COUNTRY',
      `pais ${JSON.stringify(pais)} no es un código alfa-3 de la línea base (p. ej. "ARG")`,
    );
  }
  if (typeof nombre_pais !== 'string' || nombre_pais.trim() === '') {
    return campo('nombre_pais', nombre_pais, 'un texto no vacío');
  }
  if (typeof indicador !== 'string')
    return campo('indicador', indicador, 'un nombre de variable QoG');
  if (!esIndicador(indicador)) {
    return new EventoError(
      'EVENT_UNKNOWN_INDICATOR',
      `indicador ${JSON.stringify(indicador)} desconocido; se esperaba uno de ${Object.keys(INDICADORES).join(', ')}`,
    );
  }
  if (typeof valor !== 'number') return campo('valor', valor, 'un número');
  if (!Number.isFinite(valor)) {
    return new EventoError('EVENT_NOT_FINITE', `valor ${valor} no es un número finito`);
  }
  const esperada = INDICADORES[indicador].unidad;
  if (unidad !== esperada) return campo('unidad', unidad, `"${esperada}" para ${indicador}`);
  const tiempo =
    typeof tiempo_evento === 'string' && TIEMPO_UTC.test(tiempo_evento)
      ? Date.parse(tiempo_evento)
      : Number.NaN;
  if (!Number.isFinite(tiempo)) {
    return campo(
      'tiempo_evento',
      tiempo_evento,
      'una fecha ISO 8601 en UTC, p. ej. 2026-12-01T10:00:00Z',
    );
  }
  return { pais, nombrePais: nombre_pais, indicador, valor, unidad: esperada, tiempo };
}

function campo(nombre: string, valor: unknown, esperado: string): EventoError {
  const visto = valor === undefined ? 'falta' : `es ${JSON.stringify(valor) ?? String(valor)}`;
  return new EventoError('EVENT_BAD_FIELD', `${nombre} ${visto}; se esperaba ${esperado}`);
}
