import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type EventHub, type StreamEvent, StreamEventSchema } from '../../../events/event-hub.js';
import {
  StreamEventTypes,
  type StreamSnapshot,
  StreamSnapshotSchema,
} from '../../../events/stream-events.js';
import {
  type ApiAuth,
  BEARER_PROTOCOL_PREFIX,
  type Principal,
  STREAM_PROTOCOL,
  SUPERVISOR_SESSIONS,
  supervisorSessions,
} from '../../auth.js';
import { refuseStream } from '../../stream-sockets.js';

export interface EventsPluginOptions {
  hub: EventHub;
  auth: ApiAuth;
  /**
   * Where things stand (StreamSnapshotSchema, less the envelope), sent when a client cannot resume from its
   * last sequence number.
   */
  snapshot: () => Omit<StreamSnapshot, 'type' | 'stream' | 'seq'>;
}

/** A client this far behind in reading (bytes queued) is dropped; it resumes from its last seq on reconnect. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * GET /api/events (WebSocket): the live stream. `?stream=<id>&since=<seq>` resumes after the last event a
 * client saw; otherwise (or when it is too far behind) the first message is a snapshot carrying the
 * current seq, and events follow from there, so a page and the REST API never disagree.
 */
export const eventsPlugin: FastifyPluginAsyncTypebox<EventsPluginOptions> = async (app, opts) => {
  // Whose each stream is: a signed-out agent's streams end with their tokens (another page of theirs, a
  // stolen token), and supervisors' opened with a session token (one that expires) end when all supervisor
  // sessions are ended.
  const holders = new WeakMap<object, { principal: Principal; session: boolean }>();
  const stopListening = opts.auth.onSignOut((agentId) => {
    for (const client of app.websocketServer.clients) {
      const holder = holders.get(client);
      const principal = holder?.principal;
      if (principal?.role === 'agent' && principal.agentId === agentId) {
        refuseStream(client, 'SIGNED_OUT', `${agentId} signed out: sign in again`);
      } else if (principal?.role === 'supervisor' && holder?.session) {
        if (agentId === SUPERVISOR_SESSIONS) {
          refuseStream(client, 'SIGNED_OUT', 'every supervisor session was ended: sign in again');
        } else if (principal.supervisor && agentId === supervisorSessions(principal.supervisor.id)) {
          refuseStream(client, 'SIGNED_OUT', `${principal.supervisor.name} signed out: sign in again`);
        }
      }
    }
  });
  app.addHook('preClose', (done) => {
    stopListening();
    done();
  });
  app.get(
    '/api/events/schema',
    {
      schema: {
        tags: ['events'],
        summary:
          "The live stream's event types: the envelope every event has, and per type its topic and data schema",
      },
    },
    async () => ({
      envelope: StreamEventSchema,
      snapshot: StreamSnapshotSchema,
      events: Object.fromEntries(
        Object.entries(StreamEventTypes).map(([type, { topic, data }]) => [type, { topic, data }]),
      ),
    }),
  );
  app.get(
    '/api/events',
    {
      websocket: true,
      schema: {
        tags: ['events'],
        summary:
          'Live event stream over WebSocket (agent, queue and interaction events with sequence numbers)',
        description: `Sign with Authorization: Bearer <token>, or from a browser with the subprotocols "${STREAM_PROTOCOL}" and "${BEARER_PROTOCOL_PREFIX}<token as base64url>".`,
        querystring: Type.Object({
          stream: Type.Optional(Type.String()),
          since: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
    },
    (socket, request) => {
      const checked = opts.auth.authenticate(request);
      if (checked.principal === undefined) {
        const { code, message } = checked.refusal;
        refuseStream(socket, code, message);
        return;
      }
      const { principal, expiresAt } = checked;
      // A stream outlives no token: at its end the page is told, signs in again and resumes from its seq.
      const expiry =
        expiresAt === undefined
          ? undefined
          : setTimeout(
              () => refuseStream(socket, 'TOKEN_EXPIRED', 'the token ran out: sign in again'),
              Math.max(0, expiresAt - Date.now()),
            );
      holders.set(socket, { principal, session: expiresAt !== undefined });
      const { stream, since } = request.query as { stream?: string; since?: number };
      const missed = stream !== undefined && since !== undefined ? opts.hub.since(stream, since) : undefined;
      if (missed) {
        for (const event of missed) {
          if (mayReceive(principal, event)) socket.send(JSON.stringify(asSeenBy(principal, event)));
        }
      } else {
        const snapshot: StreamSnapshot = snapshotSeenBy(principal, {
          type: 'snapshot',
          stream: opts.hub.stream,
          seq: opts.hub.lastSeq,
          ...opts.snapshot(),
        });
        socket.send(JSON.stringify(snapshot));
      }
      const unsubscribe = opts.hub.subscribe((event) => {
        if (!mayReceive(principal, event)) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          // It stopped reading: dropped rather than held in memory; it resumes from its last seq.
          socket.terminate();
          return;
        }
        socket.send(JSON.stringify(asSeenBy(principal, event)));
      });
      socket.on('close', () => {
        unsubscribe();
        clearTimeout(expiry);
      });
    },
  );
};

/**
 * Supervisors' monitoring (`monitor.*`), blocked numbers (`number.*`), sign-in locks (`signin.*`) and outbound
 * campaigns (`campaign.*`, whom they call) are theirs: an agent is not told
 * who listens to whom. A request for
 * help, a break overstayed, a quality evaluation or a shift is between the agent and the supervisors: colleagues
 * are not told.
 */
export function mayReceive(principal: Principal, event: StreamEvent): boolean {
  if (principal.role === 'supervisor') return true;
  if (
    event.type === 'agent.help' ||
    event.type === 'agent.overstay' ||
    event.type === 'message.read' ||
    event.type === 'message.replied' ||
    event.type.startsWith('evaluation.')
  )
    return (event.data as { agentId?: unknown }).agentId === principal.agentId;
  // An agent off their roster is theirs, and the supervisors'.
  if (event.type === 'shift.adherence')
    return (event.data as { exception?: { agentId?: unknown } }).exception?.agentId === principal.agentId;
  // A roster change is the agents' whose shifts changed, and the supervisors'.
  if (event.type === 'shift.changed')
    return ((event.data as { agentIds?: unknown[] }).agentIds ?? []).includes(principal.agentId);
  // A message to one agent is theirs; everyone's and a queue's go to every agent's page, which shows its own.
  if (event.type === 'message.sent' || event.type === 'message.withdrawn') {
    const data = event.data as {
      message?: { to: { type: string; agentId?: string } };
      to?: { type: string; agentId?: string };
    };
    const to = data.message?.to ?? data.to;
    return to?.type !== 'agent' || to.agentId === principal.agentId;
  }
  // Which callers are blocked, and who is locked out of signing in, is the supervisors' business.
  return (
    !event.type.startsWith('monitor.') &&
    !event.type.startsWith('number.') &&
    !event.type.startsWith('signin.') &&
    !event.type.startsWith('campaign.')
  );
}

/** The snapshot as a subscriber may see it: an agent's colleagues' requests for help and overstays left out. */
export function snapshotSeenBy<T extends { agents: { id: string; help?: unknown; overstay?: unknown }[] }>(
  principal: Principal,
  snapshot: T,
): T {
  if (principal.role === 'supervisor') return snapshot;
  return {
    ...snapshot,
    agents: snapshot.agents.map(({ help, overstay, ...agent }) =>
      agent.id === principal.agentId ? { ...agent, help, overstay } : agent,
    ),
  };
}

/** Callers' personal data in interaction events; an agent sees it for their own calls only. */
const PERSONAL = ['callerNumber', 'callerName', 'number'] as const;
/** Where a transfer, consultation or conference names whom it reaches: a phone number is personal too. */
const TARGETS = ['to', 'target', 'party'] as const;

/**
 * An event as a subscriber may see it: supervisors everything; an agent the numbers and names of callers
 * on calls they are part of (and of voicemails, the team's shared work), not of their colleagues' calls,
 * as the interactions API refuses those too.
 */
export function asSeenBy(principal: Principal, event: StreamEvent): StreamEvent {
  if (principal.role === 'supervisor' || event.topic !== 'interaction' || event.type.startsWith('voicemail.'))
    return event;
  const data = event.data as { agentId?: unknown; agentIds?: unknown; targetType?: unknown };
  const theirs =
    data.agentId === principal.agentId ||
    (Array.isArray(data.agentIds) && data.agentIds.includes(principal.agentId));
  const numberTarget = data.targetType === 'number';
  if (theirs || (!PERSONAL.some((k) => k in event.data) && !numberTarget)) return event;
  const redacted = { ...event.data };
  for (const key of PERSONAL) delete redacted[key];
  if (numberTarget) for (const key of TARGETS) delete redacted[key];
  return { ...event, data: redacted };
}
