import { expect } from 'vitest';
import { DetectorAlertas, leerUmbrales } from '../../src/core/observatorio/alertas.ts';
import type { EventoQog } from '../../src/core/observatorio/eventos.ts';
import { Simulador } from '../../src/core/observatorio/simulacion.ts';
import { esMasReciente, type UltimoValor } from '../../src/core/observatorio/ventanas.ts';
import { query } from './postgres.ts';

/** The events simulador_qog sends for these flags, computed in the test. */
export function eventosSimulados(
  semilla: number,
  inicio: number,
  eventosPorSegundo: number,
  n: number,
): EventoQog[] {
  const simulador = new Simulador({ semilla, inicio, eventosPorSegundo });
  return Array.from({ length: n }, () => simulador.siguiente());
}

/** A window row as the tests compare them: times as ISO text. */
export interface FilaVentana {
  pais: string;
  indicador: string;
  inicio: string;
  n: number;
  suma: number;
  minimo: number;
  maximo: number;
}

/** The rows of a window table for these events when nothing is late: a plain group-by. */
export function ventanasEsperadas(eventos: readonly EventoQog[], sizeMs: number): FilaVentana[] {
  const filas = new Map<string, FilaVentana>();
  for (const e of eventos) {
    const inicio = new Date(e.tiempo - (e.tiempo % sizeMs)).toISOString();
    const clave = `${e.pais}|${e.indicador}|${inicio}`;
    const f = filas.get(clave);
    filas.set(clave, {
      pais: e.pais,
      indicador: e.indicador,
      inicio,
      n: (f?.n ?? 0) + 1,
      suma: (f?.suma ?? 0) + e.valor,
      minimo: Math.min(f?.minimo ?? e.valor, e.valor),
      maximo: Math.max(f?.maximo ?? e.valor, e.valor),
    });
  }
  return [...filas.values()].sort(ordenFilas);
}

function ordenFilas(a: FilaVentana, b: FilaVentana): number {
  return (
    a.inicio.localeCompare(b.inicio) ||
    a.pais.localeCompare(b.pais) ||
    a.indicador.localeCompare(b.indicador)
  );
}

export async function ventanasEscritas(url: string, tabla: string): Promise<FilaVentana[]> {
  const rows = await query<FilaVentana & { inicio: Date; promedio: number; fin: Date }>(
    url,
    `SELECT pais, indicador, inicio, fin, n, suma, promedio, minimo, maximo FROM ${tabla}`,
  );
  for (const r of rows) expect(r.promedio).toBeCloseTo(r.suma / r.n, 9);
  return rows
    .map(({ pais, indicador, inicio, n, suma, minimo, maximo }) => ({
      pais,
      indicador,
      inicio: inicio.toISOString(),
      n,
      suma,
      minimo,
      maximo,
    }))
    .sort(ordenFilas);
}

export function alertasEsperadas(eventos: readonly EventoQog[]) {
  const detector = new DetectorAlertas(leerUmbrales(''));
  return eventos
    .map((e) => detector.observar(e))
    .filter((a) => a !== null)
    .map((a) => ({
      pais: a.pais,
      indicador: a.indicador,
      direccion: a.direccion,
      valor: a.valor,
      tiempo: new Date(a.tiempo).toISOString(),
    }))
    .sort(
      (a, b) =>
        a.tiempo.localeCompare(b.tiempo) ||
        a.pais.localeCompare(b.pais) ||
        a.indicador.localeCompare(b.indicador),
    );
}

export async function alertasEscritas(url: string) {
  const rows = await query<{
    pais: string;
    indicador: string;
    direccion: string;
    valor: number;
    tiempo_evento: Date;
  }>(url, 'SELECT pais, indicador, direccion, valor, tiempo_evento FROM alertas');
  return rows
    .map((r) => ({
      pais: r.pais,
      indicador: r.indicador,
      direccion: r.direccion,
      valor: r.valor,
      tiempo: r.tiempo_evento.toISOString(),
    }))
    .sort(
      (a, b) =>
        a.tiempo.localeCompare(b.tiempo) ||
        a.pais.localeCompare(b.pais) ||
        a.indicador.localeCompare(b.indicador),
    );
}

export function ultimosEsperados(eventos: readonly EventoQog[]) {
  const ultimos = new Map<string, UltimoValor>();
  for (const e of eventos) {
    const clave = `${e.pais}|${e.indicador}`;
    if (esMasReciente(e, ultimos.get(clave))) ultimos.set(clave, e);
  }
  return [...ultimos.values()]
    .map((u) => ({
      pais: u.pais,
      indicador: u.indicador,
      valor: u.valor,
      tiempo: new Date(u.tiempo).toISOString(),
    }))
    .sort((a, b) => a.pais.localeCompare(b.pais) || a.indicador.localeCompare(b.indicador));
}

export async function ultimosEscritos(url: string) {
  const rows = await query<{ pais: string; indicador: string; valor: number; tiempo_evento: Date }>(
    url,
    'SELECT pais, indicador, valor, tiempo_evento FROM ultimos_valores',
  );
  return rows
    .map((r) => ({
      pais: r.pais,
      indicador: r.indicador,
      valor: r.valor,
      tiempo: r.tiempo_evento.toISOString(),
    }))
    .sort((a, b) => a.pais.localeCompare(b.pais) || a.indicador.localeCompare(b.indicador));
}

/** Waits until `motor` wrote progress up to `total` records over all partitions of `topic`. */
export async function esperarProgreso(
  url: string,
  motor: string,
  topic: string,
  total: number,
  timeoutMs = 180_000,
): Promise<void> {
  const hasta = Date.now() + timeoutMs;
  for (;;) {
    let leidos = -1;
    try {
      const [fila] = await query<{ leidos: string | null }>(
        url,
        'SELECT sum(siguiente_offset)::text AS leidos FROM progreso_qog WHERE motor = $1 AND topic = $2',
        [motor, topic],
      );
      leidos = Number(fila?.leidos ?? 0);
    } catch {
      // The tables do not exist until the processor ran its migration.
    }
    if (leidos >= total) return;
    if (Date.now() > hasta)
      throw new Error(
        `${motor} wrote ${leidos} of ${total} records of ${topic} within ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
