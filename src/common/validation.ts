import { BadRequestException, type ValidationError, ValidationPipe } from '@nestjs/common';

/** Flattens class-validator errors into "field: reason" lines, naming nested fields with dots. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${field}: ${m}`);
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The API's validation pipe: unknown fields rejected, each problem named by field. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException({ status: 400, error: 'Bad Request', message: flattenValidationErrors(errors) }),
  });
}
