#!/usr/bin/env node
// The image's HEALTHCHECK: exit 0 when /health/ready answers 2xx (PostgreSQL and Kafka answer) on
// this container's operator port (OPS_PORT, else PORT), 1 otherwise. No curl in the slim image;
// node's fetch is enough.
const port = process.env.OPS_PORT || process.env.PORT || '3000';
const TIMEOUT_MS = 4_000; // under the HEALTHCHECK --timeout (5 s)
try {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
