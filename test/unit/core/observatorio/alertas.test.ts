import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/core/errors.ts';
import {
  DetectorAlertas,
  type Direccion,
  type EstadoSerie,
  evaluar,
  leerUmbrales,
  UMBRAL_POR_DEFECTO,
} from '../../../../src/core/observatorio/alertas.ts';
import type { EventoQog } from '../../../../src/core/observatorio/eventos.ts';
import { paisDeLineaBase } from '../../../../src/core/observatorio/indicadores.ts';
import { runs } from '../../../helpers/seed.ts';

const U = { alerta: 0.1, rearme: 0.05 };
const BASE = paisDeLineaBase('ARG')?.valores.wdi_lifexp ?? Number.NaN;

function evento(desviacion: number, tiempo = 0): EventoQog {
  return {
    pais: 'ARG',
    nombrePais: 'Argentina',
    indicador: 'wdi_lifexp',
    valor: BASE * (1 + desviacion),
    unidad: 'años',
    tiempo,
  };
}

describe('evaluar (hysteresis)', () => {
  it('alerts when the deviation reaches the threshold, exactly at it too', () => {
    expect(evaluar('normal', 0.1, U)).toEqual({ estado: 'alta', alerta: 'sube' });
    expect(evaluar('normal', -0.1, U)).toEqual({ estado: 'baja', alerta: 'baja' });
    expect(evaluar('normal', 0.0999, U)).toEqual({ estado: 'normal', alerta: null });
  });

  it('does not alert again while the value hovers between the re-arm band and the threshold', () => {
    const recorrido = [0.11, 0.09, 0.1, 0.06, 0.12, 0.05, 0.1];
    let estado: EstadoSerie = 'normal';
    const alertas = recorrido.map((d) => {
      const r = evaluar(estado, d, U);
      estado = r.estado;
      return r.alerta;
    });
    expect(alertas).toEqual(['sube', null, null, null, null, null, null]);
  });

  it('re-arms strictly inside the re-arm band, then alerts again', () => {
    expect(evaluar('alta', 0.0499, U)).toEqual({ estado: 'normal', alerta: null });
    expect(evaluar('alta', 0.05, U)).toEqual({ estado: 'alta', alerta: null });
    expect(evaluar('alta', -0.12, U)).toEqual({ estado: 'baja', alerta: 'baja' });
  });

  it('never alerts twice in the same direction without passing through the re-arm band', () => {
    fc.assert(
      fc.property(
        // Whole per cents hit the thresholds and re-arm bands exactly and often; doubles fill between.
        fc.array(
          fc.oneof(
            fc.integer({ min: -30, max: 30 }).map((n) => n / 100),
            fc.double({ min: -0.3, max: 0.3, noNaN: true }),
          ),
          { maxLength: 200 },
        ),
        (desvios) => {
          let estado: EstadoSerie = 'normal';
          let ultima: Direccion | null = null;
          let rearmada = true;
          for (const d of desvios) {
            const r = evaluar(estado, d, U);
            if (Math.abs(d) < U.rearme) rearmada = true;
            if (r.alerta !== null) {
              expect(r.alerta !== ultima || rearmada).toBe(true);
              ultima = r.alerta;
              rearmada = false;
            }
            estado = r.estado;
          }
        },
      ),
      runs(200),
    );
  });
});

describe('DetectorAlertas', () => {
  it('raises an alert with the baseline and the deviation, and reports the series whose state changed', () => {
    const detector = new DetectorAlertas(leerUmbrales(''));
    expect(detector.observar(evento(0.02))).toBeNull();
    const alerta = detector.observar(evento(0.15, 1000));
    expect(alerta).toMatchObject({ pais: 'ARG', direccion: 'sube', lineaBase: BASE, tiempo: 1000 });
    expect(alerta?.desviacion).toBeCloseTo(0.15, 10);
    expect(detector.cambios()).toEqual([{ pais: 'ARG', indicador: 'wdi_lifexp', estado: 'alta' }]);
    expect(detector.cambios()).toEqual([]);
    expect(detector.observar(evento(0.2))).toBeNull();
  });

  it('resumes from saved states: an alerted series does not alert again after a restart', () => {
    const detector = new DetectorAlertas(
      leerUmbrales(''),
      new Map([['ARG|wdi_lifexp', 'alta' as const]]),
    );
    expect(detector.observar(evento(0.2))).toBeNull();
    expect(detector.estado('ARG', 'wdi_lifexp')).toBe('alta');
  });
});

describe('leerUmbrales', () => {
  it('reads per-indicator thresholds in per cent and keeps the default for the rest', () => {
    const u = leerUmbrales('wdi_lifexp=8:4, wdi_pop=5:5');
    expect(u.wdi_lifexp).toEqual({ alerta: 0.08, rearme: 0.04 });
    expect(u.wdi_pop).toEqual({ alerta: 0.05, rearme: 0.05 });
    expect(u.wdi_fertility).toEqual(UMBRAL_POR_DEFECTO);
  });

  it('refuses an unknown indicator, a bad format, and a re-arm band wider than the threshold', () => {
    expect(() => leerUmbrales('ti_cpi=8:4')).toThrow(ConfigError);
    expect(() => leerUmbrales('wdi_lifexp=8')).toThrow(/indicador=alerta:rearme/);
    expect(() => leerUmbrales('wdi_lifexp=4:8')).toThrow(/0 < rearme <= alerta/);
    expect(() => leerUmbrales('wdi_lifexp=0:0')).toThrow(/0 < rearme <= alerta/);
  });
});
