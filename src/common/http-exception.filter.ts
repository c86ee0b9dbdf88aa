import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { ErrorBody } from './errors.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Turns every error into the API's one JSON shape. Unexpected errors become a 500 with an error id
 * that is also logged (with the stack), so support can find it; the body never carries a stack.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let body: ErrorBody;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Partial<ErrorBody> & { details?: unknown };
      if (p.details !== undefined) {
        // @nestjs/terminus' report (503 from /health/ready) is already the documented JSON.
        res.status(status).json(payload);
        return;
      }
      body = {
        status,
        error: typeof p.error === 'string' ? p.error : (REASONS[status] ?? 'Error'),
        message: p.message ?? (typeof payload === 'string' ? payload : exception.message),
      };
    } else if (isBodyParserError(exception)) {
      const status = exception.status;
      body = { status, error: REASONS[status] ?? 'Bad Request', message: bodyParserMessage(exception) };
    } else {
      const errorId = randomUUID();
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ msg: 'unhandled error', error_id: errorId, error: err.message, stack: err.stack });
      body = { status: HttpStatus.INTERNAL_SERVER_ERROR, error: REASONS[500]!, message: 'Internal server error', error_id: errorId };
    }
    if (!res.headersSent) res.status(body.status).json(body);
  }
}

interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as BodyParserError).status === 'number' &&
    typeof (e as BodyParserError).type === 'string' &&
    (e as BodyParserError).status >= 400 &&
    (e as BodyParserError).status < 500
  );
}

function bodyParserMessage(e: BodyParserError): string {
  switch (e.type) {
    case 'entity.parse.failed':
      return 'request body is not valid JSON';
    case 'entity.too.large':
      return 'request body is too large';
    case 'encoding.unsupported':
      return 'unsupported content encoding';
    default:
      return 'malformed request body';
  }
}
