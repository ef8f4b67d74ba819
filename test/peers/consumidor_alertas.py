"""Reto 5: sistema de alertas, escrito desde el enunciado del curso (confluent-kafka).

Lee el topic sismos y, por cada sismo de magnitud >= 4.5, muestra la alerta destacada en la consola y la
guarda en alertas.log.

KAFKA_BROKERS, SISMOS_TOPIC, CONSUMER_GROUP y ALERTAS_LOG cambian el broker, el topic, el grupo y el
fichero.
"""

import json
import os
import sys
from datetime import datetime, timezone

from confluent_kafka import Consumer

UMBRAL = 4.5
ANCHO = 40
LOG = os.environ.get("ALERTAS_LOG", "alertas.log")


def hora(timestamp):
    if isinstance(timestamp, (int, float)):
        return datetime.fromtimestamp(timestamp / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return datetime.fromisoformat(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def caja(sismo):
    linea = lambda texto: "║" + f" {texto}".ljust(ANCHO)[:ANCHO] + "║"
    return "\n".join(
        [
            "╔" + "═" * ANCHO + "╗",
            "║" + "ALERTA SISMICA".center(ANCHO) + "║",
            "╠" + "═" * ANCHO + "╣",
            linea(f"Magnitud: {sismo['magnitud']}"),
            linea(f"Lugar: {sismo['lugar']}"),
            linea(f"Hora: {hora(sismo['timestamp'])}"),
            linea(f"Coords: ({sismo['latitud']}, {sismo['longitud']})"),
            linea(f"Profundidad: {sismo['profundidad_km']} km"),
            "╚" + "═" * ANCHO + "╝",
        ]
    )


consumer = Consumer(
    {
        "bootstrap.servers": os.environ.get("KAFKA_BROKERS", "localhost:9092"),
        "group.id": os.environ.get("CONSUMER_GROUP", "consumidor-alertas-py"),
        "auto.offset.reset": "earliest",
    }
)
consumer.subscribe([os.environ.get("SISMOS_TOPIC", "sismos")])

try:
    while True:
        msg = consumer.poll(timeout=1.0)
        if msg is None:
            continue
        if msg.error():
            print(f"error: {msg.error()}", file=sys.stderr)
            continue
        try:
            sismo = json.loads(msg.value())
        except (TypeError, ValueError):
            print(f"mensaje no valido en offset {msg.offset()}", file=sys.stderr)
            continue
        if sismo.get("magnitud") is not None and sismo["magnitud"] >= UMBRAL:
            alerta = caja(sismo)
            print(alerta, flush=True)
            with open(LOG, "a", encoding="utf-8") as log:
                log.write(alerta + "\n")
except KeyboardInterrupt:
    pass
finally:
    consumer.close()
