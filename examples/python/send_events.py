#!/usr/bin/env python3
"""Write DeviceEvents to twinlog's event log from Python, as a device gateway would.

Uses confluent-kafka (librdkafka) with its default partitioner, which hashes keys with CRC32, not
murmur2 like the Java client: twinlog works with any partitioner that is consistent per key. The
value is Avro in the Confluent wire format (byte 0, the 4-byte schema id, the Avro body), encoded
with the plain `avro` package, so the example needs nothing beyond Debian's python3-confluent-kafka
and python3-avro.

    python3 send_events.py --devices thermo-1,thermo-2 --events 10 --interval 30
"""
import argparse
import datetime
import io
import json
import os
import struct
import sys
import urllib.request
import uuid

import avro.io
import avro.schema
from confluent_kafka import Producer

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "schemas", "src", "main", "avro", "event", "DeviceEvent.avsc")


def register(registry_url, subject, schema_text):
    """Registers the schema under the subject (Confluent REST API) and returns its id."""
    request = urllib.request.Request(
        f"{registry_url}/subjects/{subject}/versions",
        data=json.dumps({"schema": schema_text}).encode(),
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["id"]


def wire_format(writer, schema_id, event):
    """Byte 0, the schema id big-endian, the Avro binary body."""
    body = io.BytesIO()
    writer.write(event, avro.io.BinaryEncoder(body))
    return b"\x00" + struct.pack(">I", schema_id) + body.getvalue()


def events(devices, count, interval, start):
    """A registration, then telemetry, for each device; in time order across devices."""
    for step in range(count):
        for device in devices:
            time = start + datetime.timedelta(seconds=step * interval)
            if step == 0:
                payload = {"model": "thermo-py", "firmwareVersion": "1.0", "tags": {"site": "python"}}
            else:
                payload = {"readings": {"temperature": 20.0 + step % 10, "battery": 90.0 - step / 10}}
            yield {"eventId": str(uuid.uuid4()), "deviceId": device, "eventTime": time, "payload": payload}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="localhost:9092")
    parser.add_argument("--registry-url", default="http://localhost:8085")
    parser.add_argument("--topic", default="device-events")
    parser.add_argument("--devices", default="py-1,py-2,py-3", help="comma-separated device ids")
    parser.add_argument("--events", type=int, default=10, help="events per device")
    parser.add_argument("--interval", type=float, default=30, help="seconds of event time between them")
    parser.add_argument("--start", help="event time of the first, e.g. 2026-12-07T10:00:00Z (default: now)")
    args = parser.parse_args()

    with open(SCHEMA) as f:
        schema_text = f.read()
    schema_id = register(args.registry_url, f"{args.topic}-value", schema_text)
    writer = avro.io.DatumWriter(avro.schema.parse(schema_text))
    start = (datetime.datetime.fromisoformat(args.start.replace("Z", "+00:00")) if args.start
             else datetime.datetime.now(datetime.timezone.utc))

    failures = []
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "enable.idempotence": True})
    sent = 0
    for event in events(args.devices.split(","), args.events, args.interval, start):
        producer.produce(
            args.topic,
            key=event["deviceId"].encode(),  # the device id is the key: one partition per device
            value=wire_format(writer, schema_id, event),
            timestamp=int(event["eventTime"].timestamp() * 1000),
            on_delivery=lambda error, message: error and failures.append(error),
        )
        producer.poll(0)
        sent += 1
    producer.flush(30)
    if failures:
        sys.exit(f"{len(failures)} of {sent} events were not written: {failures[0]}")
    print(f"sent {sent} events for {args.devices} to {args.topic} (schema id {schema_id})")


if __name__ == "__main__":
    main()
