import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codificarEvento,
  EventoError,
  leerEvento,
} from '../../../../src/core/observatorio/eventos.ts';
import { paisDeLineaBase } from '../../../../src/core/observatorio/indicadores.ts';
import { LINEA_BASE } from '../../../../src/core/observatorio/linea-base.ts';
import { paso, Simulador } from '../../../../src/core/observatorio/simulacion.ts';
import { seededRandom as generador } from '../../../../src/core/random.ts';
import { runs } from '../../../helpers/seed.ts';

const INICIO = Date.UTC(2026, 0, 1);

function primeros(semilla: number, n: number, eventosPorSegundo = 2) {
  const s = new Simulador({ semilla, inicio: INICIO, eventosPorSegundo });
  return Array.from({ length: n }, () => s.siguiente());
}

describe('Simulador', () => {
  it('gives the same events for the same seed, and other events for another seed', () => {
    expect(primeros(42, 500)).toEqual(primeros(42, 500));
    expect(primeros(43, 500)).not.toEqual(primeros(42, 500));
  });

  it('spaces event times by the rate: the n-th event at inicio + n / rate', () => {
    expect(primeros(1, 5, 2).map((e) => e.tiempo - INICIO)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(primeros(1, 4, 3000).map((e) => e.tiempo - INICIO)).toEqual([0, 0, 0, 1]);
  });

  it('makes only events its processor accepts, from the baseline countries and values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (semilla) => {
        for (const evento of primeros(semilla, 200)) {
          expect(leerEvento(codificarEvento(evento))).toEqual(evento);
          expect(evento.valor).toBeGreaterThan(0);
        }
      }),
      runs(20),
    );
  });

  it('starts each series at its real baseline and keeps it near there (mean reversion)', () => {
    const eventos = primeros(7, 60_000);
    const ultimos = new Map(eventos.map((e) => [`${e.pais}|${e.indicador}`, e]));
    const desvios = [...ultimos.values()].map((e) => {
      const base = paisDeLineaBase(e.pais)?.valores[e.indicador] ?? Number.NaN;
      return Math.abs(e.valor - base) / base;
    });
    expect(ultimos.size).toBe(LINEA_BASE.length * 4);
    const mediana = desvios.sort((a, b) => a - b)[Math.floor(desvios.length / 2)] ?? 1;
    expect(mediana).toBeLessThan(0.1);
  });
});

describe('paso', () => {
  it('moves towards the baseline without noise or shocks', () => {
    const sinAzar = { reversion: 0.5, volatilidad: 0, probabilidadShock: 0, shock: 0 };
    expect(paso(200, 100, generador(1), sinAzar)).toBe(150);
    expect(paso(50, 100, generador(1), sinAzar)).toBe(75);
  });

  it('never goes below a hundredth of the baseline', () => {
    const hundimiento = { reversion: 0, volatilidad: 0, probabilidadShock: 1, shock: 10 };
    const azar = generador(3);
    for (let i = 0; i < 50; i++) expect(paso(1, 100, azar, hundimiento)).toBeGreaterThanOrEqual(1);
  });

  it('draws numbers in [0, 1) from mulberry32', () => {
    const azar = generador(123);
    const muestras = Array.from({ length: 10_000 }, azar);
    expect(Math.min(...muestras)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...muestras)).toBeLessThan(1);
    expect(muestras.reduce((a, b) => a + b, 0) / muestras.length).toBeCloseTo(0.5, 1);
  });
});

describe('the baseline', () => {
  it('is the same for the Spark job (spark/linea_base_qog.json, written by the same script)', () => {
    const json = readFileSync(
      new URL('../../../../spark/linea_base_qog.json', import.meta.url),
      'utf8',
    );
    expect(JSON.parse(json)).toEqual(LINEA_BASE);
  });

  it('has a positive figure for each indicator of each country, and unique ISO alpha-3 codes', () => {
    expect(new Set(LINEA_BASE.map((f) => f.pais)).size).toBe(LINEA_BASE.length);
    for (const fila of LINEA_BASE) {
      expect(fila.pais).toMatch(/^[A-Z]{3}$/);
      for (const valor of Object.values(fila.valores)) expect(valor).toBeGreaterThan(0);
    }
    expect(leerEvento(JSON.stringify({ pais: 'HKG' }))).toBeInstanceOf(EventoError);
  });
});
