import { type Static, Type } from '@sinclair/typebox';
import { CONTACT_LIMITS, CONTACTS_PER_REQUEST } from '../../../acd/campaigns.js';
import { MACHINE_DETECTION } from '../../../acd/machine-detection.js';
import { SoundNameSchema } from '../../../acd/schema.js';
import { supervisorRef } from '../../../interactions/events.js';
import type { CampaignRecord, ContactRecord } from '../../../store/campaign-log.js';
import { OFFSET_MAX } from '../../list-bodies.js';
import { csvColumns } from '../../report-bodies.js';

const iso = (ms: number) => new Date(ms).toISOString();
const Instant = Type.String({ format: 'date-time' });
const State = Type.Union(
  [
    Type.Literal('pending'),
    Type.Literal('booked'),
    Type.Literal('reached'),
    Type.Literal('not_reached'),
    Type.Literal('skipped'),
    Type.Literal('cancelled'),
  ],
  {
    description:
      "pending: not called yet; booked: in its queue's line as a callback request; reached; not_reached: not reached in the attempts its queue allows; skipped: a number that may not be called, or in the campaign twice; cancelled",
  },
);

export const ContactInputBody = Type.Object(
  {
    number: Type.String({ minLength: 3, maxLength: CONTACT_LIMITS.number }),
    name: Type.Optional(Type.String({ maxLength: CONTACT_LIMITS.name })),
    note: Type.Optional(
      Type.String({
        maxLength: CONTACT_LIMITS.note,
        description: 'What the agent is shown about this customer',
      }),
    ),
  },
  { additionalProperties: false },
);

const Contacts = Type.Array(ContactInputBody, {
  minItems: 1,
  maxItems: CONTACTS_PER_REQUEST,
  description: `The customers to call, in this order (at most ${CONTACTS_PER_REQUEST} a request); or contactsCsv`,
});
/** The most a contact file may weigh: the most contacts a request takes, each at its longest, and then some. */
export const CONTACT_FILE_BYTES = 16 * 1024 * 1024;
const ContactsCsv = Type.String({
  minLength: 1,
  maxLength: CONTACT_FILE_BYTES,
  description:
    'Instead of contacts: the customers as a CSV file (a CRM export, a spreadsheet saved as CSV, a campaign export). Its first line names the columns: number (required; or phone, telephone, mobile), name (or customer), note (or notes, comment); comma, semicolon or tab between fields; blank lines passed over. Any other column, a line with more fields than the first, an open quote or a line with no number refuses the file, by line number',
});
const Script = Type.String({
  maxLength: 4000,
  description:
    "What the campaign's agents say on each of its calls (the opening, the offer, the questions to ask): shown on the agent's caller card from the moment the call rings. Blank: none",
});
/** What a campaign does when an answering machine answers one of its calls. */
export const AnsweringMachineBody = Type.Object(
  {
    action: Type.Union([Type.Literal('connect'), Type.Literal('hang_up'), Type.Literal('leave_message')], {
      description: `connect: no detection, every answer is put through to the agent (the default); hang_up: listen to who answered first (up to ${MACHINE_DETECTION.totalMs / 1000} s, the agent hearing hold music) and hang up on an answering machine, the attempt counting as not reached and tried again as the queue's callback policy says; leave_message: the same, but play the message to the machine once its greeting ends, and call that contact no more. A person (a short greeting, then a pause) or a call it is unsure of is always put through`,
    }),
    message: Type.Optional(
      Type.Array(SoundNameSchema, {
        minItems: 1,
        maxItems: 10,
        description:
          'leave_message: the sounds played to the machine, in order (required there, not allowed otherwise)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The customers of a request: a list, or a file (one of the two). */
const customers = { contacts: Type.Optional(Contacts), contactsCsv: Type.Optional(ContactsCsv) };

export const NewCampaignBody = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    queueId: Type.String({
      minLength: 1,
      description:
        'The queue whose agents call: its callback hours are the calling hours, its callback policy the attempts',
    }),
    ...customers,
    script: Type.Optional(Script),
    answeringMachine: Type.Optional(AnsweringMachineBody),
  },
  { additionalProperties: false },
);

export const AddContactsBody = Type.Object(customers, { additionalProperties: false });
export const CampaignScriptBody = Type.Object(
  { script: Type.Union([Script, Type.Null()]) },
  { additionalProperties: false },
);

export const CampaignParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const CampaignActionParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  action: Type.Union([Type.Literal('pause'), Type.Literal('resume'), Type.Literal('stop')]),
});

export const CampaignBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  queueId: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('paused'), Type.Literal('stopped')]),
  finished: Type.Boolean({ description: 'Every contact accounted for (or stopped): nothing left to call' }),
  createdAt: Instant,
  createdBy: Type.Optional(supervisorRef()),
  changedAt: Instant,
  finishedAt: Type.Optional(Instant),
  script: Type.Union([Type.String(), Type.Null()], {
    description: "What its agents say on each of its calls (on the agent's caller card); null: none",
  }),
  answeringMachine: AnsweringMachineBody,
  counts: Type.Object({
    pending: Type.Integer({ minimum: 0 }),
    booked: Type.Integer({ minimum: 0 }),
    reached: Type.Integer({ minimum: 0 }),
    not_reached: Type.Integer({ minimum: 0 }),
    skipped: Type.Integer({ minimum: 0 }),
    cancelled: Type.Integer({ minimum: 0 }),
  }),
});
export type CampaignDto = Static<typeof CampaignBody>;
export const CampaignList = Type.Object({ items: Type.Array(CampaignBody) });

export const ContactsQuery = Type.Object({
  state: Type.Optional(State),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, maximum: OFFSET_MAX, default: 0 }),
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
    default: 'json',
    description:
      'csv: every contact (in the state given) as a spreadsheet file, one line each, for the results of a list; limit and offset do not apply',
  }),
});

export const ContactBody = Type.Object({
  seq: Type.Integer(),
  number: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  state: State,
  reason: Type.Union([Type.String(), Type.Null()]),
  interactionId: Type.Union([Type.String(), Type.Null()], {
    description: 'Its callback request: every attempt is on its timeline',
  }),
  bookedAt: Type.Optional(Instant),
  closedAt: Type.Optional(Instant),
  conversation: Type.Union([
    Type.Object({
      interactionId: Type.String(),
      agentId: Type.Union([Type.String(), Type.Null()]),
      wrapUpCode: Type.Union([Type.String(), Type.Null()], {
        description: "The agent's wrap-up disposition",
      }),
    }),
    Type.Null(),
  ]),
});
export const ContactList = Type.Object({ items: Type.Array(ContactBody), total: Type.Integer() });

const conversationShare = {
  conversations: Type.Integer({ description: 'Conversations: a customer answered and talked with an agent' }),
  talkSeconds: Type.Integer({ description: 'Their talk time (a conversation still going counts none yet)' }),
};
export const CampaignFiguresBody = Type.Object({
  campaignId: Type.String(),
  ...conversationShare,
  byWrapUpCode: Type.Array(
    Type.Object({
      code: Type.Union([Type.String(), Type.Null()], {
        description: "The agent's wrap-up code; null: none given",
      }),
      ...conversationShare,
    }),
    { description: 'The most frequent first' },
  ),
  byAgent: Type.Array(
    Type.Object({ agentId: Type.Union([Type.String(), Type.Null()]), ...conversationShare }),
    { description: 'The agent with the most conversations first' },
  ),
  byDay: Type.Array(
    Type.Object({
      date: Type.String({ description: "The contact center's day, YYYY-MM-DD" }),
      attempts: Type.Integer({ minimum: 0, description: 'Customers dialled (each attempt)' }),
      connected: Type.Integer({ minimum: 0, description: 'Answered and put through to the agent' }),
      noAnswer: Type.Integer({ minimum: 0 }),
      busy: Type.Integer({ minimum: 0 }),
      failed: Type.Integer({
        minimum: 0,
        description:
          'Not dialled through: refused by the carrier, or the agent left before the customer answered',
      }),
      people: Type.Integer({ minimum: 0, description: 'Answers heard as a person' }),
      machines: Type.Integer({ minimum: 0, description: 'Answers heard as an answering machine' }),
      unsure: Type.Integer({ minimum: 0 }),
      messagesLeft: Type.Integer({ minimum: 0 }),
      conversations: Type.Integer({ minimum: 0, description: 'Conversations begun that day' }),
      talkSeconds: Type.Integer({ minimum: 0, description: 'Their talk time' }),
    }),
    {
      description: "Day by day on the contact center's clock, the oldest first; a day with nothing left out",
    },
  ),
  answers: Type.Object(
    {
      people: Type.Integer({ minimum: 0, description: 'Answers heard as a person (put through)' }),
      machines: Type.Integer({ minimum: 0, description: 'Answers heard as an answering machine' }),
      unsure: Type.Integer({ minimum: 0, description: 'Answers it could not tell (put through)' }),
      messagesLeft: Type.Integer({
        minimum: 0,
        description: "Machines played the campaign's message to the end",
      }),
    },
    {
      description:
        "What answering-machine detection heard on the campaign's calls, each attempt counted (all 0 when it never listened)",
    },
  ),
});

export function campaignDto(c: CampaignRecord): CampaignDto {
  return {
    id: c.id,
    name: c.name,
    queueId: c.queueId,
    status: c.status,
    finished: c.finishedAt !== null,
    createdAt: iso(c.createdAt),
    ...(c.createdBy ? { createdBy: c.createdBy } : {}),
    changedAt: iso(c.changedAt),
    ...(c.finishedAt !== null ? { finishedAt: iso(c.finishedAt) } : {}),
    script: c.script,
    answeringMachine: { ...c.answeringMachine },
    counts: { ...c.counts },
  };
}

export function contactDto(c: ContactRecord): Static<typeof ContactBody> {
  return {
    seq: c.seq,
    number: c.number,
    name: c.name,
    note: c.note,
    state: c.state,
    reason: c.reason,
    interactionId: c.interactionId,
    ...(c.bookedAt !== null ? { bookedAt: iso(c.bookedAt) } : {}),
    ...(c.closedAt !== null ? { closedAt: iso(c.closedAt) } : {}),
    conversation: c.conversation,
  };
}

/** A contact as a line of the CSV export: its conversation's fields as columns of their own. */
export function contactCsvRow(c: ContactRecord): Record<string, unknown> {
  const { conversation, ...rest } = contactDto(c);
  return {
    ...rest,
    conversationId: conversation?.interactionId ?? null,
    agentId: conversation?.agentId ?? null,
    wrapUpCode: conversation?.wrapUpCode ?? null,
  };
}
export const CONTACT_CSV_COLUMNS = csvColumns(ContactBody, {
  conversation: ['conversationId', 'agentId', 'wrapUpCode'],
});
