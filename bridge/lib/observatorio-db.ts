/**
 * The observatory's PostgreSQL: the migration, the state an engine resumes from, and one batch
 * written in one transaction with the engine's progress, so the rows and the offsets never disagree.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Alerta, EstadoSerie } from '../../src/core/observatorio/alertas.ts';
import { type Agregado, promedio, type UltimoValor } from '../../src/core/observatorio/ventanas.ts';

/** The migration that creates every table; running it again changes nothing. */
export const MIGRACION = new URL('../../db/migrations/001_observatorio.sql', import.meta.url);

/**
 * A pool of one connection: a connection lost with the server is replaced at the next query, and
 * its error is reported by that query instead of crashing the process.
 */
export function abrirBase(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {});
  return pool;
}

export async function migrar(pool: pg.Pool): Promise<void> {
  await pool.query(readFileSync(MIGRACION, 'utf8'));
}

/** Where an engine stopped: its offsets, its watermark, its open windows and alert states. */
export interface EstadoGuardado {
  readonly offsets: ReadonlyMap<number, string>;
  /** Epoch ms, or -Infinity before the first batch was written. */
  readonly marcaAgua: number;
  readonly ventanas30s: Agregado[];
  readonly metricas15min: Agregado[];
  readonly estados: Map<string, EstadoSerie>;
}

export async function cargarEstado(
  pool: pg.Pool,
  motor: string,
  topic: string,
): Promise<EstadoGuardado> {
  const progreso = await pool.query<{ particion: number; siguiente_offset: string }>(
    'SELECT particion, siguiente_offset FROM progreso_qog WHERE motor = $1 AND topic = $2',
    [motor, topic],
  );
  const marca = await pool.query<{ marca_agua: Date }>(
    'SELECT marca_agua FROM marca_agua_qog WHERE motor = $1 AND topic = $2',
    [motor, topic],
  );
  const marcaAgua = marca.rows[0]?.marca_agua.getTime() ?? Number.NEGATIVE_INFINITY;
  const estados = await pool.query<{ pais: string; indicador: string; estado: EstadoSerie }>(
    'SELECT pais, indicador, estado FROM estado_alertas WHERE motor = $1',
    [motor],
  );
  const abiertas = async (tabla: string): Promise<Agregado[]> => {
    if (!Number.isFinite(marcaAgua)) return [];
    const { rows } = await pool.query<{
      pais: string;
      indicador: string;
      inicio: Date;
      fin: Date;
      n: number;
      suma: number;
      minimo: number;
      maximo: number;
    }>(
      `SELECT pais, indicador, inicio, fin, n, suma, minimo, maximo FROM ${tabla} WHERE fin > $1`,
      [new Date(marcaAgua)],
    );
    return rows.map((r) => ({ ...r, inicio: r.inicio.getTime(), fin: r.fin.getTime() }));
  };
  return {
    offsets: new Map(progreso.rows.map((r) => [r.particion, r.siguiente_offset])),
    marcaAgua,
    ventanas30s: await abiertas('ventanas_30s'),
    metricas15min: await abiertas('metricas_15min'),
    estados: new Map(estados.rows.map((r) => [`${r.pais}|${r.indicador}`, r.estado])),
  };
}

/** Everything one batch of one partition changed. */
export interface LoteEscrito {
  readonly motor: string;
  readonly topic: string;
  readonly particion: number;
  /** The offset after the batch's last record. */
  readonly siguienteOffset: string;
  readonly marcaAgua: number;
  readonly ventanas30s: readonly Agregado[];
  readonly metricas15min: readonly Agregado[];
  readonly ultimos: readonly UltimoValor[];
  readonly alertas: readonly Alerta[];
  readonly estados: readonly { pais: string; indicador: string; estado: EstadoSerie }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

async function upsertVentanas(
  client: pg.PoolClient,
  tabla: string,
  filas: readonly Agregado[],
): Promise<void> {
  if (filas.length === 0) return;
  await client.query(
    `INSERT INTO ${tabla} (pais, indicador, inicio, fin, n, suma, promedio, minimo, maximo)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[],
                          $6::float8[], $7::float8[], $8::float8[], $9::float8[])
     ON CONFLICT (pais, indicador, inicio) DO UPDATE SET
       fin = excluded.fin, n = excluded.n, suma = excluded.suma, promedio = excluded.promedio,
       minimo = excluded.minimo, maximo = excluded.maximo`,
    [
      filas.map((f) => f.pais),
      filas.map((f) => f.indicador),
      filas.map((f) => iso(f.inicio)),
      filas.map((f) => iso(f.fin)),
      filas.map((f) => f.n),
      filas.map((f) => f.suma),
      filas.map(promedio),
      filas.map((f) => f.minimo),
      filas.map((f) => f.maximo),
    ],
  );
}

/** Writes the batch and the engine's progress in one transaction: all of it, or none. */
export async function escribirLote(pool: pg.Pool, lote: LoteEscrito): Promise<void> {
  const client = await pool.connect();
  /** A failed transaction may have lost its connection: the pool then replaces it. */
  let fallo: Error | undefined;
  try {
    await client.query('BEGIN');
    await upsertVentanas(client, 'ventanas_30s', lote.ventanas30s);
    await upsertVentanas(client, 'metricas_15min', lote.metricas15min);
    const u = lote.ultimos;
    if (u.length > 0) {
      await client.query(
        `INSERT INTO ultimos_valores (pais, nombre_pais, indicador, valor, unidad, tiempo_evento)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::timestamptz[])
         ON CONFLICT (pais, indicador) DO UPDATE SET
           nombre_pais = excluded.nombre_pais, valor = excluded.valor, unidad = excluded.unidad,
           tiempo_evento = excluded.tiempo_evento
         WHERE (excluded.tiempo_evento, excluded.valor) > (ultimos_valores.tiempo_evento, ultimos_valores.valor)`,
        [
          u.map((f) => f.pais),
          u.map((f) => f.nombrePais),
          u.map((f) => f.indicador),
          u.map((f) => f.valor),
          u.map((f) => f.unidad),
          u.map((f) => iso(f.tiempo)),
        ],
      );
    }
    const a = lote.alertas;
    if (a.length > 0) {
      await client.query(
        `INSERT INTO alertas (pais, nombre_pais, indicador, valor, unidad, linea_base, desviacion, direccion, tiempo_evento)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::float8[],
                              $7::float8[], $8::text[], $9::timestamptz[])
         ON CONFLICT DO NOTHING`,
        [
          a.map((f) => f.pais),
          a.map((f) => f.nombrePais),
          a.map((f) => f.indicador),
          a.map((f) => f.valor),
          a.map((f) => f.unidad),
          a.map((f) => f.lineaBase),
          a.map((f) => f.desviacion),
          a.map((f) => f.direccion),
          a.map((f) => iso(f.tiempo)),
        ],
      );
    }
    const e = lote.estados;
    if (e.length > 0) {
      await client.query(
        `INSERT INTO estado_alertas (motor, pais, indicador, estado)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
         ON CONFLICT (motor, pais, indicador) DO UPDATE SET estado = excluded.estado`,
        [lote.motor, e.map((f) => f.pais), e.map((f) => f.indicador), e.map((f) => f.estado)],
      );
    }
    await client.query(
      `INSERT INTO progreso_qog (motor, topic, particion, siguiente_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (motor, topic, particion) DO UPDATE SET siguiente_offset = excluded.siguiente_offset`,
      [lote.motor, lote.topic, lote.particion, lote.siguienteOffset],
    );
    if (Number.isFinite(lote.marcaAgua)) {
      await client.query(
        `INSERT INTO marca_agua_qog (motor, topic, marca_agua) VALUES ($1, $2, $3)
         ON CONFLICT (motor, topic) DO UPDATE SET marca_agua = greatest(marca_agua_qog.marca_agua, excluded.marca_agua)`,
        [lote.motor, lote.topic, iso(lote.marcaAgua)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    fallo = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release(fallo);
  }
}
