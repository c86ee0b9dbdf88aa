import { Controller, Get, Header, HttpStatus, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../common/errors.js';

/** Built by `npm run build` (scripts/build-console.mjs) from console/. */
export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'console');

/**
 * Same origin only, nothing inline: the console is one script and one stylesheet from this server,
 * and talks only to this server's API. No framing (clickjacking), no base or form tricks.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The files, read once at boot: a handful of small assets, served from memory. */
function loadAssets(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of ['index.html', 'app.js', 'app.css', 'favicon.svg']) {
    try {
      files.set(name, readFileSync(path.join(CONSOLE_DIR, name)));
    } catch {
      // Not built: answered with a 503 that says how to build it.
    }
  }
  return files;
}

/** GET /console: the tenant console, a static single-page app over the public REST API (api and all roles). */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly files = loadAssets();

  @Get()
  @Header('Cache-Control', 'no-cache')
  index(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get(':file')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!this.files.has(file) || file === 'index.html')
      throw new NotFoundException({ status: 404, error: 'Not Found', message: `console file ${file} not found` });
    this.send(res, file);
  }

  private send(res: Response, name: string): void {
    const body = this.files.get(name);
    if (!body) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'Service Unavailable', 'the console is not built: run npm run build');
    res.set({
      'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    res.send(body);
  }
}
