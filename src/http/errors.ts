import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';

/** Every refusal the API gives: a code to search for and a sentence to act on. */
export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable, searchable error code, e.g. INTERACTION_NOT_FOUND' }),
    message: Type.String({ description: 'What went wrong and what to do about it' }),
  },
  { description: 'A refusal: a searchable code and a sentence to act on' },
);

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send({ code: error.code, message: error.message });
    }
    if ((error as FastifyError).validation) {
      return reply.status(400).send({ code: 'REQUEST_INVALID', message: error.message });
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send({
      code: (error as FastifyError).code ?? 'INTERNAL',
      message: status >= 500 ? 'internal error' : error.message,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url}` }),
  );
}
