import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { AppConfig } from '../config/config.js';
import { ConsumerWatchdog } from './consumer-watchdog.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';

/**
 * /health/* on the public port always; /metrics there only when OPS_PORT is unset (or equal to PORT).
 * With an operator port, both are served there by `OpsServer`. The consumer watchdog runs in every role.
 */
@Module({})
export class OpsModule {
  static forConfig(config: AppConfig): DynamicModule {
    const sharedPort = config.http.opsPort === config.http.port;
    return {
      module: OpsModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: sharedPort ? [HealthController, MetricsController] : [HealthController],
      providers: [ConsumerWatchdog],
    };
  }
}
