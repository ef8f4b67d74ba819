"""Reto 2: mi primer productor, escrito desde el esqueleto del curso (confluent-kafka).

Envia 10 mensajes JSON {id, texto, timestamp} al topic mensajes-test, con el id como clave, y confirma
cada envio.

  python productor_simple.py
  python productor_simple.py --partitioner murmur2_random   # las particiones de Java y kafkajs

KAFKA_BROKERS y MENSAJES_TOPIC cambian el broker (localhost:9092) y el topic.
"""

import argparse
import json
import os
import sys
from datetime import datetime

from confluent_kafka import Producer

parser = argparse.ArgumentParser(description="Envia 10 mensajes a mensajes-test")
parser.add_argument("--partitioner", default="consistent_random", help="particionador de librdkafka")
args = parser.parse_args()

TOPIC = os.environ.get("MENSAJES_TOPIC", "mensajes-test")
fallidos = 0


def delivery_callback(err, msg):
    """Callback para confirmar envio"""
    global fallidos
    if err is not None:
        fallidos += 1
        print(f"error al enviar key={msg.key().decode()}: {err}", file=sys.stderr)
    else:
        print(f"delivered {msg.topic()} [{msg.partition()}] @ {msg.offset()}  key={msg.key().decode()}")


config = {
    "bootstrap.servers": os.environ.get("KAFKA_BROKERS", "localhost:9092"),
    "client.id": "productor-simple",
    "partitioner": args.partitioner,
}

producer = Producer(config)

for i in range(1, 11):
    mensaje = {"id": i, "texto": f"Mensaje número {i}", "timestamp": datetime.now().isoformat()}
    producer.produce(TOPIC, key=str(i), value=json.dumps(mensaje), callback=delivery_callback)
    producer.poll(0)

pendientes = producer.flush(30)
if pendientes or fallidos:
    print(f"{pendientes} mensajes sin confirmar, {fallidos} fallidos", file=sys.stderr)
    sys.exit(1)
print(f"10 mensajes enviados a {TOPIC}.")
