import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../common/timeout.js';
import { ConsumerHealth } from '../kafka/consumer-health.js';
import { KafkaHealth } from '../kafka/kafka-health.js';
import { PrismaService } from '../prisma/prisma.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly kafka: KafkaHealth,
    private readonly consumers: ConsumerHealth,
  ) {}

  /** The process is up (no dependency checked). */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * 200 only when PostgreSQL and Kafka both answer and every consumer group of this process runs;
   * 503 naming what fails otherwise (a group that crashed and is being restarted is named with its
   * last error).
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.probe('postgres', () => this.prisma.ping()),
      () => this.probe('kafka', () => this.kafka.ping()),
      ...this.consumers.all().map((c) => () => {
        const check = this.indicator.check(`consumer:${c.group}`);
        if (c.state === 'running' || c.state === 'stopped') return check.up({ state: c.state });
        const since = c.downSince ? new Date(c.downSince).toISOString() : undefined;
        return check.down({ state: c.state, since, ...(c.lastError ? { last_error: c.lastError.slice(0, 200) } : {}) });
      }),
    ]);
  }

  private async probe(key: string, fn: () => Promise<void>) {
    const check = this.indicator.check(key);
    try {
      await withTimeout(fn(), 2_000);
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message.split('\n')[0] });
    }
  }
}
