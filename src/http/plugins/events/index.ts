import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { EventHub } from '../../../events/event-hub.js';
import type { ApiAuth } from '../../auth.js';

export interface EventsPluginOptions {
  hub: EventHub;
  auth: ApiAuth;
  /** Current state of everything, sent when a client cannot resume from its last sequence number. */
  snapshot: () => Record<string, unknown>;
}

/**
 * GET /api/events (WebSocket): the live stream. `?stream=<id>&since=<seq>` resumes after the last event a
 * client saw; otherwise (or when it is too far behind) the first message is a snapshot carrying the
 * current seq, and events follow from there, so a page and the REST API never disagree.
 */
export const eventsPlugin: FastifyPluginAsyncTypebox<EventsPluginOptions> = async (app, opts) => {
  await app.register(websocket);
  app.get(
    '/api/events',
    {
      websocket: true,
      schema: {
        tags: ['events'],
        summary:
          'Live event stream over WebSocket (agent, queue and interaction events with sequence numbers)',
        querystring: Type.Object({
          token: Type.Optional(Type.String()),
          stream: Type.Optional(Type.String()),
          since: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
    },
    (socket, request) => {
      if (!opts.auth.principal(request)) {
        socket.send(
          JSON.stringify({ type: 'error', code: 'UNAUTHENTICATED', message: 'pass ?token=<token>' }),
        );
        socket.close(4401, 'unauthenticated');
        return;
      }
      const { stream, since } = request.query as { stream?: string; since?: number };
      const missed = stream !== undefined && since !== undefined ? opts.hub.since(stream, since) : undefined;
      if (missed) {
        for (const event of missed) socket.send(JSON.stringify(event));
      } else {
        socket.send(
          JSON.stringify({
            type: 'snapshot',
            stream: opts.hub.stream,
            seq: opts.hub.lastSeq,
            ...opts.snapshot(),
          }),
        );
      }
      const unsubscribe = opts.hub.subscribe((event) => socket.send(JSON.stringify(event)));
      socket.on('close', unsubscribe);
    },
  );
};
