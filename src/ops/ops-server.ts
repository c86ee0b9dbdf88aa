import { HttpException, Logger, type INestApplication } from '@nestjs/common';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { HealthController } from './health.controller.js';
import { Metrics } from './metrics.js';

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

/**
 * The operator port (OPS_PORT, when it differs from PORT): GET /metrics and /health/{live,ready},
 * the same answers as on the public port, from the same instances. A bare node:http server: it has
 * no routes to protect, no bodies to parse and no tenant data. Unref'd, so it never holds the
 * process open at shutdown.
 */
export async function startOpsServer(app: INestApplication, port: number): Promise<Server> {
  const metrics = app.get(Metrics);
  const health = app.get(HealthController);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { status: 405, error: 'Method Not Allowed', message: 'GET only' });
    const run = async () => {
      if (path === '/metrics') {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
        return void res.end(await metrics.registry.metrics());
      }
      if (path === '/health/live' || path === '/health/ready') {
        try {
          return json(res, 200, await (path === '/health/live' ? health.live() : health.ready()));
        } catch (err) {
          if (err instanceof HttpException) return json(res, err.getStatus(), err.getResponse());
          throw err;
        }
      }
      json(res, 404, { status: 404, error: 'Not Found', message: `${path} is not served here: /metrics, /health/live, /health/ready` });
    };
    run().catch((err: Error) => {
      Logger.error({ msg: 'ops port request failed', error: err.message }, 'OpsServer');
      if (!res.headersSent) json(res, 500, { status: 500, error: 'Internal Server Error', message: 'Internal server error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  server.unref();
  return server;
}
