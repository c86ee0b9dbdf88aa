import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error answer (written by AllExceptionsFilter, beside it), as the API docs show it. */
export class ErrorDto {
  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['url: url must be an absolute https:// URL without user:password'],
  })
  message!: string | string[];

  @ApiPropertyOptional({ example: '0b9c1f0e-4a55-4d1e-9d55-1b1f3d2b7a10', description: 'on 500s: quote it to support; the same id is in the server log' })
  error_id?: string;
}
