#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster if nothing answers on 127.0.0.1:5432.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
echo "[postgres] not answering on 127.0.0.1:5432; starting the local cluster" >&2
if command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
else
  echo "[postgres] no pg_ctlcluster here: start PostgreSQL yourself (or set DATABASE_URL)" >&2
  exit 1
fi
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 0.5; done
echo "[postgres] did not come up" >&2
exit 1
