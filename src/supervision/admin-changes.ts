/**
 * What supervisors change in how the contact center runs (queues, who is in them, IVR flows reloaded,
 * sessions ended), each on record with who did it: "who changed the Sales queue's ring timeout?". One
 * schema for the log, the API and its docs. Seat changes an agent did not make are in the agent-state log
 * (`changed_by`), monitors on the call's timeline.
 */
import { type Static, Type } from '@sinclair/typebox';

export const AdminActionSchema = Type.Union(
  [
    Type.Literal('queue.saved', { description: 'A queue created or replaced; subject: the queue id' }),
    Type.Literal('queue.deleted', { description: 'subject: the queue id' }),
    Type.Literal('queue.member.saved', {
      description: 'An agent added to a queue, or their penalty or order there changed; subject: queue/agent',
    }),
    Type.Literal('queue.member.removed', { description: 'subject: queue/agent' }),
    Type.Literal('queue.bounded', {
      description:
        "A stored queue's numbers brought within a new version's bounds when the service was upgraded (a migration, by nobody in particular); subject: the queue id; before and after: its definition",
    }),
    Type.Literal('agent.memberships.bounded', {
      description:
        "An agent's stored places in queues brought within a new version's bounds when the service was upgraded; subject: the agent id; before and after: their memberships",
    }),
    Type.Literal('agent.memberships.reset', {
      description: "An agent's queues put back to the config file's; subject: the agent id",
    }),
    Type.Literal('agent.skills.saved', {
      description: "An agent's skills set (their whole map); subject: the agent id",
    }),
    Type.Literal('agent.skills.reset', {
      description: "An agent's skills put back to the config file's; subject: the agent id",
    }),
    Type.Literal('flows.reloaded', {
      description: 'Every IVR flow file checked and reloaded; subject: "flows"',
    }),
    Type.Literal('supervisor.sessions.ended', {
      description: 'Every supervisor session ended at once; subject: "supervisors"',
    }),
    Type.Literal('supervisor.signed-out', {
      description: "A supervisor signed out by another (a lost laptop); subject: the supervisor's id",
    }),
    Type.Literal('switch.set', { description: "A switch turned on or off; subject: the switch's id" }),
    Type.Literal('number.blocked', {
      description: "A caller's number blocked (its calls turned away); subject: the number",
    }),
    Type.Literal('number.unblocked', { description: 'A block lifted; subject: the number' }),
    Type.Literal('number.do-not-call.file', {
      description:
        'A file of numbers put on the do-not-call list; subject: how many; after: added, alreadyListed',
    }),
    Type.Literal('number.do-not-call', {
      description: 'A number put on the do-not-call list by a supervisor; subject: the number',
    }),
    Type.Literal('number.do-not-call.removed', {
      description:
        'A number taken off the do-not-call list (the customer asked to be called again); subject: the number',
    }),
    Type.Literal('customer.exported', {
      description:
        "A copy of a customer's data taken at their request; subject: their number masked; after: the reason and how many calls",
    }),
    Type.Literal('customer.erased', {
      description:
        "A customer's personal data erased at their request; subject: their number masked (the change log keeps no more of it); after: the reason and what was erased",
    }),
    Type.Literal('evaluation.withdrawn', {
      description: "A quality evaluation withdrawn (scored in error); subject: the evaluation's id",
    }),
    Type.Literal('sign-in.unlocked', {
      description: 'A sign-in lock lifted before it ran out; subject: the lock (account@address)',
    }),
    Type.Literal('campaign.created', {
      description: 'An outbound campaign started with its contacts; subject: the campaign id',
    }),
    Type.Literal('campaign.contacts.added', { description: 'Contacts added to a campaign; subject: its id' }),
    Type.Literal('campaign.script.changed', {
      description: "A campaign's script for its agents set, changed or removed; subject: its id",
    }),
    Type.Literal('campaign.answering-machine.changed', {
      description:
        'What a campaign does when an answering machine answers (connect, hang up, leave its message) changed; subject: its id',
    }),
    Type.Literal('campaign.paused', { description: 'A campaign paused; subject: its id' }),
    Type.Literal('campaign.resumed', { description: 'A paused campaign running again; subject: its id' }),
    Type.Literal('campaign.stopped', {
      description: 'A campaign stopped for good, its contacts not called cancelled; subject: its id',
    }),
    Type.Literal('shift.added', {
      description: "Shifts put on the agents' roster; subject: how many; after: each shift",
    }),
    Type.Literal('shift.changed', {
      description:
        "A shift's times, note or breaks changed; subject: the shift's id; before and after: the shift",
    }),
    Type.Literal('shift.removed', {
      description: "A shift taken off the roster; subject: the shift's id; before: the shift",
    }),
    Type.Literal('webhook.redelivered', {
      description: 'A webhook delivery put back in line to be sent again; subject: webhook/delivery id',
    }),
    Type.Literal('wall-display.made', {
      description: "A wall display's link made; subject: the display's id; after: its name",
    }),
    Type.Literal('wall-display.queues', {
      description:
        'The queues a wall display shows changed; subject: its id; before and after: its name and queues (none: every queue)',
    }),
    Type.Literal('wall-display.withdrawn', {
      description:
        'A wall display withdrawn (its link opens nothing any more); subject: its id; before: its name',
    }),
  ],
  { description: 'What was changed' },
);
export type AdminAction = Static<typeof AdminActionSchema>;

/** One change as it is kept. `supervisorId` absent: made on the supervisor token (nobody in particular). */
export interface AdminChange {
  seq: number;
  at: number;
  supervisorId?: string;
  action: AdminAction;
  subject: string;
  /** What it was before (a queue's definition, a membership), when there was something. */
  before?: unknown;
  /** What it is after, when there is something. */
  after?: unknown;
}

export type NewAdminChange = Omit<AdminChange, 'seq'>;
