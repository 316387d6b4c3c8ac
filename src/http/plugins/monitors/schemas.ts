import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';

const Mode = Type.Union([Type.Literal('listen'), Type.Literal('whisper'), Type.Literal('barge')], {
  description:
    'listen: hears both sides, heard by nobody; whisper: heard by the agent only; barge: heard by both',
});

export const SupervisorPhoneBody = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('agent'), agentId: Type.String({ minLength: 1 }) },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal('number'), number: Type.String({ minLength: 1, maxLength: 32 }) },
      { additionalProperties: false },
    ),
  ],
  { description: "Where the supervisor hears the call: their own seat's phone (an agent id) or a number" },
);

export const MonitorParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const MonitorCallParams = Type.Object({ interactionId: Type.String({ minLength: 1 }) });

export const StartMonitorBody = Type.Object(
  { mode: Mode, phone: SupervisorPhoneBody },
  { additionalProperties: false },
);
export const ChangeMonitorBody = Type.Object({ mode: Mode }, { additionalProperties: false });

export const MonitorBody = Type.Object(
  {
    id: Type.String(),
    interactionId: Type.String(),
    agentId: Type.String({ description: 'The agent whose call is monitored' }),
    mode: Mode,
    phone: SupervisorPhoneBody,
    supervisor: Type.Optional(
      supervisorRef('Who monitors, when they signed in as themselves (absent: on the supervisor token)'),
    ),
    state: Type.Union([Type.Literal('ringing'), Type.Literal('active'), Type.Literal('ended')], {
      description: "ringing: the supervisor's phone rings; active: they hear the call; ended",
    }),
    startedAt: Type.String({ format: 'date-time' }),
    answeredAt: Type.Optional(Type.String({ format: 'date-time' })),
    endedAt: Type.Optional(Type.String({ format: 'date-time' })),
    endedReason: Type.Optional(Type.String()),
  },
  { description: "A supervisor monitoring an agent's call (also the data of the `monitor.changed` event)" },
);
export type MonitorDto = Static<typeof MonitorBody>;
