import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventoQog } from '../../../../src/core/observatorio/eventos.ts';
import {
  type Agregado,
  AgregadorVentanas,
  esMasReciente,
  promedio,
  VENTANA_15MIN,
  VENTANA_30S,
} from '../../../../src/core/observatorio/ventanas.ts';
import { runs } from '../../../helpers/seed.ts';

const T0 = Date.UTC(2026, 0, 1);
const S = 1000;

function evento(segundos: number, valor: number, pais = 'ARG'): EventoQog {
  return {
    pais,
    nombrePais: pais,
    indicador: 'wdi_lifexp',
    valor,
    unidad: 'años',
    tiempo: T0 + segundos * S,
  };
}

describe('30-second windows per series', () => {
  it('puts an event exactly at a boundary in the window that starts there, aligned to the epoch', () => {
    const v = new AgregadorVentanas(VENTANA_30S);
    v.agregar(evento(29.999, 1));
    v.agregar(evento(30, 3));
    expect(v.cerrarLote().cambiadas.map((a) => [a.inicio - T0, a.fin - T0, a.n])).toEqual([
      [0, 30 * S, 1],
      [30 * S, 60 * S, 1],
    ]);
  });

  it('keeps countries apart and counts the average, minimum and maximum', () => {
    const v = new AgregadorVentanas(VENTANA_30S);
    for (const [s, valor, pais] of [
      [1, 10, 'ARG'],
      [2, 20, 'ARG'],
      [3, 60, 'ARG'],
      [4, 5, 'CHL'],
    ] as const) {
      v.agregar(evento(s, valor, pais));
    }
    const [arg, chl] = v.cerrarLote().cambiadas;
    expect(arg).toMatchObject({ pais: 'ARG', n: 3, suma: 90, minimo: 10, maximo: 60 });
    expect(promedio(arg as Agregado)).toBe(30);
    expect(chl).toMatchObject({ pais: 'CHL', n: 1, suma: 5 });
  });

  it('closes a window once the watermark (newest event time minus one minute) passes its end, and then leaves a late event out', () => {
    const v = new AgregadorVentanas(VENTANA_30S);
    v.agregar(evento(10, 1));
    expect(v.cerrarLote().cerradas).toEqual([]);
    v.agregar(evento(90, 2));
    const lote = v.cerrarLote();
    expect(v.watermark).toBe(T0 + 30 * S);
    expect(lote.cerradas.map((a) => a.inicio - T0)).toEqual([0]);
    expect(v.agregar(evento(29, 5))).toBe(false);
    expect(v.agregar(evento(30, 5))).toBe(true);
    expect(v.abiertas().map((a) => [a.inicio - T0, a.n])).toEqual([
      [30 * S, 1],
      [90 * S, 1],
    ]);
  });

  it('measures lateness against the previous batch: events of one batch are never late to each other', () => {
    const v = new AgregadorVentanas(VENTANA_30S);
    v.agregar(evento(600, 1));
    expect(v.agregar(evento(0, 1))).toBe(true);
    expect(v.cerrarLote().cerradas.map((a) => a.inicio - T0)).toEqual([0]);
  });

  it('holds the watermark for partitions still behind: a backlog read one partition at a time loses nothing', () => {
    const v = new AgregadorVentanas(VENTANA_30S);
    // Partition 0's backlog is read first, ten minutes of it, while 1 and 2 are still unread.
    for (let s = 0; s < 600; s += 10) v.agregar(evento(s, 1, 'ARG'), 0);
    expect(v.cerrarLote([1, 2]).cerradas).toEqual([]);
    expect(v.watermark).toBe(Number.NEGATIVE_INFINITY);
    // Partition 1's, the same ten minutes: none of it late; 2 still holds the watermark.
    for (let s = 0; s < 600; s += 10) expect(v.agregar(evento(s, 2, 'CHL'), 1)).toBe(true);
    expect(v.cerrarLote([2]).cerradas).toEqual([]);
    // Partition 2 has read its first five minutes: the watermark follows its newest event.
    for (let s = 0; s < 300; s += 10) expect(v.agregar(evento(s, 3, 'URY'), 2)).toBe(true);
    const primeras = v.cerrarLote([2]).cerradas;
    expect(v.watermark).toBe(T0 + 290 * S - 60 * S);
    // Everything read: the newest event of all, less the minute.
    for (let s = 300; s < 600; s += 10) expect(v.agregar(evento(s, 3, 'URY'), 2)).toBe(true);
    const cerradas = [...primeras, ...v.cerrarLote([]).cerradas];
    expect(v.watermark).toBe(T0 + 590 * S - 60 * S);
    // The 17 windows ending by then, each with all three of its events, in every series.
    for (const pais of ['ARG', 'CHL', 'URY']) {
      expect(cerradas.filter((a) => a.pais === pais).map((a) => a.n)).toEqual(Array(17).fill(3));
    }
  });

  it('gives, with no late events, exactly the figures of a plain group-by, however the stream is cut into batches', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 3600 }),
            fc.integer({ min: 1, max: 1000 }),
            fc.constantFrom('ARG', 'CHL'),
          ),
          { minLength: 1, maxLength: 150 },
        ),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 20 }),
        (crudos, cortes) => {
          const eventos = crudos.map(([s, valor, pais]) => evento(s, valor, pais));
          // In time order nothing is late, whatever the batches.
          eventos.sort((a, b) => a.tiempo - b.tiempo);
          for (const spec of [VENTANA_30S, VENTANA_15MIN]) {
            const v = new AgregadorVentanas(spec);
            const finales = new Map<string, Agregado>();
            let i = 0;
            for (let c = 0; i < eventos.length; c++) {
              const hasta = i + (cortes[c % cortes.length] ?? 1);
              for (; i < Math.min(hasta, eventos.length); i++)
                expect(v.agregar(eventos[i] as EventoQog)).toBe(true);
              for (const a of v.cerrarLote().cambiadas) finales.set(`${a.pais}|${a.inicio}`, a);
            }
            const esperado = new Map<
              string,
              { n: number; suma: number; minimo: number; maximo: number }
            >();
            for (const e of eventos) {
              const inicio = e.tiempo - (e.tiempo % spec.sizeMs);
              const clave = `${e.pais}|${inicio}`;
              const a = esperado.get(clave);
              esperado.set(clave, {
                n: (a?.n ?? 0) + 1,
                suma: (a?.suma ?? 0) + e.valor,
                minimo: Math.min(a?.minimo ?? e.valor, e.valor),
                maximo: Math.max(a?.maximo ?? e.valor, e.valor),
              });
            }
            expect(
              new Map(
                [...finales].map(([k, a]) => [
                  k,
                  { n: a.n, suma: a.suma, minimo: a.minimo, maximo: a.maximo },
                ]),
              ),
            ).toEqual(esperado);
          }
        },
      ),
      runs(100),
    );
  });

  it('resumes from the open windows and watermark written with the last batch, as if it had not stopped', () => {
    const eventos = [evento(1, 1), evento(40, 2), evento(50, 3), evento(100, 4), evento(110, 5)];
    const seguido = new AgregadorVentanas(VENTANA_30S);
    const partido = new AgregadorVentanas(VENTANA_30S);
    for (const e of eventos.slice(0, 3)) {
      seguido.agregar(e);
      partido.agregar(e);
    }
    seguido.cerrarLote();
    partido.cerrarLote();
    const reanudado = new AgregadorVentanas(VENTANA_30S, partido.abiertas(), partido.watermark);
    for (const e of eventos.slice(3)) {
      seguido.agregar(e);
      reanudado.agregar(e);
    }
    expect(reanudado.cerrarLote()).toEqual(seguido.cerrarLote());
    expect(reanudado.abiertas()).toEqual(seguido.abiertas());
  });
});

describe('esMasReciente', () => {
  it('prefers the newer event time, then the larger value, whatever the reading order', () => {
    const viejo = evento(1, 9);
    const nuevo = evento(2, 1);
    expect(esMasReciente(nuevo, viejo)).toBe(true);
    expect(esMasReciente(viejo, nuevo)).toBe(false);
    expect(esMasReciente(evento(2, 3), nuevo)).toBe(true);
    expect(esMasReciente(nuevo, evento(2, 3))).toBe(false);
    expect(esMasReciente(nuevo, undefined)).toBe(true);
  });
});
