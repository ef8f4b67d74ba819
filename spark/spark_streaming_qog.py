"""
Observatorio económico - spark_streaming_qog: the processor of course project 8.7 on Spark
Structured Streaming (bridge/procesador_qog.ts is the same job in TypeScript; both write the same
rows). Reads `eventos_qog` and, per series (country x indicator) and by event time, writes to
PostgreSQL through JDBC (org.postgresql:postgresql from Maven Central):

  - ventanas_30s and metricas_15min: count, sum, average, minimum and maximum in 30-second and
    15-minute tumbling windows, with a watermark (QOG_RETRASO_S, 60 s); each window's row is
    replaced by its current figures at every micro-batch that changes it (output mode update);
  - ultimos_valores: the latest value (newest event time, the larger value on a tie);
  - alertas: a value at least `alerta` % away from its baseline alerts once, and again only after it
    came back within `rearme` % (hysteresis; UMBRALES_QOG, 10:5 by default); also to `alertas_qog`.

Events that are not valid (not JSON, an unknown country or indicator, a value that is not a finite
number, a wrong unit, a time that is not ISO 8601 UTC) are counted and left out.

  python spark/spark_streaming_qog.py                 # runs until Ctrl+C
  python spark/spark_streaming_qog.py --available-now # processes what is in the topic, then stops

Environment: KAFKA_BROKERS (localhost:9092), EVENTOS_QOG_TOPIC (eventos_qog), ALERTAS_QOG_TOPIC
(alertas_qog), POSTGRES_URL (postgres://observatorio:observatorio@localhost:5432/observatorio),
QOG_RETRASO_S (60), UMBRALES_QOG, SPARK_CHECKPOINT_DIR (/tmp/sismos-spark).
"""

import argparse
import json
import os
import re
import signal
import sys
import threading
from urllib.parse import unquote, urlparse

from pyspark.errors import StreamingQueryException
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, count, date_format, from_json, isnan, lit, struct, to_json, to_timestamp, window
from pyspark.sql.functions import max as spark_max
from pyspark.sql.functions import min as spark_min
from pyspark.sql.functions import sum as spark_sum
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

SPARK_VERSION = "3.5.7"
PACKAGES = f"org.apache.spark:spark-sql-kafka-0-10_2.12:{SPARK_VERSION},org.postgresql:postgresql:42.7.8"
ISO_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
MOTOR = "spark_streaming_qog"
MIGRACION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "db", "migrations", "001_observatorio.sql")

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "linea_base_qog.json"), encoding="utf-8") as f:
    LINEA_BASE = {fila["pais"]: fila for fila in json.load(f)}
# As src/core/observatorio/indicadores.ts names them.
UNIDADES = {
    "wdi_gdpcappppcon2017": "dólares internacionales",
    "wdi_lifexp": "años",
    "wdi_fertility": "hijos por mujer",
    "wdi_pop": "habitantes",
}
TIEMPO_UTC = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|\+00:00)$"

SCHEMA = StructType(
    [
        StructField("pais", StringType()),
        StructField("nombre_pais", StringType()),
        StructField("indicador", StringType()),
        StructField("valor", DoubleType()),
        StructField("unidad", StringType()),
        StructField("tiempo_evento", StringType()),
    ]
)


def fail(message):
    """Ends the job with one line on stderr, as the TypeScript commands do."""
    print(f"spark_streaming_qog: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def leer_umbrales(texto):
    """UMBRALES_QOG as procesador_qog reads it: "indicador=alerta:rearme" in per cent, comma-separated."""
    umbrales = {indicador: (0.10, 0.05) for indicador in UNIDADES}
    for parte in [p.strip() for p in texto.split(",") if p.strip()]:
        m = re.fullmatch(r"([a-z0-9_]+)=(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)", parte)
        if m is None or m.group(1) not in UNIDADES:
            fail(f'UMBRALES_QOG: "{parte}" no es indicador=alerta:rearme con un indicador de {", ".join(UNIDADES)}')
        alerta, rearme = float(m.group(2)) / 100, float(m.group(3)) / 100
        if not (alerta > 0 and 0 < rearme <= alerta):
            fail(f'UMBRALES_QOG: en "{parte}" hace falta 0 < rearme <= alerta (en %)')
        umbrales[m.group(1)] = (alerta, rearme)
    return umbrales


def evaluar(estado, desviacion, umbral):
    """alertas.ts's evaluar(): the next state of a series and the alert its move raises, if any."""
    alerta, rearme = umbral
    if desviacion >= alerta:
        return "alta", (None if estado == "alta" else "sube")
    if desviacion <= -alerta:
        return "baja", (None if estado == "baja" else "baja")
    if abs(desviacion) < rearme:
        return "normal", None
    return estado, None


class Base:
    """PostgreSQL through the JDBC driver in Spark's JVM: one connection, one transaction per batch."""

    def __init__(self, spark, url):
        u = urlparse(url)
        props = spark._jvm.java.util.Properties()
        props.setProperty("user", unquote(u.username or ""))
        props.setProperty("password", unquote(u.password or ""))
        self._jdbc = f"jdbc:postgresql://{u.hostname}:{u.port or 5432}{u.path}"
        self._props = props
        self._driver = spark._jvm.org.postgresql.Driver()
        self._conn = None

    def transaccion(self, trabajo):
        """Runs trabajo(self) in one transaction; a lost connection is opened again next time."""
        if self._conn is None or self._conn.isClosed():
            self._conn = self._driver.connect(self._jdbc, self._props)
            self._conn.setAutoCommit(False)
        try:
            resultado = trabajo(self)
            self._conn.commit()
            return resultado
        except Exception:
            try:
                self._conn.rollback()
            except Exception:
                self._conn = None
            raise

    def ejecutar(self, sql, filas=((),)):
        """Runs `sql` once per row of parameters (str, float, int or None), in one JDBC batch."""
        statement = self._conn.prepareStatement(sql)
        try:
            for fila in filas:
                for i, valor in enumerate(fila, start=1):
                    if valor is None:
                        statement.setNull(i, 0)
                    elif isinstance(valor, str):
                        statement.setString(i, valor)
                    elif isinstance(valor, int):
                        statement.setLong(i, valor)
                    else:
                        statement.setDouble(i, float(valor))
                statement.addBatch()
            statement.executeBatch()
        finally:
            statement.close()

    def consultar(self, sql, parametros, columnas):
        statement = self._conn.prepareStatement(sql)
        try:
            for i, valor in enumerate(parametros, start=1):
                statement.setString(i, valor)
            rs = statement.executeQuery()
            filas = []
            while rs.next():
                filas.append(tuple(rs.getString(c) for c in columnas))
            return filas
        finally:
            statement.close()

    def lote_nuevo(self, consulta, batch_id):
        """True the first time this batch of this query is written; records it as written."""
        hecho = self.consultar(
            "SELECT ultimo_lote FROM lotes_qog WHERE motor = ? AND consulta = ?", [MOTOR, consulta], ["ultimo_lote"]
        )
        if hecho and int(hecho[0][0]) >= batch_id:
            return False
        self.ejecutar(
            "INSERT INTO lotes_qog (motor, consulta, ultimo_lote) VALUES (?, ?, ?) "
            "ON CONFLICT (motor, consulta) DO UPDATE SET ultimo_lote = excluded.ultimo_lote",
            [(MOTOR, consulta, batch_id)],
        )
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--available-now", action="store_true", help="process the topic as it is now, then stop")
    args = parser.parse_args()

    brokers = os.environ.get("KAFKA_BROKERS", "localhost:9092")
    topic = os.environ.get("EVENTOS_QOG_TOPIC", "eventos_qog")
    topic_alertas = os.environ.get("ALERTAS_QOG_TOPIC", "alertas_qog")
    postgres_url = os.environ.get("POSTGRES_URL", "postgres://observatorio:observatorio@localhost:5432/observatorio")
    retraso_s = int(os.environ.get("QOG_RETRASO_S", "60"))
    umbrales = leer_umbrales(os.environ.get("UMBRALES_QOG", ""))
    checkpoints = os.path.join(os.environ.get("SPARK_CHECKPOINT_DIR", "/tmp/sismos-spark"), topic, "observatorio")

    spark = (
        SparkSession.builder.appName("ObservatorioEconomico")
        .config("spark.jars.packages", PACKAGES)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "3")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    base = Base(spark, postgres_url)
    with open(MIGRACION, encoding="utf-8") as f:
        migracion = f.read()
    try:
        base.transaccion(lambda b: b._conn.createStatement().execute(migracion))
    except Exception as error:  # noqa: BLE001 - any failure to reach the database ends the job in one line
        fail(f"no se pudo preparar PostgreSQL en {urlparse(postgres_url).hostname}: {str(error).splitlines()[0]}")

    records = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", brokers)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .load()
    )
    paises = list(LINEA_BASE)
    texto = col("value").cast("string")
    leidos = records.select("partition", "offset", from_json(texto, SCHEMA).alias("e")).select("partition", "offset", "e.*")
    unidad_ok = lit(False)
    for indicador, unidad in UNIDADES.items():
        unidad_ok = unidad_ok | ((col("indicador") == indicador) & (col("unidad") == unidad))
    validos = (
        leidos.where(
            col("pais").isin(paises)
            & (col("nombre_pais").isNotNull() & (col("nombre_pais") != ""))
            & unidad_ok
            & col("valor").isNotNull()
            & ~col("valor").isin(float("inf"), float("-inf"))
            & ~isnan(col("valor"))
            & col("tiempo_evento").rlike(TIEMPO_UTC)
        )
        .withColumn("tiempo", to_timestamp(col("tiempo_evento")))
        .where(col("tiempo").isNotNull())
    )

    def agregados(duracion):
        return (
            validos.withWatermark("tiempo", f"{retraso_s} seconds")
            .groupBy(col("pais"), col("indicador"), window(col("tiempo"), duracion))
            .agg(
                count(lit(1)).alias("n"),
                spark_sum("valor").alias("suma"),
                spark_min("valor").alias("minimo"),
                spark_max("valor").alias("maximo"),
            )
            .select(
                "pais",
                "indicador",
                date_format(col("window.start"), ISO_MILLIS).alias("inicio"),
                date_format(col("window.end"), ISO_MILLIS).alias("fin"),
                "n",
                "suma",
                "minimo",
                "maximo",
            )
        )

    def escribir_ventanas(tabla):
        sql = (
            f"INSERT INTO {tabla} (pais, indicador, inicio, fin, n, suma, promedio, minimo, maximo) "
            "VALUES (?, ?, ?::timestamptz, ?::timestamptz, ?, ?, ?, ?, ?) "
            "ON CONFLICT (pais, indicador, inicio) DO UPDATE SET fin = excluded.fin, n = excluded.n, "
            "suma = excluded.suma, promedio = excluded.promedio, minimo = excluded.minimo, maximo = excluded.maximo"
        )

        def escribir(df, batch_id):
            filas = [
                (r.pais, r.indicador, r.inicio, r.fin, int(r.n), r.suma, r.suma / r.n, r.minimo, r.maximo) for r in df.collect()
            ]
            if filas:
                base.transaccion(lambda b: b.ejecutar(sql, filas))
                print(f"Lote {batch_id} de {tabla}: {len(filas)} ventanas escritas", flush=True)

        return escribir

    def escribir_eventos(df, batch_id):
        # Times as ISO text: Python's datetimes would be in the driver's local time zone.
        filas = df.select(
            "partition", "offset", "pais", "nombre_pais", "indicador", "valor", "unidad",
            date_format(col("tiempo"), ISO_MILLIS).alias("tiempo"),
        ).collect()
        eventos = sorted(filas, key=lambda r: (r.partition, r.offset))
        ultimos = {}
        for e in eventos:
            clave = (e.pais, e.indicador)
            actual = ultimos.get(clave)
            if actual is None or (e.tiempo, e.valor) > (actual.tiempo, actual.valor):
                ultimos[clave] = e

        def trabajo(b):
            if not b.lote_nuevo("eventos", batch_id):
                return []
            estados = {
                (p, i): s
                for p, i, s in b.consultar(
                    "SELECT pais, indicador, estado FROM estado_alertas WHERE motor = ?", [MOTOR], ["pais", "indicador", "estado"]
                )
            }
            cambiados = {}
            alertas = []
            for e in eventos:
                clave = (e.pais, e.indicador)
                linea_base = LINEA_BASE[e.pais]["valores"][e.indicador]
                desviacion = (e.valor - linea_base) / linea_base
                antes = estados.get(clave, "normal")
                estado, direccion = evaluar(antes, desviacion, umbrales[e.indicador])
                if estado != antes:
                    estados[clave] = estado
                    cambiados[clave] = estado
                if direccion is not None:
                    alertas.append(
                        (e.pais, e.nombre_pais, e.indicador, e.valor, e.unidad, float(linea_base), desviacion, direccion, e.tiempo)
                    )
            b.ejecutar(
                "INSERT INTO ultimos_valores (pais, nombre_pais, indicador, valor, unidad, tiempo_evento) "
                "VALUES (?, ?, ?, ?, ?, ?::timestamptz) ON CONFLICT (pais, indicador) DO UPDATE SET "
                "nombre_pais = excluded.nombre_pais, valor = excluded.valor, unidad = excluded.unidad, "
                "tiempo_evento = excluded.tiempo_evento "
                "WHERE (excluded.tiempo_evento, excluded.valor) > (ultimos_valores.tiempo_evento, ultimos_valores.valor)",
                [
                    (u.pais, u.nombre_pais, u.indicador, u.valor, u.unidad, u.tiempo)
                    for u in ultimos.values()
                ],
            )
            if alertas:
                b.ejecutar(
                    "INSERT INTO alertas (pais, nombre_pais, indicador, valor, unidad, linea_base, desviacion, direccion, "
                    "tiempo_evento) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz) ON CONFLICT DO NOTHING",
                    alertas,
                )
            if cambiados:
                b.ejecutar(
                    "INSERT INTO estado_alertas (motor, pais, indicador, estado) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (motor, pais, indicador) DO UPDATE SET estado = excluded.estado",
                    [(MOTOR, p, i, s) for (p, i), s in cambiados.items()],
                )
            return alertas

        alertas = base.transaccion(trabajo)
        if alertas:
            columnas = ["pais", "nombre_pais", "indicador", "valor", "unidad", "linea_base", "desviacion", "direccion", "tiempo_evento"]
            (
                spark.createDataFrame(alertas, columnas)
                .select(col("pais").alias("key"), to_json(struct(*columnas)).alias("value"))
                .write.format("kafka")
                .option("kafka.bootstrap.servers", brokers)
                .option("topic", topic_alertas)
                .save()
            )
        print(f"Lote {batch_id} de eventos: {len(eventos)} eventos, {len(ultimos)} últimos valores, {len(alertas)} alertas", flush=True)

    def start(writer, nombre):
        writer = writer.option("checkpointLocation", os.path.join(checkpoints, nombre))
        return writer.trigger(availableNow=True).start() if args.available_now else writer.trigger(processingTime="10 seconds").start()

    queries = [
        start(agregados("30 seconds").writeStream.outputMode("update").foreachBatch(escribir_ventanas("ventanas_30s")), "ventanas_30s"),
        start(agregados("15 minutes").writeStream.outputMode("update").foreachBatch(escribir_ventanas("metricas_15min")), "metricas_15min"),
        start(validos.writeStream.foreachBatch(escribir_eventos), "eventos"),
    ]
    print(f"spark_streaming_qog: {topic} en {brokers} -> PostgreSQL {urlparse(postgres_url).hostname}; Ctrl+C para parar", flush=True)

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda received, _frame: stop.set())
    try:
        while not stop.is_set() and any(q.isActive for q in queries):
            for q in queries:
                q.awaitTermination(1)
    except StreamingQueryException as error:
        fail(f"la consulta falló: {str(error).splitlines()[0]}")
    if stop.is_set():
        for q in queries:
            q.stop()
        spark.stop()
        print(f"spark_streaming_qog: parado; la próxima ejecución sigue desde {checkpoints}", flush=True)


if __name__ == "__main__":
    main()
