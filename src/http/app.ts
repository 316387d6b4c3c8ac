import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { InteractionLog } from '../store/interaction-log.js';
import { installErrorHandler } from './errors.js';
import { type HealthSources, healthPlugin } from './plugins/health/index.js';
import { interactionsPlugin } from './plugins/interactions/index.js';
import { webPlugin } from './plugins/web/index.js';

export interface HttpDeps {
  logger: Logger;
  log: InteractionLog;
  health: HealthSources;
  /** Where the softphone page finds Asterisk's SIP WebSocket. */
  softphone?: { sipWsUrl: string; sipDomain: string };
}

/** The Fastify application: one encapsulated plugin per capability; OpenAPI from the same schemas. */
export async function buildHttpApp(deps: HttpDeps) {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request lines would drown the call logs; failures are still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Contact center API',
        version: '0.1.0',
        description: 'Interactions, health, and (soon) queues and agents',
      },
    },
  });
  await app.register(healthPlugin, { sources: deps.health });
  await app.register(interactionsPlugin, { log: deps.log });
  await app.register(webPlugin, { softphone: deps.softphone });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

export type HttpApp = Awaited<ReturnType<typeof buildHttpApp>>;
