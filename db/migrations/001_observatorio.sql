-- Observatorio económico (course module 8.7): the tables both engines write, procesador_qog
-- (TypeScript) and spark/spark_streaming_qog.py. Every table has the natural key of what it holds,
-- and every write is an upsert on it, so a restart, a replay or both engines writing never
-- duplicate a row. Safe to run again: procesador_qog runs it at start, compose's postgres at init.

-- Average of each series (country × indicator) in 30-second windows of event time.
CREATE TABLE IF NOT EXISTS ventanas_30s (
  pais char(3) NOT NULL,
  indicador text NOT NULL,
  inicio timestamptz NOT NULL,
  fin timestamptz NOT NULL,
  n integer NOT NULL CHECK (n > 0),
  suma double precision NOT NULL,
  promedio double precision NOT NULL,
  minimo double precision NOT NULL,
  maximo double precision NOT NULL,
  PRIMARY KEY (pais, indicador, inicio)
);

-- The same per 15-minute window.
CREATE TABLE IF NOT EXISTS metricas_15min (
  pais char(3) NOT NULL,
  indicador text NOT NULL,
  inicio timestamptz NOT NULL,
  fin timestamptz NOT NULL,
  n integer NOT NULL CHECK (n > 0),
  suma double precision NOT NULL,
  promedio double precision NOT NULL,
  minimo double precision NOT NULL,
  maximo double precision NOT NULL,
  PRIMARY KEY (pais, indicador, inicio)
);

-- The latest value of each series: the newest event time, the larger value on a tie.
CREATE TABLE IF NOT EXISTS ultimos_valores (
  pais char(3) NOT NULL,
  nombre_pais text NOT NULL,
  indicador text NOT NULL,
  valor double precision NOT NULL,
  unidad text NOT NULL,
  tiempo_evento timestamptz NOT NULL,
  PRIMARY KEY (pais, indicador)
);

-- One row per alert: a series left its band (sube: above the baseline, baja: below).
CREATE TABLE IF NOT EXISTS alertas (
  pais char(3) NOT NULL,
  nombre_pais text NOT NULL,
  indicador text NOT NULL,
  valor double precision NOT NULL,
  unidad text NOT NULL,
  linea_base double precision NOT NULL,
  desviacion double precision NOT NULL,
  direccion text NOT NULL CHECK (direccion IN ('sube', 'baja')),
  tiempo_evento timestamptz NOT NULL,
  PRIMARY KEY (pais, indicador, tiempo_evento, direccion)
);

-- Each engine's hysteresis state per series, written with the batch that changed it.
CREATE TABLE IF NOT EXISTS estado_alertas (
  motor text NOT NULL,
  pais char(3) NOT NULL,
  indicador text NOT NULL,
  estado text NOT NULL CHECK (estado IN ('normal', 'alta', 'baja')),
  PRIMARY KEY (motor, pais, indicador)
);

-- How far each engine read each partition of eventos_qog, and its watermark, written in the same
-- transaction as the rows: a restart resumes from here, so nothing is counted twice or lost.
CREATE TABLE IF NOT EXISTS progreso_qog (
  motor text NOT NULL,
  topic text NOT NULL,
  particion integer NOT NULL,
  siguiente_offset bigint NOT NULL,
  PRIMARY KEY (motor, topic, particion)
);

CREATE TABLE IF NOT EXISTS marca_agua_qog (
  motor text NOT NULL,
  topic text NOT NULL,
  marca_agua timestamptz NOT NULL,
  PRIMARY KEY (motor, topic)
);

-- The last micro-batch of each Spark query written, in the same transaction as its rows: Spark may
-- run a batch again after a failure (foreachBatch is at least once), and a batch written is skipped.
CREATE TABLE IF NOT EXISTS lotes_qog (
  motor text NOT NULL,
  consulta text NOT NULL,
  ultimo_lote bigint NOT NULL,
  PRIMARY KEY (motor, consulta)
);
