import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { loadConfig, type AppConfig } from './config/config.js';
import { ConfigError } from './config/env.schema.js';
import { startOpsServer } from './ops/ops-server.js';

export function setupOpenApi(app: NestExpressApplication): void {
  const doc = new DocumentBuilder()
    .setTitle('Rift Webhooks')
    .setDescription(
      'Register HTTPS webhooks for click, attribution and conversion events. Every delivery carries ' +
        'X-Rift-Signature: the hex HMAC-SHA256 of the raw body, keyed by the webhook secret.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'rl_live_... API key' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'openapi.json' });
}

export async function bootstrap(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  app.disable('x-powered-by');
  // Only the configured proxies' X-Forwarded-For names the client (rate limits, logs); by default the
  // socket's address does, so a client cannot pick its own IP with a header.
  app.set('trust proxy', config.http.trustProxy);
  app.useBodyParser('json', { limit: '64kb' });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (config.role !== 'dispatcher') setupOpenApi(app);
  // Idle keep-alive sockets outlive clients' and load balancers' own timeouts, so a client never
  // reuses a socket at the moment the server closes it.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.listen(config.http.port, '0.0.0.0');
  Logger.log(`rift-webhooks (${config.role}) listening on :${config.http.port}`, 'Main');
  if (config.http.opsPort !== config.http.port) {
    await startOpsServer(app, config.http.opsPort);
    Logger.log(`/metrics and /health on the operator port :${config.http.opsPort}`, 'Main');
  }
  return app;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG: not worth restarting in a loop
    }
    throw err;
  }
  await bootstrap(config);
}

void main();
