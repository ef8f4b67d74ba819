"""Sismos en Avro, como el ejemplo Avro del curso (confluent-kafka: AvroSerializer / AvroDeserializer).

  python avro_sismos.py produce mensajes.json   # publica cada mensaje (lista JSON) con el esquema v1
  python avro_sismos.py consume N               # lee N mensajes y escribe cada uno como una línea JSON

KAFKA_BROKERS, SISMOS_AVRO_TOPIC y SCHEMA_REGISTRY_URL cambian el broker, el topic y el registro.
"""

import json
import os
import sys
import time
from pathlib import Path

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

BROKERS = os.environ.get("KAFKA_BROKERS", "localhost:9092")
TOPIC = os.environ.get("SISMOS_AVRO_TOPIC", "sismos-avro")
REGISTRY = os.environ.get("SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/ccompat/v7")
SCHEMA_V1 = Path(__file__).resolve().parents[2] / "schemas" / "sismo-v1.avsc"

registry = SchemaRegistryClient({"url": REGISTRY})


def produce(path):
    # El serializador registra el esquema en <topic>-value y enmarca cada registro: byte 0, id, cuerpo Avro.
    serializer = AvroSerializer(registry, SCHEMA_V1.read_text(), lambda mensaje, ctx: mensaje)
    key_serializer = StringSerializer("utf_8")
    producer = Producer({"bootstrap.servers": BROKERS})
    for mensaje in json.loads(Path(path).read_text()):
        producer.produce(
            TOPIC,
            key=key_serializer(mensaje["id"]),
            value=serializer(mensaje, SerializationContext(TOPIC, MessageField.VALUE)),
        )
    producer.flush(30)
    print(f"publicados en {TOPIC}", flush=True)


def consume(count):
    deserializer = AvroDeserializer(registry)
    consumer = Consumer({
        "bootstrap.servers": BROKERS,
        "group.id": f"avro-peer-{os.getpid()}",
        "auto.offset.reset": "earliest",
    })
    consumer.subscribe([TOPIC])
    read = 0
    deadline = time.time() + 60
    while read < count and time.time() < deadline:
        msg = consumer.poll(1.0)
        if msg is None or msg.error():
            continue
        mensaje = deserializer(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))
        print(json.dumps(mensaje, sort_keys=True), flush=True)
        read += 1
    consumer.close()
    if read < count:
        sys.exit(f"solo {read} de {count} mensajes en 60 s")


if __name__ == "__main__":
    if sys.argv[1] == "produce":
        produce(sys.argv[2])
    else:
        consume(int(sys.argv[2]))
