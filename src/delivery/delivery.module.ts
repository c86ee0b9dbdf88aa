import { Module } from '@nestjs/common';
import { WebhookDirectoryModule } from '../webhooks/webhooks.module.js';
import { Deliverer } from './deliverer.js';
import { DispatcherService } from './dispatcher.service.js';
import { HttpSender } from './http-sender.js';
import { InputHandler } from './input-handler.js';
import { InvalidEvents } from './invalid-events.js';
import { RetryHandler } from './retry-handler.js';

@Module({
  imports: [WebhookDirectoryModule],
  providers: [HttpSender, Deliverer, InvalidEvents, InputHandler, RetryHandler, DispatcherService],
})
export class DeliveryModule {}
