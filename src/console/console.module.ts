import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller.js';

/** The tenant console's static files at /console (api and all roles). */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
