import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { buildAsyncApi } from './asyncapi.js';

/** GET /asyncapi.json: the Kafka contract of this deployment (its prefix, tiers and limits), for producer teams. */
@ApiExcludeController()
@Controller()
export class ContractController {
  private readonly doc: Record<string, unknown>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.doc = buildAsyncApi(config);
  }

  @Get('asyncapi.json')
  asyncApi(): Record<string, unknown> {
    return this.doc;
  }
}
