import { type Static, Type } from '@sinclair/typebox';
import { QueueAlertBody } from '../queues/alert-schemas.js';
import { QueueStatsBody } from '../queues/figures.js';
import { SupervisorRefBody } from '../supervisors/index.js';

const figures = QueueStatsBody.properties;

/** The queues a display shows: a team's screen shows its queues, and the agents in them. */
const ShownQueueIds = Type.Array(Type.String({ minLength: 1 }), {
  minItems: 1,
  maxItems: 200,
  description: 'The queues the screen shows (at most 50), and the agents in them; left out: every queue',
});

/** A wall display as supervisors see it: with its link, which holds its key. */
export const WallDisplayBody = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'Where the screen is, as the supervisor who made it said' }),
  link: Type.String({
    description:
      "The display's page with its key (`/wall/#key=…`): opened on the screen, it shows the board and nothing else. The key is in the part after `#`, which browsers do not send to servers or proxies",
  }),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Optional(SupervisorRefBody),
  queueIds: Type.Optional(
    Type.Array(Type.String(), {
      description: 'The queues it shows, and the agents in them; absent: every queue',
    }),
  ),
  watching: Type.Integer({ minimum: 0, description: 'Screens showing it now (its live streams open)' }),
});
export type WallDisplayDto = Static<typeof WallDisplayBody>;

export const WallDisplayList = Type.Object({ items: Type.Array(WallDisplayBody) });

export const MakeWallDisplayBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Where the screen is ("Billing floor TV"): 1 to 80 characters, unique among those standing',
    }),
    queueIds: Type.Optional(ShownQueueIds),
  },
  { additionalProperties: false },
);

export const ShowQueuesBody = Type.Object(
  { queueIds: Type.Union([ShownQueueIds, Type.Null()], { description: 'null: every queue' }) },
  { additionalProperties: false },
);

export const WallDisplayParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const WallDisplayWithdrawnBody = Type.Object({
  display: WallDisplayBody,
  by: Type.Optional(SupervisorRefBody),
});

/**
 * A queue on the wall: its figures since midnight and who is there, without any caller (no numbers, no
 * names: the screen is where anyone walking by can read it).
 */
export const WallQueueBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  waiting: figures.waiting,
  callbacksWaiting: figures.callbacksWaiting,
  longestWaitSeconds: figures.longestWaitSeconds,
  offered: figures.offered,
  answered: figures.answered,
  abandoned: figures.abandoned,
  serviceLevelPercent: figures.serviceLevelPercent,
  serviceLevelSeconds: figures.serviceLevelSeconds,
  serviceLevelTargetPercent: figures.serviceLevelTargetPercent,
  asaSeconds: figures.asaSeconds,
  ahtSeconds: figures.ahtSeconds,
  abandonRatePercent: figures.abandonRatePercent,
  agents: Type.Object({
    loggedIn: Type.Integer(),
    byState: Type.Record(Type.String(), Type.Integer(), { description: 'Members by seat state' }),
  }),
  alerts: Type.Array(Type.Pick(QueueAlertBody, ['kind', 'since', 'message'])),
});

/** A signed-in agent on the wall: name and state, and since when (no call, no caller). */
export const WallAgentBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.Union([
    Type.Literal('available'),
    Type.Literal('not_ready'),
    Type.Literal('offered'),
    Type.Literal('talking'),
    Type.Literal('on_hold'),
    Type.Literal('wrap_up'),
  ]),
  reason: Type.Optional(Type.String({ description: 'Why not ready: its code (break, lunch, missed, …)' })),
  reasonLabel: Type.Optional(
    Type.String({ description: "The reason's words, as the site's reason codes say them" }),
  ),
  since: Type.String({ format: 'date-time', description: 'When the state began' }),
});

/** What a wall display shows: every queue and every signed-in agent, as of `at`. */
export const WallBoardBody = Type.Object({
  type: Type.Literal('board'),
  display: Type.Object({ id: Type.String(), name: Type.String() }),
  at: Type.String({ format: 'date-time', description: 'When the figures were taken (waits grow from it)' }),
  queues: Type.Array(WallQueueBody),
  agents: Type.Array(WallAgentBody),
});
export type WallBoard = Static<typeof WallBoardBody>;
