import { HttpException, HttpStatus } from '@nestjs/common';

/** The one JSON error shape of the API: `{ status, error, message }` (+ `error_id` on 500s). */
export interface ErrorBody {
  status: number;
  error: string;
  message: string | string[];
  error_id?: string;
}

export class ApiError extends HttpException {
  constructor(status: HttpStatus, error: string, message: string | string[]) {
    super({ status, error, message } satisfies ErrorBody, status);
  }
}

export const notFound = (what: string) => new ApiError(HttpStatus.NOT_FOUND, 'Not Found', `${what} not found`);
