import { describe, expect, it } from 'vitest';
import {
  codificarEvento,
  EventoError,
  leerEvento,
} from '../../../../src/core/observatorio/eventos.ts';

const VALIDO = {
  pais: 'ARG',
  nombre_pais: 'Argentina',
  indicador: 'wdi_lifexp',
  valor: 75.3,
  unidad: 'años',
  tiempo_evento: '2026-01-01T00:00:00.000Z',
};

function rechazo(value: string | Uint8Array | null): EventoError {
  const leido = leerEvento(value);
  if (!(leido instanceof EventoError)) throw new Error(`accepted ${String(value)}`);
  return leido;
}

describe('leerEvento', () => {
  it('reads a valid event, and codificarEvento writes it back the same', () => {
    const evento = leerEvento(JSON.stringify(VALIDO));
    expect(evento).toEqual({
      pais: 'ARG',
      nombrePais: 'Argentina',
      indicador: 'wdi_lifexp',
      valor: 75.3,
      unidad: 'años',
      tiempo: Date.UTC(2026, 0, 1),
    });
    if (evento instanceof EventoError) throw evento;
    expect(JSON.parse(codificarEvento(evento))).toEqual(VALIDO);
    expect(leerEvento(new TextEncoder().encode(codificarEvento(evento)))).toEqual(evento);
  });

  it('rejects a value that is not a JSON object, naming the problem', () => {
    expect(rechazo('{"pais":').code).toBe('EVENT_NOT_JSON');
    expect(rechazo(null).code).toBe('EVENT_NOT_JSON');
    expect(rechazo(new Uint8Array([0xff, 0xfe])).code).toBe('EVENT_NOT_JSON');
    expect(rechazo('[1,2]').code).toBe('EVENT_NOT_JSON');
  });

  it('rejects a country code that does not exist or is not in the baseline', () => {
    const e = rechazo(JSON.stringify({ ...VALIDO, pais: 'XYZ' }));
    expect(e.code).toBe('EVENT_UNKNOWN_COUNTRY');
    expect(e.message).toContain('"XYZ"');
    expect(rechazo(JSON.stringify({ ...VALIDO, pais: 'ar' })).code).toBe('EVENT_UNKNOWN_COUNTRY');
  });

  it('rejects an unknown indicator, listing the known ones', () => {
    const e = rechazo(JSON.stringify({ ...VALIDO, indicador: 'ti_cpi' }));
    expect(e.code).toBe('EVENT_UNKNOWN_INDICATOR');
    expect(e.message).toContain('wdi_lifexp');
  });

  it('rejects NaN, infinite and non-numeric values', () => {
    expect(rechazo(JSON.stringify(VALIDO).replace('75.3', '1e999')).code).toBe('EVENT_NOT_FINITE');
    expect(rechazo(JSON.stringify({ ...VALIDO, valor: 'NaN' })).code).toBe('EVENT_BAD_FIELD');
    expect(rechazo(JSON.stringify({ ...VALIDO, valor: null })).code).toBe('EVENT_BAD_FIELD');
  });

  it('rejects a missing name, a wrong unit and a time that is not ISO 8601 UTC', () => {
    const { nombre_pais: _, ...sinNombre } = VALIDO;
    expect(rechazo(JSON.stringify(sinNombre)).message).toBe(
      'nombre_pais falta; se esperaba un texto no vacío',
    );
    expect(rechazo(JSON.stringify({ ...VALIDO, unidad: 'meses' })).message).toContain('"años"');
    for (const tiempo of [
      '2026-01-01T00:00:00',
      '2026-01-01T03:00:00+03:00',
      1767225600000,
      '2026-13-01T00:00:00Z',
    ]) {
      expect(rechazo(JSON.stringify({ ...VALIDO, tiempo_evento: tiempo })).message).toMatch(
        /^tiempo_evento es .*; se esperaba una fecha ISO 8601 en UTC/,
      );
    }
  });
});
