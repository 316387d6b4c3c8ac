/**
 * Wall displays: a screen on the floor shows the queues' figures and who is free, opened with a link of
 * its own (made and withdrawn by supervisors) instead of a supervisor's sign-in. What it shows is trimmed
 * for a screen anyone can read: figures, agents' names and states, no caller's number or name, no calls.
 * The board is pushed over a WebSocket when something changes, and a withdrawn display's screens are told
 * at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AgentDefinition, ReasonCode } from '../../../agents/schema.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { QueueAdmin } from '../../../calls/acd/queue-admin.js';
import type { EventHub } from '../../../events/event-hub.js';
import type { WallDisplayLog } from '../../../store/wall-display-log.js';
import type { WallDisplay, WallDisplays } from '../../../supervision/wall-displays.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, BEARER_PROTOCOL_PREFIX, STREAM_PROTOCOL, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { refuseStream } from '../../stream-sockets.js';
import type { QueueStats } from '../queues/figures.js';
import {
  MakeWallDisplayBody,
  ShowQueuesBody,
  type WallBoard,
  WallBoardBody,
  type WallDisplayDto,
  WallDisplayList,
  WallDisplayParams,
  WallDisplayWithdrawnBody,
  WallDisplayBody,
} from './schemas.js';

export interface WallPluginOptions {
  auth: ApiAuth;
  hub: EventHub;
  acd: AcdRuntime;
  admin: Pick<QueueAdmin, 'list'>;
  /** Who is in a queue (members, signed in or not): a team's screen shows its queues' agents. */
  memberIds: (queueId: string) => readonly string[];
  agents: () => readonly Pick<AgentDefinition, 'id' | 'name'>[];
  /** The site's not-ready reasons, for their words on the wall. */
  reasonCodes: readonly Pick<ReasonCode, 'code' | 'label'>[];
  /** A queue's figures now (the same as GET /api/queues/:id/stats). */
  figures: (queueId: string) => Promise<QueueStats>;
  displays: WallDisplays;
  /** Where displays are kept (restored at start); absent: in memory only. */
  displayLog?: Pick<WallDisplayLog, 'made' | 'queuesShown' | 'withdrawn'>;
  recordChange: RecordChange;
  /**
   * How long the board waits after a change for the ones that come with it (a call answered moves a seat,
   * a queue's line and its figures at once) before it is sent: one board for the burst, not twenty, and at
   * most one a second however busy the floor (each reads the day's figures of every queue). Default 1 s.
   */
  coalesceMs?: number;
}

/** The board as taken, before each display's part of it: the queues with their members. */
type TakenBoard = Omit<WallBoard, 'display' | 'queues'> & {
  queues: (WallBoard['queues'][number] & { memberIds: readonly string[] })[];
};

type Socket = { send(data: string): void; close(code: number, why: string): void };

/** What a withdrawn display's screens and key are told. */
const WITHDRAWN =
  'this wall display was withdrawn by a supervisor: ask one for a new link (wallboard, Wall displays)';

export const wallPlugin: FastifyPluginAsyncTypebox<WallPluginOptions> = async (app, opts) => {
  const { auth, displays } = opts;
  const screens = new Map<string, Set<Socket>>();
  const watching = (id: string) => screens.get(id)?.size ?? 0;
  const reasonLabels = new Map(opts.reasonCodes.map((r) => [r.code, r.label]));
  const dto = (display: WallDisplay): WallDisplayDto => ({
    id: display.id,
    name: display.name,
    link: `/wall/#key=${encodeURIComponent(auth.displayKey(display.id))}`,
    createdAt: new Date(display.createdAt).toISOString(),
    ...(display.createdBy ? { createdBy: display.createdBy } : {}),
    ...(display.queueIds ? { queueIds: display.queueIds } : {}),
    watching: watching(display.id),
  });

  /**
   * Every queue's figures (with its members, to pick a team's agents by) and every signed-in agent, as of
   * now: each screen is sent its display's part of it (boardFor).
   */
  const board = async (): Promise<TakenBoard> => {
    const now = opts.acd.now();
    const queues = await Promise.all(
      opts.admin.list().map(async (queue) => {
        const f = await opts.figures(queue.id);
        return {
          id: queue.id,
          name: queue.name,
          waiting: f.waiting,
          callbacksWaiting: f.callbacksWaiting,
          longestWaitSeconds: f.longestWaitSeconds,
          offered: f.offered,
          answered: f.answered,
          abandoned: f.abandoned,
          serviceLevelPercent: f.serviceLevelPercent,
          serviceLevelSeconds: f.serviceLevelSeconds,
          serviceLevelTargetPercent: f.serviceLevelTargetPercent,
          asaSeconds: f.asaSeconds,
          ahtSeconds: f.ahtSeconds,
          abandonRatePercent: f.abandonRatePercent,
          agents: { loggedIn: f.agents.loggedIn, byState: f.agents.byState },
          alerts: f.alerts.map(({ kind, since, message }) => ({ kind, since, message })),
          memberIds: opts.memberIds(queue.id),
        };
      }),
    );
    const agents = opts
      .agents()
      .flatMap((agent) => {
        const seat = opts.acd.router.seat(agent.id);
        const state = seat?.state;
        if (!seat || !state || state.type === 'logged_out') return [];
        return [
          {
            id: agent.id,
            name: agent.name,
            state: state.type,
            ...(state.type === 'not_ready'
              ? { reason: state.reason, reasonLabel: reasonLabels.get(state.reason) ?? state.reason }
              : {}),
            since: new Date(seat.stateSince).toISOString(),
          },
        ];
      })
      .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
    return { type: 'board', at: new Date(now).toISOString(), queues, agents };
  };
  const boardFor = (display: WallDisplay, taken: TakenBoard): WallBoard => {
    const shown = display.queueIds;
    const queues = shown ? taken.queues.filter((q) => shown.includes(q.id)) : taken.queues;
    const members = new Set(queues.flatMap((q) => q.memberIds));
    return {
      type: 'board',
      display: { id: display.id, name: display.name },
      at: taken.at,
      queues: queues.map(({ memberIds: _members, ...queue }) => queue),
      agents: shown ? taken.agents.filter((a) => members.has(a.id)) : taken.agents,
    };
  };
  /** Sends the display's screens its part of the board taken. */
  const sendTo = (display: WallDisplay, taken: TakenBoard) => {
    const sockets = screens.get(display.id);
    if (!sockets?.size) return;
    const message = JSON.stringify(boardFor(display, taken));
    for (const socket of sockets) socket.send(message);
  };

  // Sent when something changed, to every screen at once; the same board twice is not sent again.
  let pending: NodeJS.Timeout | undefined;
  let lastSent = '';
  const push = async () => {
    pending = undefined;
    if (screens.size === 0) return;
    let taken: TakenBoard;
    try {
      taken = await board();
    } catch (error) {
      app.log.error({ err: error }, 'wall board not taken: the screens keep the last one');
      return;
    }
    const text = JSON.stringify({ ...taken, at: '' });
    if (text === lastSent) return;
    lastSent = text;
    for (const id of screens.keys()) {
      const display = displays.get(id);
      if (display) sendTo(display, taken);
    }
  };
  const stopListening = opts.hub.subscribe(() => {
    if (screens.size === 0 || pending) return;
    pending = setTimeout(() => void push(), opts.coalesceMs ?? 1000);
  });
  app.addHook('preClose', (done) => {
    stopListening();
    clearTimeout(pending);
    done();
  });

  /** The display a request's key opens, standing; refused in words otherwise. */
  const displayAsking = (request: Parameters<ApiAuth['displayAsking']>[0]): WallDisplay => {
    const id = auth.displayAsking(request);
    const display = displays.get(id);
    if (!display) {
      throw new ApiError(401, 'DISPLAY_WITHDRAWN', WITHDRAWN);
    }
    return display;
  };

  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

  app.get(
    '/api/wall-displays',
    {
      schema: {
        tags: ['wall'],
        summary:
          'The wall displays standing, each with its link and how many screens show it now (supervisors)',
        response: { 200: WallDisplayList, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      return { items: displays.list().map(dto) };
    },
  );

  app.post(
    '/api/wall-displays',
    {
      schema: {
        tags: ['wall'],
        summary:
          "Make a wall display: a link that opens the queues' board on a screen, without anyone's sign-in, until withdrawn (supervisors)",
        body: MakeWallDisplayBody,
        response: { 201: WallDisplayBody, ...errors, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const by = supervisorOf(principal);
      const outcome = displays.make(
        request.body,
        opts.acd.now(),
        opts.admin.list().map((q) => q.id),
        by,
      );
      if ('refused' in outcome) {
        const { code, message } = outcome.refused;
        // What was asked cannot be (400); or it can, but not now, as things stand (409).
        const taken = code === 'DISPLAY_NAME_TAKEN' || code === 'TOO_MANY_DISPLAYS';
        throw new ApiError(taken ? 409 : 400, code, message);
      }
      const { display } = outcome;
      try {
        await opts.displayLog?.made(display);
      } catch (error) {
        // Not kept, it would be gone after a restart with its screens dark: better not made at all.
        displays.withdraw(display.id);
        request.log.error({ err: error, displayId: display.id }, 'wall display not kept on record');
        throw new ApiError(503, 'DISPLAY_NOT_STORED', 'the wall display could not be stored: try again');
      }
      await opts.recordChange(principal, {
        action: 'wall-display.made',
        subject: display.id,
        after: { name: display.name, ...(display.queueIds ? { queueIds: display.queueIds } : {}) },
      });
      request.log.info({ displayId: display.id, supervisorId: by?.id ?? null }, 'wall display made');
      reply.code(201);
      return dto(display);
    },
  );

  app.put(
    '/api/wall-displays/:id/queues',
    {
      schema: {
        tags: ['wall'],
        summary:
          'Change the queues a wall display shows (null: every queue); its screens show them at once, with the same link (supervisors)',
        params: WallDisplayParams,
        body: ShowQueuesBody,
        response: { 200: WallDisplayBody, ...errors, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const before = displays.get(request.params.id);
      const outcome = displays.showQueues(
        request.params.id,
        request.body.queueIds,
        opts.admin.list().map((q) => q.id),
      );
      if ('refused' in outcome) {
        const { code, message } = outcome.refused;
        throw new ApiError(code === 'DISPLAY_NOT_FOUND' ? 404 : 400, code, message);
      }
      const { display } = outcome;
      try {
        await opts.displayLog?.queuesShown(display.id, display.queueIds ?? null);
      } catch (error) {
        // Put back: a change the record does not hold would be undone by the next restart.
        if (before) displays.putBack(before);
        request.log.error({ err: error, displayId: display.id }, "wall display's queues not kept");
        throw new ApiError(503, 'DISPLAY_NOT_STORED', "the display's queues could not be stored: try again");
      }
      const named = (d?: WallDisplay) => ({
        name: d?.name,
        ...(d?.queueIds ? { queueIds: d.queueIds } : {}),
      });
      await opts.recordChange(principal, {
        action: 'wall-display.queues',
        subject: display.id,
        before: named(before),
        after: named(display),
      });
      await board()
        .then((taken) => sendTo(display, taken))
        .catch((error: unknown) =>
          request.log.error(
            { err: error, displayId: display.id },
            'wall board not sent after its queues changed',
          ),
        );
      return dto(display);
    },
  );

  app.delete(
    '/api/wall-displays/:id',
    {
      schema: {
        tags: ['wall'],
        summary:
          'Withdraw a wall display: its link opens nothing from now on, and the screens showing it are told at once (supervisors)',
        params: WallDisplayParams,
        response: { 200: WallDisplayWithdrawnBody, ...errors, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const by = supervisorOf(principal);
      const standing = displays.get(request.params.id);
      // Kept first: a withdrawal the record does not hold would come back to life at the next restart.
      if (standing) {
        try {
          await opts.displayLog?.withdrawn(standing.id, opts.acd.now(), by);
        } catch (error) {
          request.log.error({ err: error, displayId: standing.id }, 'wall display withdrawal not kept');
          throw new ApiError(
            503,
            'DISPLAY_NOT_STORED',
            'the withdrawal could not be stored: the display still stands; try again',
          );
        }
      }
      const outcome = displays.withdraw(request.params.id);
      if ('refused' in outcome) throw new ApiError(404, outcome.refused.code, outcome.refused.message);
      for (const socket of screens.get(outcome.display.id) ?? []) {
        refuseStream(socket, 'DISPLAY_WITHDRAWN', WITHDRAWN);
      }
      screens.delete(outcome.display.id);
      await opts.recordChange(principal, {
        action: 'wall-display.withdrawn',
        subject: outcome.display.id,
        before: { name: outcome.display.name },
      });
      request.log.info(
        { displayId: outcome.display.id, supervisorId: by?.id ?? null },
        'wall display withdrawn',
      );
      return { display: dto(outcome.display), ...(by ? { by } : {}) };
    },
  );

  app.get(
    '/api/wall/board',
    {
      schema: {
        tags: ['wall'],
        summary:
          "The wall display's board now: every queue's figures since midnight and every signed-in agent's state, no callers (a display's key)",
        response: { 200: WallBoardBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => boardFor(displayAsking(request), await board()),
  );

  app.get(
    '/api/wall/stream',
    {
      websocket: true,
      schema: {
        tags: ['wall'],
        summary:
          'The wall display\'s board, live (WebSocket): the board at once, then again whenever it changes; `{ "type": "error" }` and close 4401 when the display is withdrawn',
        description: `Sign with the display's key: Authorization: Bearer <key>, or from a browser the subprotocols "${STREAM_PROTOCOL}" and "${BEARER_PROTOCOL_PREFIX}<key as base64url>".`,
      },
    },
    (socket, request) => {
      let display: WallDisplay;
      try {
        display = displayAsking(request);
      } catch (error) {
        const { code, message } = error as ApiError;
        refuseStream(socket, code, message);
        return;
      }
      const sockets = screens.get(display.id) ?? new Set<Socket>();
      screens.set(display.id, sockets);
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        if (sockets.size === 0 && screens.get(display.id) === sockets) screens.delete(display.id);
      });
      // Messages from a screen mean nothing here; they are read and dropped.
      socket.on('message', () => undefined);
      board().then(
        (taken) => {
          if (sockets.has(socket)) socket.send(JSON.stringify(boardFor(display, taken)));
        },
        (error: unknown) => {
          request.log.error({ err: error, displayId: display.id }, 'wall board not taken');
          refuseStream(
            socket,
            'BOARD_UNAVAILABLE',
            'the board could not be taken just now: reconnect shortly',
          );
        },
      );
    },
  );
};
