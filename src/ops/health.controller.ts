import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { KafkaService } from '../kafka/kafka.service.js';
import { PrismaService } from '../prisma/prisma.service.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly kafka: KafkaService,
  ) {}

  /** The process is up (no dependency checked). */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 only when PostgreSQL and Kafka both answer; 503 with the failing one named otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.probe('postgres', () => this.prisma.ping()), () => this.probe('kafka', () => this.kafka.ping())]);
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
