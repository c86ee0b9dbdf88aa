import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AttemptLogModule, DeliveriesApiModule } from './attempt-log/attempt-log.module.js';
import { CryptoModule } from './common/crypto.module.js';
import { AllExceptionsFilter } from './common/http-exception.filter.js';
import { apiValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { ConsoleModule } from './console/console.module.js';
import { ContractModule } from './contract/contract.module.js';
import { DeliveryApiModule, DeliveryModule } from './delivery/delivery.module.js';
import { EventsApiModule, EventsModule, EventStoreModule } from './events/events.module.js';
import { KafkaModule, TopicsAtBoot } from './kafka/kafka.module.js';
import { loggingModule } from './ops/logging.js';
import { MetricsModule } from './ops/metrics.js';
import { OpsModule } from './ops/ops.module.js';
import { PrismaModule } from './prisma/prisma.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RecoverApiModule } from './recover/recover.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/**
 * Composes the feature modules for a role: `api` serves the REST API, `dispatcher` runs the Kafka
 * consumers, `all` does both. Every role serves /health.
 */
@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    const api = config.role === 'api' || config.role === 'all';
    const dispatcher = config.role === 'dispatcher' || config.role === 'all';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CryptoModule,
        loggingModule(config),
        PrismaModule,
        KafkaModule,
        MetricsModule,
        OpsModule.forConfig(config),
        EventsModule,
        ...(api
          ? [
              RateLimitModule,
              ContractModule,
              ConsoleModule,
              TenantsModule,
              WebhooksModule,
              EventsApiModule,
              DeliveriesApiModule,
              DeliveryApiModule,
              RecoverApiModule,
            ]
          : []),
        ...(dispatcher ? [DeliveryModule, EventStoreModule, AttemptLogModule] : []),
      ],
      providers: [TopicsAtBoot, { provide: APP_FILTER, useClass: AllExceptionsFilter }, { provide: APP_PIPE, useFactory: apiValidationPipe }],
    };
  }
}
