#!/usr/bin/env python3
"""Publishes one click, one attribution and one conversion to Rift's input topics from Python.

The Kafka contract is docs/asyncapi.json (JSON Schemas of each `data` object: docs/schemas/).
Client: confluent-kafka (Debian: apt-get install python3-confluent-kafka; or pip install confluent-kafka).

    KAFKA_BROKERS=127.0.0.1:9092 RIFT_TOPIC_PREFIX=rift \
      python3 examples/python/producer.py --tenant 6650a1b2c3d4e5f6a7b8c9d0 --link summer-sale

Prints one JSON line per event once Kafka has it (acks=all): {"type", "event_id", "topic", "partition", "offset"}.
"""
import argparse
import json
import os
import secrets
import sys
from datetime import datetime, timezone

from confluent_kafka import Producer


def rfc3339_now() -> str:
    # RFC 3339 with an offset ("Z"): the only timestamp form the topics accept.
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", required=True, help="tenant id (24 lowercase hex)")
    parser.add_argument("--link", default="summer-sale", help="link id")
    args = parser.parse_args()

    brokers = os.environ.get("KAFKA_BROKERS", "127.0.0.1:9092")
    prefix = os.environ.get("RIFT_TOPIC_PREFIX", "rift")
    # acks=all and idempotence: a send that succeeds is on every in-sync replica, exactly once.
    producer = Producer({"bootstrap.servers": brokers, "acks": "all", "enable.idempotence": True})

    now = rfc3339_now()
    common = {"tenant_id": args.tenant, "link_id": args.link, "timestamp": now}
    events = [
        ("click", {"platform": "ios", "user_agent": "Mozilla/5.0", "referer": "https://example.com"}),
        ("attribution", {"install_id": "device-" + secrets.token_hex(4), "app_version": "1.2.0"}),
        ("conversion", {"conversion_type": "deposit", "user_id": "usr_abc123", "amount_cents": 10000, "currency": "usd"}),
    ]
    failures = []

    for event_type, fields in events:
        # Give every event an id (24 lowercase hex): resending the same id never delivers it twice.
        data = {"event_id": secrets.token_hex(12), **common, **fields}

        def report(err, msg, event_type=event_type, event_id=data["event_id"]):
            if err is not None:
                failures.append(f"{event_type} {event_id}: {err}")
                return
            print(json.dumps({"type": event_type, "event_id": event_id, "topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset()}), flush=True)

        # Key = tenant_id: a tenant's events stay in order on one partition.
        producer.produce(f"{prefix}.events.{event_type}", key=args.tenant, value=json.dumps(data), on_delivery=report)

    if producer.flush(30) > 0:
        failures.append("timed out waiting for Kafka")
    for f in failures:
        print(f"failed: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
