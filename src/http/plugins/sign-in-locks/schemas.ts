import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';

const Instant = Type.String({ format: 'date-time' });

/** Who a lock keeps out: an agent, a named supervisor or the supervisor token, from one address. */
export const SignInAccountBody = Type.Union(
  [
    Type.Object({ type: Type.Literal('agent'), agentId: Type.String() }),
    Type.Object({ type: Type.Literal('supervisor'), supervisorId: Type.String() }),
    Type.Object({ type: Type.Literal('supervisor-token') }),
  ],
  { description: 'The account locked; absent: every sign-in from the address' },
);

/** A sign-in lock, as the API, the live stream and the wallboard show it. */
export const SignInLockBody = Type.Object({
  id: Type.String({
    description: '`<agent id | ~supervisor id | ~>@<address>`, or `*@<address>`: what DELETE takes',
  }),
  account: Type.Optional(SignInAccountBody),
  address: Type.String({
    description: 'Where the wrong passwords came from (the client, or its SIP address)',
  }),
  failures: Type.Integer({ minimum: 1, description: 'The wrong passwords that locked it' }),
  strike: Type.Integer({
    minimum: 1,
    description: 'Locks in a row of this account and address (each lasts twice the last, up to a day)',
  }),
  lockedAt: Instant,
  until: Instant,
  channel: Type.Union([Type.Literal('api'), Type.Literal('sip')], {
    description: "Where the last wrong password came in: the API's sign-in, or the phone server (SIP)",
  }),
  text: Type.String({ description: 'Who it keeps out, in words: "agent anna from 10.0.0.9"' }),
});
export type SignInLockDto = Static<typeof SignInLockBody>;

export const SignInLockList = Type.Object({ items: Type.Array(SignInLockBody) });

export const SignInLockParams = Type.Object({ id: Type.String({ minLength: 3, maxLength: 300 }) });

/** A lock on record: as above, and its lifting before it ran out. */
export const RecordedSignInLockBody = Type.Composite([
  SignInLockBody,
  Type.Object({
    liftedAt: Type.Optional(Instant),
    liftedBy: Type.Optional(supervisorRef('Who lifted it')),
  }),
]);

export const SignInLockHistoryQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Locks raised from (default: 7 days before `to`)' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'Locks raised before (default: now)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const SignInLockHistory = Type.Object({ items: Type.Array(RecordedSignInLockBody) });

export const SignInLiftedBody = Type.Object({
  lock: SignInLockBody,
  by: Type.Optional(supervisorRef('Who lifted it; absent on the supervisor token')),
});
