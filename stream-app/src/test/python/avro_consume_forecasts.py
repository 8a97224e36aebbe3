#!/usr/bin/env python3
"""Reads StreamGRU's Avro forecasts with Confluent's own Python client, the legacy AvroConsumer.

Usage: avro_consume_forecasts.py BOOTSTRAP REGISTRY_URL TOPIC COUNT

Consumes COUNT messages (read_committed, from the earliest offset) with
confluent_kafka.avro.AvroConsumer, which fetches each writer schema from the registry by the id
in the message, and prints one JSON object per decoded value. Needs Debian's
python3-confluent-kafka and python3-avro. Exits 1 if COUNT messages do not arrive within 90 s.
"""
import datetime
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")
from confluent_kafka.avro import AvroConsumer  # noqa: E402


def plain(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp() * 1000)
    return value


def main():
    bootstrap, registry, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    consumer = AvroConsumer({
        "bootstrap.servers": bootstrap,
        "group.id": "python-avro-check-%d" % time.time_ns(),
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "schema.registry.url": registry,
    })
    consumer.subscribe([topic])
    seen = 0
    deadline = time.time() + 90
    try:
        while seen < count and time.time() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                print("error: %s" % msg.error(), file=sys.stderr)
                continue
            print(json.dumps({k: plain(v) for k, v in msg.value().items()}))
            seen += 1
    finally:
        consumer.close()
    if seen < count:
        sys.exit("only %d of %d messages arrived" % (seen, count))


if __name__ == "__main__":
    main()
