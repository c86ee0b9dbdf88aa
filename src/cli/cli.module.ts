import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { CryptoModule } from '../common/crypto.module.js';
import { ConfigModule } from '../config/config.module.js';
import { EventsModule } from '../events/events.module.js';
import { KafkaModule } from '../kafka/kafka.module.js';
import { DeadLetters } from '../delivery/dead-letters.js';
import { ConsumerLag } from '../ops/consumer-lag.js';
import { PrismaModule } from '../prisma/prisma.module.js';
import { RecoverCoreModule } from '../recover/recover.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';

/** The same modules the service runs, without HTTP or consumers. */
@Module({})
export class CliModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), CryptoModule, PrismaModule, KafkaModule, TenantsModule, EventsModule, RecoverCoreModule],
      providers: [ConsumerLag, DeadLetters],
    };
  }
}
