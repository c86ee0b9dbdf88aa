import { Module } from '@nestjs/common';
import { ContractController } from './contract.controller.js';

/** The Kafka contract (AsyncAPI) on the public port, beside /docs and /openapi.json (api role). */
@Module({ controllers: [ContractController] })
export class ContractModule {}
