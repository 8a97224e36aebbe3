#!/usr/bin/env python3
"""Decode Confluent-framed Avro messages with Confluent's own (legacy) Python client.

Usage: decode_with_confluent_client.py REGISTRY_URL < messages.hex

Reads one hex-encoded Kafka message value per line from stdin and decodes it exactly as
confluent_kafka.avro.AvroConsumer does internally: CachedSchemaRegistryClient fetches the writer
schema by the id in the message header (GET /schemas/ids/{id}) and MessageSerializer.decode_message
checks the magic byte and decodes the Avro body. Prints one JSON object per message: the decoded
record, with timestamps as epoch milliseconds and bytes as hex, so the Java test can compare values.

Needs Debian's python3-confluent-kafka and python3-avro (no broker: decoding needs only the registry).
"""
import datetime
import json
import sys
import warnings

from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def plain(value):
    """JSON-friendly form of a decoded Avro value."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return (value - EPOCH) // datetime.timedelta(milliseconds=1)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def main():
    url = sys.argv[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client = CachedSchemaRegistryClient({"url": url})
    serializer = MessageSerializer(client)
    for line in sys.stdin:
        line = line.strip()
        if line:
            record = serializer.decode_message(bytes.fromhex(line))
            print(json.dumps(plain(record), sort_keys=True))
    client.close()


if __name__ == "__main__":
    main()
