#!/usr/bin/env bash
# Makes sure the non-Node Kafka clients of the producer test (test/producers.e2e-spec.ts) are
# installed: kcat (C, librdkafka) and python3-confluent-kafka (the examples/python producer), both
# Debian packages. Quick when they are there; installs them with apt as root.
set -euo pipefail
missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
# Debian's package serves Debian's python3 (/usr/bin/python3), which the test also tries.
{ python3 -c 'import confluent_kafka' || /usr/bin/python3 -c 'import confluent_kafka'; } >/dev/null 2>&1 || missing+=(python3-confluent-kafka)
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "[producers] installing Debian's ${missing[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null
else
  echo "[producers] not installed: ${missing[*]} (apt-get install ${missing[*]}); the producer test will fail in CI and be skipped elsewhere" >&2
fi
