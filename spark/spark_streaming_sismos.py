"""
Challenge 6 - spark_streaming_sismos: 5-minute window statistics of the `sismos` topic with Spark
Structured Streaming.

For every 5-minute window of event time (the quake's own `timestamp`, not the Kafka record time) it
computes the number of quakes, the average and the maximum magnitude, prints the table to the console
and publishes each window to `sismos-stats`, keyed by the window start, in the same JSON the
TypeScript stats service writes:

  {"inicio": "...", "fin": "...", "cantidad": 3, "con_magnitud": 2, "magnitud_promedio": 4.5, "magnitud_maxima": 5.1}

Quakes without magnitude count in `cantidad` but not in the average or maximum (`con_magnitud` says
how many had one). A revision of a quake (same id) is dropped within the watermark: Spark keeps the
first version it saw, so nothing is counted twice (the TypeScript service keeps the newest instead).

It accepts the message variants the TypeScript readers accept: `tsunami` as true/false, 0/1, null or
absent; `timestamp` as ISO 8601 with a zone, ISO 8601 without one (read as UTC, as Python's
`datetime.utcfromtimestamp(t).isoformat()` writes it), or whole epoch milliseconds. Other records are
left out.

  python spark/spark_streaming_sismos.py                 # runs until Ctrl+C
  python spark/spark_streaming_sismos.py --available-now # processes what is in the topic, then stops

Its progress is kept in a checkpoint per incarnation of the source topic (by the topic id Kafka gives
it), so a topic deleted and created again starts from its beginning instead of failing the job.

With MESSAGE_FORMAT=avro it reads the Avro topic (SISMOS_AVRO_TOPIC, sismos-avro) that
`productor_sismos --format avro` (schema version 2) and the course's Python Avro producers (version
1, say) write in the schema registry's wire format: a magic byte 0, the id of the writer's schema,
then the Avro body. At start the job asks the registry (SCHEMA_REGISTRY_URL) for every schema
registered under the topic's subject, and decodes each body with `from_avro` and its writer's
schema, resolved to schemas/sismo-v2.avsc (Avro schema resolution, as the registry's own
deserializers do: a field version 1 lacks reads as null). A record without the header, with a schema
id registered after the start (a restart reads it) or from another registry, or whose body does not
decode, is left out.

Environment: KAFKA_BROKERS (localhost:9092), SISMOS_TOPIC (sismos), STATS_TOPIC (sismos-stats),
STATS_WINDOW_MINUTES (5), STATS_LATENESS_MINUTES (60), SPARK_CHECKPOINT_DIR (/tmp/sismos-spark),
MESSAGE_FORMAT (json), SISMOS_AVRO_TOPIC (sismos-avro), SISMOS_AVRO_SCHEMA (schemas/sismo-v2.avsc),
SCHEMA_REGISTRY_URL (http://127.0.0.1:8081/apis/ccompat/v7).
"""

import argparse
import json as json_text
import os
import signal
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

from py4j.protocol import Py4JJavaError
from pyspark.errors import StreamingQueryException
from pyspark.sql import SparkSession
from pyspark.sql.functions import (
    avg,
    col,
    count,
    date_format,
    expr,
    floor,
    from_json,
    lit,
    regexp_replace,
    struct,
    timestamp_millis,
    to_json,
    to_timestamp,
    when,
    window,
)
from pyspark.sql.functions import conv, hex as spark_hex
from pyspark.sql.functions import max as spark_max
from pyspark.sql.avro.functions import from_avro
from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField, StructType

SPARK_VERSION = "3.5.7"
KAFKA_PACKAGE = f"org.apache.spark:spark-sql-kafka-0-10_2.12:{SPARK_VERSION}"
AVRO_PACKAGE = f"org.apache.spark:spark-avro_2.12:{SPARK_VERSION}"
AVRO_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "sismo-v2.avsc")
ISO_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
# How long the start-up check waits for a broker before the job gives up with one line.
ADMIN_TIMEOUT_S = 15

# The challenge-4 message: the eight fields of the course (Sismos' extras are not needed here).
# `timestamp` and `tsunami` come in several forms, so they are read as text here and checked by
# event_time() and tsunami_accepted().
SCHEMA = StructType(
    [
        StructField("id", StringType()),
        StructField("magnitud", DoubleType()),
        StructField("lugar", StringType()),
        StructField("latitud", DoubleType()),
        StructField("longitud", DoubleType()),
        StructField("profundidad_km", DoubleType()),
        StructField("timestamp", StringType()),
        StructField("tsunami", StringType()),
    ]
)

# ISO 8601 as the TypeScript readers take it: seconds and fraction optional, the zone optional (UTC).
ISO_8601 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
# Spark reads "10:30" but not "10:30Z": the seconds are written out before parsing.
NO_SECONDS = r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?=Z|[+-]|$)"
# The epoch milliseconds of 0000-01-01 and 9999-12-31T23:59:59.999Z, the years ISO 8601 writes with four digits.
FIRST_MS = -62_167_219_200_000
LAST_MS = 253_402_300_799_999


def json_field(json, name, data_type):
    """The field `name` of the JSON text `json` read as `data_type`: null when it is absent, null, or
    a JSON value of another type (a string "1" is no number, a number 1 no boolean)."""
    return from_json(json, StructType([StructField(name, data_type)]))[name]


def event_time(json):
    """The message's `timestamp` as a Spark timestamp: ISO 8601 with or without a zone (UTC, the
    session's time zone), or a whole number of epoch milliseconds; null for anything else, such as a
    string of digits."""
    text = json_field(json, "timestamp", StringType())
    millis = json_field(json, "timestamp", DoubleType())
    whole_millis = millis.isNotNull() & (millis == floor(millis)) & millis.between(FIRST_MS, LAST_MS)
    iso = when(text.rlike(ISO_8601), to_timestamp(regexp_replace(text, NO_SECONDS, "$1:00")))
    return when(whole_millis, timestamp_millis(millis.cast("long"))).otherwise(iso)


# The plausibility bounds of src/core/guards.ts (PLAUSIBLE), so both engines leave out the same
# records: magnitude -2 to 10.5, depth -10 to 1,000 km, origin time from 1900-01-01 (-2,208,988,800,000
# ms) to a day after the reader's clock.
FIRST_TIME_MS = -2_208_988_800_000


def plausible():
    """True for a message whose magnitude, depth, position and time are physically possible."""
    mag, depth = col("magnitud"), col("profundidad_km")
    return (
        (mag.isNull() | mag.between(-2.0, 10.5))
        & (depth.isNull() | depth.between(-10.0, 1000.0))
        & col("latitud").between(-90.0, 90.0)
        & col("longitud").between(-180.0, 180.0)
        & (col("event_time") >= timestamp_millis(lit(FIRST_TIME_MS)))
        & (col("event_time") <= expr("current_timestamp() + INTERVAL 1 DAY"))
    )


def tsunami_accepted(json):
    """True when `tsunami` is true/false, 0/1, null or absent (USGS writes 0/1, and students copy it)."""
    text = json_field(json, "tsunami", StringType())
    return (
        text.isNull()
        | json_field(json, "tsunami", BooleanType()).isNotNull()
        | json_field(json, "tsunami", DoubleType()).isin(0.0, 1.0)
    )


def registered_schemas(registry, subject):
    """{schema id: schema text} of every version registered under `subject`, asked of the registry's
    Confluent-compatible API. Ends the job with one line when the registry cannot answer."""
    quoted = urllib.parse.quote(subject, safe="")

    def get(path):
        with urllib.request.urlopen(registry.rstrip("/") + path, timeout=ADMIN_TIMEOUT_S) as answer:
            return json_text.load(answer)

    try:
        schemas = {}
        for version in get(f"/subjects/{quoted}/versions"):
            registered = get(f"/subjects/{quoted}/versions/{version}")
            schemas[int(registered["id"])] = registered["schema"]
        return schemas
    except urllib.error.HTTPError as error:
        if error.code == 404:
            fail(
                f"no schema is registered under {subject} at {registry}: start productor_sismos --format avro "
                "(it registers its schema), or set SISMOS_AVRO_TOPIC or SCHEMA_REGISTRY_URL"
            )
        fail(f"the schema registry at {registry} answered HTTP {error.code} for {subject}; check SCHEMA_REGISTRY_URL")
    except (OSError, ValueError, KeyError, TypeError) as error:
        fail(
            f"cannot read the schemas of {subject} from the schema registry at {registry} ({error}); "
            "start one (npm run registry:local) or set SCHEMA_REGISTRY_URL"
        )


def avro_as_json(value, writers, reader):
    """The Avro record in the wire-format `value` as the JSON text of its message, so the rest of the
    job reads it like a JSON record: decoded with the schema its id names in `writers`, resolved to
    `reader`; null without the header, with an id not in `writers`, or when the body does not decode."""
    framed = expr("substring(value, 1, 1) = X'00'")
    schema_id = conv(spark_hex(expr("substring(value, 2, 4)")), 16, 10).cast("long")
    body = expr("substring(value, 6)")
    decoded = None
    for schema_id_value, writer in sorted(writers.items()):
        record = to_json(from_avro(body, writer, {"mode": "PERMISSIVE", "avroSchema": reader}))
        match = schema_id == lit(schema_id_value)
        decoded = when(match, record) if decoded is None else decoded.when(match, record)
    return when(framed, decoded) if decoded is not None else lit(None).cast("string")


def fail(message):
    """Ends the job with one line on stderr, as the TypeScript commands do."""
    print(f"spark_streaming_sismos: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def topic_id(spark, brokers, topic):
    """The id Kafka gave `topic` when it was created (a topic created again gets a new one), asked with
    Kafka's admin client in Spark's JVM. Ends the job with one line when no broker answers within
    ADMIN_TIMEOUT_S or the topic does not exist, instead of letting Spark retry forever."""
    jvm = spark._jvm
    log4j = jvm.org.apache.logging.log4j
    # The admin client warns once a second about every connection it cannot make: the one line below says it.
    log4j.core.config.Configurator.setLevel("org.apache.kafka", log4j.Level.ERROR)
    props = jvm.java.util.Properties()
    props.put("bootstrap.servers", brokers)
    props.put("default.api.timeout.ms", str(ADMIN_TIMEOUT_S * 1000))
    props.put("request.timeout.ms", str(ADMIN_TIMEOUT_S * 1000))
    admin = None
    try:
        admin = jvm.org.apache.kafka.clients.admin.Admin.create(props)
        topics = admin.describeTopics(jvm.java.util.Collections.singletonList(topic)).allTopicNames().get()
        return topics.get(topic).topicId().toString()
    except Py4JJavaError as error:
        cause = error.java_exception
        while cause.getCause() is not None:
            cause = cause.getCause()
        kind = cause.getClass().getSimpleName()
        if kind == "UnknownTopicOrPartitionException":
            fail(
                f"topic {topic} does not exist at {brokers}: start productor_sismos (npm run productor-sismos), "
                "or create it (npm run kafka:local and docker compose's kafka-init do), or set SISMOS_TOPIC"
            )
        if kind == "TimeoutException":
            fail(
                f"cannot reach Kafka at {brokers} within {ADMIN_TIMEOUT_S} s; start a broker "
                "(docker compose up -d kafka, or npm run kafka:local) or set KAFKA_BROKERS"
            )
        fail(f"Kafka at {brokers} failed: {cause.getMessage()}; check KAFKA_BROKERS (host:port,host:port)")
    finally:
        if admin is not None:
            admin.close(jvm.java.time.Duration.ofSeconds(1))
        log4j.core.config.Configurator.setLevel("org.apache.kafka", log4j.Level.WARN)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--available-now", action="store_true", help="process the topic as it is now, then stop")
    args = parser.parse_args()

    brokers = os.environ.get("KAFKA_BROKERS", "localhost:9092")
    avro = os.environ.get("MESSAGE_FORMAT", "json") == "avro"
    source_topic = os.environ.get("SISMOS_AVRO_TOPIC", "sismos-avro") if avro else os.environ.get("SISMOS_TOPIC", "sismos")
    stats_topic = os.environ.get("STATS_TOPIC", "sismos-stats")
    window_minutes = int(os.environ.get("STATS_WINDOW_MINUTES", "5"))
    lateness_minutes = int(os.environ.get("STATS_LATENESS_MINUTES", "60"))
    checkpoints = os.environ.get("SPARK_CHECKPOINT_DIR", "/tmp/sismos-spark")
    # The writers' schemas are asked for before Spark starts, so a registry that is not there is said at once.
    writers = {}
    if avro:
        registry = os.environ.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7")
        writers = registered_schemas(registry, f"{source_topic}-value")
        print(
            f"spark_streaming_sismos: {source_topic} in Avro, schema ids {', '.join(map(str, sorted(writers)))} "
            f"of {source_topic}-value at {registry}",
            flush=True,
        )

    spark = (
        SparkSession.builder.appName("SismosStreaming")
        .config("spark.jars.packages", f"{KAFKA_PACKAGE},{AVRO_PACKAGE}" if avro else KAFKA_PACKAGE)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "3")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")

    incarnation = topic_id(spark, brokers, source_topic)
    topic_checkpoints = os.path.join(checkpoints, source_topic)
    earlier = [d for d in sorted(os.listdir(topic_checkpoints)) if d != incarnation] if os.path.isdir(topic_checkpoints) else []
    checkpoint = os.path.join(topic_checkpoints, incarnation, stats_topic)
    if earlier and not os.path.isdir(checkpoint):
        print(
            f"spark_streaming_sismos: {source_topic} was created again since the last run (topic id {incarnation}); "
            f"starting from its beginning, with a new checkpoint in {checkpoint}",
            flush=True,
        )

    records = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", brokers)
        .option("subscribe", source_topic)
        .option("startingOffsets", "earliest")
        .load()
    )

    # Values that are not challenge-4 JSON parse to null fields and are left out, never crash the job.
    if avro:
        with open(os.environ.get("SISMOS_AVRO_SCHEMA", AVRO_SCHEMA), encoding="utf-8") as schema:
            json = avro_as_json(col("value"), writers, schema.read())
    else:
        json = col("value").cast("string")
    sismos = (
        records.select(
            from_json(json, SCHEMA).alias("data"),
            event_time(json).alias("event_time"),
            tsunami_accepted(json).alias("tsunami_accepted"),
        )
        .select("data.*", "event_time", "tsunami_accepted")
        .where(
            col("id").isNotNull()
            & col("event_time").isNotNull()
            & col("tsunami_accepted")
            & plausible()
        )
    )

    windows = (
        sismos.withWatermark("event_time", f"{lateness_minutes} minutes")
        .dropDuplicatesWithinWatermark(["id"])
        .groupBy(window(col("event_time"), f"{window_minutes} minutes"))
        .agg(
            count(lit(1)).alias("cantidad"),
            count(col("magnitud")).alias("con_magnitud"),
            avg(col("magnitud")).alias("magnitud_promedio"),
            spark_max(col("magnitud")).alias("magnitud_maxima"),
        )
        .select(
            date_format(col("window.start"), ISO_MILLIS).alias("inicio"),
            date_format(col("window.end"), ISO_MILLIS).alias("fin"),
            "cantidad",
            "con_magnitud",
            "magnitud_promedio",
            "magnitud_maxima",
        )
    )

    def start(writer):
        return writer.trigger(availableNow=True).start() if args.available_now else writer.trigger(processingTime="10 seconds").start()

    console = start(windows.writeStream.outputMode("update").format("console").option("truncate", False))
    kafka = start(
        windows.select(
            col("inicio").alias("key"),
            # ignoreNullFields=false keeps "magnitud_promedio": null for windows without magnitudes.
            to_json(struct(*windows.columns), {"ignoreNullFields": "false"}).alias("value"),
        )
        .writeStream.outputMode("update")
        .format("kafka")
        .option("kafka.bootstrap.servers", brokers)
        .option("topic", stats_topic)
        .option("checkpointLocation", checkpoint)
    )

    # Ctrl+C or SIGTERM stops the queries between two waits instead of interrupting Py4J mid-call
    # (which printed its tracebacks); the checkpoint keeps the progress.
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda received, _frame: stop.set())
    queries = [console, kafka]
    try:
        while not stop.is_set() and any(q.isActive for q in queries):
            for q in queries:
                q.awaitTermination(1)
    except StreamingQueryException as error:
        fail(f"the query failed: {str(error).splitlines()[0]}")
    if stop.is_set():
        for q in queries:
            q.stop()
        spark.stop()
        print(f"spark_streaming_sismos: stopped; the next run resumes from the checkpoint in {checkpoint}", flush=True)


if __name__ == "__main__":
    main()
