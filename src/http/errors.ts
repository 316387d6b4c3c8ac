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
    /** Headers the refusal carries (Retry-After on a lock). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * A taking-on ("I'm on it") refused: 404 when nothing of the kind stands (`notStanding`: it cleared, the agent
 * is back), 409 when a supervisor took it on first (the reason names them).
 */
export function takingOnRefused(refused: { code: string; reason: string }, notStanding: string): ApiError {
  return new ApiError(refused.code === notStanding ? 404 : 409, refused.code, refused.reason);
}

export function installErrorHandler(app: FastifyInstance): void {
  // Ajv turns "1e400" or "Infinity" in a query into Infinity and then skips the range checks, which only
  // test finite numbers; JSON.parse makes 1e400 in a body Infinity too. Such a number is refused here, after
  // validation, before any route uses it (SQLite refused it as a mismatch: a 500).
  app.addHook('preHandler', async (request) => {
    const found =
      nonFinite(request.query, 'querystring') ??
      nonFinite(request.params, 'params') ??
      nonFinite(request.body, 'body');
    if (found)
      throw new ApiError(
        400,
        'REQUEST_INVALID',
        `${found} must be a finite number (it was too large to hold)`,
      );
  });
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply
        .status(error.statusCode)
        .headers(error.headers)
        .send({ code: error.code, message: error.message });
    }
    const { validation, validationContext } = error as FastifyError;
    if (validation) {
      const message = describeValidation(validationContext ?? 'request', validation) || error.message;
      return reply.status(400).send({ code: 'REQUEST_INVALID', message });
    }
    const telephony = telephonyRefusal(error);
    if (telephony) {
      request.log.warn({ err: error }, 'Asterisk refused a request made for this call');
      return reply.status(telephony.status).send({ code: telephony.code, message: telephony.message });
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

/** Where a request's value holds a number that is not finite (Infinity, -Infinity, NaN), if anywhere. */
function nonFinite(value: unknown, at: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : at;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFinite(inner, `${at}/${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * An ARI request Asterisk refused or never answered, thrown from a call verb (src/telephony's
 * AriRequestError, known here by its code so this room stays free of telephony imports): a channel or
 * bridge gone or in another state means the call changed under the request (409, try again or reload);
 * no answer or a server error means Asterisk is unavailable (503). Not a bare 500 with nothing to act on.
 */
function telephonyRefusal(error: unknown): { status: number; code: string; message: string } | undefined {
  const e = error as { code?: unknown; status?: unknown; detail?: unknown };
  if (e?.code !== 'ARI_REQUEST_FAILED' || typeof e.status !== 'number') return undefined;
  const detail = typeof e.detail === 'string' && e.detail ? ` (${e.detail})` : '';
  if (e.status === 0 || e.status >= 500) {
    return {
      status: 503,
      code: 'TELEPHONY_UNAVAILABLE',
      message: `Asterisk did not carry out the request${detail}; try again in a moment`,
    };
  }
  return {
    status: 409,
    code: 'CALL_CHANGED',
    message: `the call changed while this was being done (a party may have hung up)${detail}; reload and try again`,
  };
}

/** What each string format looks like, for a refusal to show. */
const FORMATS: Record<string, string> = {
  'date-time': 'a date and time with its offset, e.g. 2026-12-03T09:00:00Z',
  date: 'a date, e.g. 2026-12-03',
};

/** One schema error as Fastify's validator reports it (Ajv's shape). */
interface SchemaError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * A request refused by its schema, in sentences a client can act on: the field by name, the values a
 * choice takes, the parameter nobody knows. Ajv's own text says "must be equal to constant" once per
 * choice, and "must NOT have additional properties" without saying which.
 */
export function describeValidation(context: string, errors: readonly SchemaError[]): string {
  const field = (e: SchemaError) => `${context}${e.instancePath}`;
  const told = new Set<string>();
  const sentences: string[] = [];
  const say = (key: string, sentence: string) => {
    if (told.has(key)) return;
    told.add(key);
    sentences.push(sentence);
  };
  for (const e of errors) {
    const at = field(e);
    if (e.keyword === 'additionalProperties') {
      const name = String(e.params.additionalProperty);
      const what = context === 'querystring' ? 'parameter' : 'field';
      say(`${at}/${name}`, `${at}: unknown ${what} '${name}'`);
    } else if (['const', 'enum', 'format', 'anyOf'].includes(e.keyword)) {
      // A choice (of values, or of formats such as an instant or a date): all of it in one sentence.
      const here = errors.filter((o) => o.instancePath === e.instancePath);
      const allowed = here.flatMap((o) =>
        o.keyword === 'const'
          ? [o.params.allowedValue]
          : o.keyword === 'enum'
            ? ((o.params.allowedValues as unknown[]) ?? [])
            : [],
      );
      const formats = here.flatMap((o) =>
        o.keyword === 'format' ? [FORMATS[String(o.params.format)] ?? `in format ${o.params.format}`] : [],
      );
      if (allowed.length > 0) say(at, `${at} must be one of: ${allowed.map(String).join(', ')}`);
      else if (formats.length > 0) say(at, `${at} must be ${formats.join(', or ')}`);
      else say(`${at}#${e.keyword}`, `${at} ${e.message ?? 'is not valid'}`);
    } else {
      say(`${at}#${e.keyword}`, `${at} ${e.message ?? 'is not valid'}`);
    }
  }
  return sentences.join('; ');
}
