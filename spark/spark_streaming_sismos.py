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

  python spark/spark_streaming_sismos.py                 # runs until Ctrl+C
  python spark/spark_streaming_sismos.py --available-now # processes what is in the topic, then stops

Environment: KAFKA_BROKERS (localhost:9092), SISMOS_TOPIC (sismos), STATS_TOPIC (sismos-stats),
STATS_WINDOW_MINUTES (5), STATS_LATENESS_MINUTES (60), SPARK_CHECKPOINT_DIR (/tmp/sismos-spark).
"""

import argparse
import os

from pyspark.sql import SparkSession
from pyspark.sql.functions import avg, col, count, date_format, from_json, lit, struct, to_json, to_timestamp, window
from pyspark.sql.functions import max as spark_max
from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField, StructType

SPARK_VERSION = "3.5.7"
KAFKA_PACKAGE = f"org.apache.spark:spark-sql-kafka-0-10_2.12:{SPARK_VERSION}"
ISO_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"

# The challenge-4 message: the eight fields of the course (Sismos' extras are not needed here).
SCHEMA = StructType(
    [
        StructField("id", StringType()),
        StructField("magnitud", DoubleType()),
        StructField("lugar", StringType()),
        StructField("latitud", DoubleType()),
        StructField("longitud", DoubleType()),
        StructField("profundidad_km", DoubleType()),
        StructField("timestamp", StringType()),
        StructField("tsunami", BooleanType()),
    ]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--available-now", action="store_true", help="process the topic as it is now, then stop")
    args = parser.parse_args()

    brokers = os.environ.get("KAFKA_BROKERS", "localhost:9092")
    source_topic = os.environ.get("SISMOS_TOPIC", "sismos")
    stats_topic = os.environ.get("STATS_TOPIC", "sismos-stats")
    window_minutes = int(os.environ.get("STATS_WINDOW_MINUTES", "5"))
    lateness_minutes = int(os.environ.get("STATS_LATENESS_MINUTES", "60"))
    checkpoints = os.environ.get("SPARK_CHECKPOINT_DIR", "/tmp/sismos-spark")

    spark = (
        SparkSession.builder.appName("SismosStreaming")
        .config("spark.jars.packages", KAFKA_PACKAGE)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "3")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")

    records = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", brokers)
        .option("subscribe", source_topic)
        .option("startingOffsets", "earliest")
        .load()
    )

    # Values that are not challenge-4 JSON parse to null fields and are left out, never crash the job.
    sismos = (
        records.select(from_json(col("value").cast("string"), SCHEMA).alias("data"))
        .select("data.*")
        .withColumn("event_time", to_timestamp(col("timestamp")))
        .where(col("id").isNotNull() & col("event_time").isNotNull())
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
        .option("checkpointLocation", os.path.join(checkpoints, stats_topic))
    )

    if args.available_now:
        kafka.awaitTermination()
        console.awaitTermination()
    else:
        spark.streams.awaitAnyTermination()


if __name__ == "__main__":
    main()
