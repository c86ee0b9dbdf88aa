// The baseline a user would write: a NestJS microservice on the @nestjs/microservices Kafka
// transport, one @EventPattern handler per input topic that looks up the tenant's webhooks, then
// awaits each delivery in turn and retries a failure by sleeping in-process (1 s, 5 s, 25 s).
// Run by bench/baseline.ts as its own process: tsx bench/baseline-app.ts
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import axios from 'axios';
import { createHmac } from 'node:crypto';
import https from 'node:https';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { SecretBox } from '../src/common/secret-box.js';

const config = loadConfig();
const P = config.kafka.topicPrefix;
const db = new pg.Pool({ connectionString: config.database.url, max: 4 });
const box = new SecretBox(config.secretKey);
const http = axios.create({ httpsAgent: new https.Agent({ keepAlive: true }), timeout: 10_000 });
type Payload_ = {} & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deliver(type: string, data: Record<string, unknown>): Promise<void> {
  const { rows } = await db.query<{ id: string; url: string; secret_ciphertext: string }>(
    'SELECT id, url, secret_ciphertext FROM webhooks WHERE tenant_id = $1 AND $2 = ANY(events)',
    [data.tenant_id, type],
  );
  for (const w of rows) {
    const body = JSON.stringify({ event: type, timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), data });
    const signature = createHmac('sha256', box.open(w.secret_ciphertext, w.id)).update(body).digest('hex');
    for (const delay of [0, 1_000, 5_000, 25_000]) {
      await sleep(delay);
      try {
        await http.post(w.url, body, { headers: { 'Content-Type': 'application/json', 'X-Rift-Signature': signature } });
        break;
      } catch {
        /* retry after the next delay */
      }
    }
  }
}

@Controller()
class WebhookController {
  @EventPattern(`${P}.events.click`) click(@Payload() data: Payload_) {
    return deliver('click', data);
  }
  @EventPattern(`${P}.events.attribution`) attribution(@Payload() data: Payload_) {
    return deliver('attribution', data);
  }
  @EventPattern(`${P}.events.conversion`) conversion(@Payload() data: Payload_) {
    return deliver('conversion', data);
  }
}

@Module({ controllers: [WebhookController] })
class BaselineModule {}

const app = await NestFactory.createMicroservice<MicroserviceOptions>(BaselineModule, {
  transport: Transport.KAFKA,
  options: {
    client: { clientId: 'baseline', brokers: config.kafka.brokers },
    consumer: { groupId: `${P}-baseline` },
    subscribe: { fromBeginning: true },
  },
  logger: ['error', 'warn'],
});
await app.listen();
process.send?.('ready');
