"""Reto 4: productor de sismos, escrito desde el enunciado del curso (confluent-kafka, requests).

Consulta la API de USGS cada 30 segundos y publica cada sismo nuevo en el topic sismos, con su id como
clave; un set de ids procesados evita los duplicados.

  python productor_sismos.py
  python productor_sismos.py --once                 # una sola consulta
  python productor_sismos.py --tsunami usgs         # tsunami como lo da USGS (0/1), sin convertir
  python productor_sismos.py --time naive           # datetime.utcfromtimestamp(t).isoformat(), sin zona
  python productor_sismos.py --time epoch-ms        # el time de USGS tal cual, milisegundos
  python productor_sismos.py --partitioner murmur2_random

KAFKA_BROKERS, SISMOS_TOPIC y USGS_FEED_URL cambian el broker, el topic y la URL del feed.
"""

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone

import requests
from confluent_kafka import Producer

URL = "https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/all_hour.geojson"

parser = argparse.ArgumentParser(description="Publica los sismos de USGS en Kafka")
parser.add_argument("--interval", type=float, default=30, help="segundos entre consultas")
parser.add_argument("--once", action="store_true", help="una consulta y salir")
parser.add_argument("--tsunami", choices=["bool", "usgs", "null", "omit"], default="bool")
parser.add_argument("--time", choices=["iso", "naive", "epoch-ms"], default="iso")
parser.add_argument("--partitioner", default="consistent_random", help="particionador de librdkafka")
args = parser.parse_args()

TOPIC = os.environ.get("SISMOS_TOPIC", "sismos")
FEED = os.environ.get("USGS_FEED_URL", URL)


def marca_de_tiempo(ms):
    if args.time == "epoch-ms":
        return ms
    if args.time == "naive":
        return datetime.utcfromtimestamp(ms / 1000).isoformat()
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def mensaje(feature):
    props = feature["properties"]
    lon, lat, depth = feature["geometry"]["coordinates"][:3]
    sismo = {
        "id": feature["id"],
        "magnitud": props["mag"],
        "lugar": props["place"],
        "latitud": lat,
        "longitud": lon,
        "profundidad_km": depth,
        "timestamp": marca_de_tiempo(props["time"]),
    }
    if args.tsunami == "bool":
        sismo["tsunami"] = bool(props.get("tsunami"))
    elif args.tsunami == "usgs":
        sismo["tsunami"] = props.get("tsunami")
    elif args.tsunami == "null":
        sismo["tsunami"] = None
    return sismo


def delivery_callback(err, msg):
    if err is not None:
        print(f"error al enviar {msg.key().decode()}: {err}", file=sys.stderr)


producer = Producer(
    {
        "bootstrap.servers": os.environ.get("KAFKA_BROKERS", "localhost:9092"),
        "client.id": "productor-sismos-py",
        "partitioner": args.partitioner,
    }
)
procesados = set()

try:
    while True:
        try:
            respuesta = requests.get(FEED, timeout=10)
            respuesta.raise_for_status()
            features = respuesta.json()["features"]
        except (requests.RequestException, ValueError, KeyError) as error:
            print(f"error consultando USGS: {error}", file=sys.stderr, flush=True)
            features = []
        nuevos = 0
        for feature in features:
            if feature["id"] in procesados:
                continue
            producer.produce(TOPIC, key=feature["id"], value=json.dumps(mensaje(feature)), callback=delivery_callback)
            producer.poll(0)
            procesados.add(feature["id"])
            nuevos += 1
        producer.flush(30)
        print(f"{datetime.now().isoformat(timespec='seconds')} {nuevos} sismos nuevos, {len(procesados)} en total", flush=True)
        if args.once:
            break
        time.sleep(args.interval)
except KeyboardInterrupt:
    producer.flush(30)
