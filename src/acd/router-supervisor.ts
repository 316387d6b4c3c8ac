/**
 * A supervisor's hand on the line: a waiting caller sent to another queue (an overloaded queue relieved, a
 * caller who chose the wrong option), or put first. Pure: the router's state in, decisions out.
 */
import type { WaitingEntry } from './entries.js';
import type { RouterCore } from './router-core.js';
import type { RouterInput } from './router-types.js';
import { sendToTarget } from './router-targets.js';

type InputOf<T extends RouterInput['type']> = Extract<RouterInput, { type: T }>;

/** The caller waiting (not being rung) in line, or a refusal saying why not. */
function waitingCaller(
  core: RouterCore,
  input: InputOf<'moveCaller' | 'serveFirst'>,
): WaitingEntry | undefined {
  const entry = core.callerEntry(input);
  if (!entry) return undefined;
  if (entry.status.type !== 'waiting') {
    core.refuse(
      input.type,
      'CALLER_RINGING',
      `Interaction "${input.interactionId}" is ringing an agent now: if the agent does not answer, it is back in line.`,
    );
    return undefined;
  }
  return entry;
}

export function moveCaller(core: RouterCore, input: InputOf<'moveCaller'>): void {
  const entry = waitingCaller(core, input);
  if (!entry) return;
  const to = core.queues.get(input.toQueueId);
  if (!to) {
    core.refuse(input.type, 'UNKNOWN_QUEUE', `Queue "${input.toQueueId}" does not exist.`);
    return;
  }
  if (to.id === entry.queueId) {
    core.refuse(input.type, 'SAME_QUEUE', `The caller waits in queue "${to.id}" already.`);
    return;
  }
  // Refused rather than carried out as on arrival (the queue's fallback, its queue-full target, a hang-up):
  // a supervisor moving a caller means them to wait there.
  if (core.staffedMembers(to.id).length === 0) {
    core.refuse(input.type, 'QUEUE_UNSTAFFED', `Nobody is logged in to queue "${to.id}" to take the caller.`);
    return;
  }
  const waitingThere = core.state.entries.filter((e) => e.queueId === to.id && e.kind === 'caller').length;
  if (to.maxLength !== undefined && waitingThere >= to.maxLength) {
    core.refuse(input.type, 'QUEUE_FULL', `Queue "${to.id}" is full (${to.maxLength} callers wait).`);
    return;
  }
  const target = { type: 'queue', queueId: to.id } as const;
  core.removeEntry(entry.interactionId);
  core.emit({
    type: 'overflow',
    interactionId: entry.interactionId,
    fromQueueId: entry.queueId,
    target,
    reason: 'moved',
    ...(input.supervisor ? { supervisor: input.supervisor } : {}),
  });
  // Not first there: a supervisor's "first" was for the queue it left.
  const { putFirst: _first, ...moved } = entry;
  sendToTarget(core, moved, target, 1);
}

export function serveFirst(core: RouterCore, input: InputOf<'serveFirst'>): void {
  const entry = waitingCaller(core, input);
  if (!entry) return;
  if (core.position(entry) === 1) {
    core.refuse(input.type, 'ALREADY_FIRST', 'The caller is first in line already.');
    return;
  }
  // Ahead of every caller, even those put back at the front after a missed ring: the supervisor's call.
  entry.putFirst = { at: core.now, ...(input.supervisor ? { by: input.supervisor } : {}) };
  core.emit({
    type: 'servedFirst',
    interactionId: entry.interactionId,
    queueId: entry.queueId,
    ...(input.supervisor ? { supervisor: input.supervisor } : {}),
  });
}
