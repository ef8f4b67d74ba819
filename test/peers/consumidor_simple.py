"""Reto 3: mi primer consumidor, escrito desde el esqueleto del curso (confluent-kafka).

Lee mensajes-test en el grupo mi-grupo-consumidor desde el inicio y muestra particion, offset, clave y
valor de cada mensaje. Ctrl+C sale limpiamente.

KAFKA_BROKERS, MENSAJES_TOPIC y CONSUMER_GROUP cambian el broker, el topic y el grupo.
"""

import os
import sys

from confluent_kafka import Consumer

config = {
    "bootstrap.servers": os.environ.get("KAFKA_BROKERS", "localhost:9092"),
    "group.id": os.environ.get("CONSUMER_GROUP", "mi-grupo-consumidor"),
    "auto.offset.reset": "earliest",  # Leer desde el inicio
}

consumer = Consumer(config)
consumer.subscribe([os.environ.get("MENSAJES_TOPIC", "mensajes-test")])

try:
    while True:
        msg = consumer.poll(timeout=1.0)
        if msg is None:
            continue
        if msg.error():
            print(f"error: {msg.error()}", file=sys.stderr)
            continue
        key = msg.key().decode() if msg.key() is not None else None
        value = msg.value().decode() if msg.value() is not None else None
        print(f"partition={msg.partition()} offset={msg.offset()} key={key} value={value}", flush=True)
except KeyboardInterrupt:
    pass
finally:
    consumer.close()
    print("consumidor cerrado", flush=True)
