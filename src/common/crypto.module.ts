import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { CursorCodec } from './cursor.js';
import { SecretBox } from './secret-box.js';

/** The keys derived from RIFT_SECRET_KEY, built once: webhook secrets at rest, and paging cursors. */
@Global()
@Module({
  providers: [
    { provide: SecretBox, useFactory: (c: AppConfig) => new SecretBox(c.secretKey), inject: [APP_CONFIG] },
    { provide: CursorCodec, useFactory: (c: AppConfig) => new CursorCodec(c.secretKey), inject: [APP_CONFIG] },
  ],
  exports: [SecretBox, CursorCodec],
})
export class CryptoModule {}
