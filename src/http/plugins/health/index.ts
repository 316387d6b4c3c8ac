import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { plainJson } from '../../plain-json.js';

const UpDown = Type.Union([Type.Literal('up'), Type.Literal('down')]);
export const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded')]),
  ari: UpDown,
  ami: UpDown,
  db: UpDown,
  ariRequests: Type.Union([Type.Literal('websocket'), Type.Literal('http')], {
    description: 'How ARI requests travel now: over WebSockets, or HTTP (none up, or Asterisk too old)',
  }),
  calls: Type.Union([Type.Literal('settled'), Type.Literal('taking over')], {
    description:
      "After a start, 'taking over' until the calls a previous run left are carried on or closed (agents on them shown talking again): 503 meanwhile, so a restart is ready when this says settled",
  }),
  activeCalls: Type.Integer(),
  eventLoopLagMs: Type.Number({
    description:
      "How far behind the service's event loop runs (p99, last 2-4 s); past admission.maxEventLoopLagMs new calls are refused",
  }),
  ariRoundTripMs: Type.Number({
    description:
      'How long Asterisk takes to answer an ARI request (median, last 2-4 s; 0 with fewer than 3 requests); past admission.maxAriRoundTripMs new calls are refused',
  }),
  sipEdge: Type.Optional(
    Type.Union([Type.Literal('up'), Type.Literal('down')], {
      description:
        'With config sipEdge: whether the SIP edge answers (carriers reach the contact center only through it)',
    }),
  ),
});
export type Health = Static<typeof HealthBody>;

export interface HealthSources {
  telephony(): { ari: 'up' | 'down'; ami: 'up' | 'down'; ariRequests: 'websocket' | 'http' };
  database(): Promise<boolean>;
  activeCalls(): number;
  /** Whether the calls a previous run left are carried on or closed (after a start; true from then on). */
  callsSettled(): boolean;
  eventLoopLagMs(): number;
  ariRoundTripMs(): number;
  /** Undefined without a SIP edge. */
  sipEdge(): 'up' | 'down' | undefined;
}

/**
 * GET /health: 200 when ARI, AMI, the database and (with one) the SIP edge are all up and the calls a previous
 * run left are taken over; 503 naming what is not otherwise.
 */
export const healthPlugin: FastifyPluginAsyncTypebox<{ sources: HealthSources }> = async (
  app,
  { sources },
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary:
          'Whether the service can take calls: ARI, AMI, the database and the SIP edge, each up or down, and the calls a previous run left taken over',
        response: { 200: HealthBody, 503: HealthBody },
      },
      serializerCompiler: plainJson,
    },
    async (_request, reply) => {
      const { ari, ami, ariRequests } = sources.telephony();
      const db = (await sources.database()) ? 'up' : 'down';
      const sipEdge = sources.sipEdge();
      const calls = sources.callsSettled() ? 'settled' : 'taking over';
      const allUp = ari === 'up' && ami === 'up' && db === 'up' && sipEdge !== 'down' && calls === 'settled';
      const body: Health = {
        status: allUp ? 'up' : 'degraded',
        ari,
        ami,
        db,
        ariRequests,
        calls,
        activeCalls: sources.activeCalls(),
        eventLoopLagMs: Math.round(sources.eventLoopLagMs() * 10) / 10,
        ariRoundTripMs: sources.ariRoundTripMs(),
        ...(sipEdge ? { sipEdge } : {}),
      };
      return reply.status(allUp ? 200 : 503).send(body);
    },
  );
};
