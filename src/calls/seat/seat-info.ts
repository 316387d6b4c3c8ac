/**
 * What the agent's page shows besides the call itself: the screen pop (contact, caller data, the caller's
 * last interactions), the wrap-up (disposition code + notes on the interaction) and personal stats for today.
 */
import type { AgentStateChange } from '../../store/agent-event-log.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import type { InteractionRow } from '../../store/schema.js';
import type { NumberPlan } from '../number-plan.js';
import { SeatRefusal } from './refusal.js';

export interface WrapUpCode {
  code: string;
  label: string;
}

export const DEFAULT_WRAP_UP_CODES: readonly WrapUpCode[] = [
  { code: 'resolved', label: 'Resolved' },
  { code: 'follow_up', label: 'Needs follow-up' },
  { code: 'sale', label: 'Sale' },
  { code: 'complaint', label: 'Complaint' },
  { code: 'wrong_number', label: 'Wrong number' },
];

export interface ScreenPop {
  interaction: InteractionRow;
  contact: { number: string; name: string; notes: string | null } | null;
  recent: InteractionRow[];
}

export async function screenPop(
  log: InteractionLog,
  interactionId: string,
  numbers: NumberPlan,
): Promise<ScreenPop> {
  // Asked for as the phone rings: the call's opening write may still be on its way to the disk.
  await log.afterQueuedWrites();
  const interaction = await log.get(interactionId);
  if (!interaction) throw new SeatRefusal(404, 'INTERACTION_NOT_FOUND', `no interaction ${interactionId}`);
  const number = interaction.caller_number;
  const [contact, recent] = number
    ? await Promise.all([
        log.contact(numbers.canonical(number)),
        log.recentOfNumber(number, 5, interactionId),
      ])
    : [undefined, []];
  return {
    interaction,
    contact: contact ? { number: contact.number, name: contact.name, notes: contact.notes } : null,
    recent,
  };
}

/** The interaction a disposition code is being put on, once the code is known to be one of ours. */
async function codedInteraction(
  log: InteractionLog,
  codes: readonly WrapUpCode[],
  input: { interactionId: string; code: string },
) {
  if (!codes.some((c) => c.code === input.code)) {
    throw new SeatRefusal(
      400,
      'WRAP_UP_CODE_UNKNOWN',
      `"${input.code}" is not a wrap-up code; see GET /api/wrap-up-codes`,
    );
  }
  const row = await log.get(input.interactionId);
  if (!row) throw new SeatRefusal(404, 'INTERACTION_NOT_FOUND', `no interaction ${input.interactionId}`);
  return row;
}

/** Saves the agent's wrap-up on the interaction (event + columns in one transaction). */
export async function saveWrapUp(
  log: InteractionLog,
  codes: readonly WrapUpCode[],
  input: { interactionId: string; agentId: string; code: string; notes?: string },
  at: number,
): Promise<void> {
  await codedInteraction(log, codes, input); // refuses an unknown code or interaction
  const notes = input.notes?.trim() || undefined;
  await log.record(
    input.interactionId,
    at,
    { type: 'wrapup.saved', payload: { agentId: input.agentId, code: input.code, notes } },
    { wrap_up_code: input.code, notes: notes ?? null },
  );
}

/**
 * Works a voicemail: the message interaction is closed with a disposition code and notes, by an agent or a
 * supervisor. Only voicemails close by hand (calls close when they end); the first to close it wins.
 */
export async function closeVoicemail(
  log: InteractionLog,
  codes: readonly WrapUpCode[],
  input: { interactionId: string; agentId?: string; code: string; notes?: string },
  at: number,
): Promise<void> {
  const row = await codedInteraction(log, codes, input);
  if (row.direction !== 'voicemail') {
    throw new SeatRefusal(
      409,
      'NOT_A_VOICEMAIL',
      `interaction ${row.id} is ${row.direction === 'inbound' ? 'an' : 'a'} ${row.direction} call: calls close when they end, only voicemails are closed by hand`,
    );
  }
  const notes = input.notes?.trim() || undefined;
  const closed = await log.closeIfOpen(
    row.id,
    at,
    { type: 'voicemail.worked', payload: { agentId: input.agentId, code: input.code, notes } },
    { wrap_up_code: input.code, notes: notes ?? null, ...(input.agentId ? { agent_id: input.agentId } : {}) },
  );
  if (!closed) {
    const now = await log.get(row.id);
    const by = now?.agent_id ? ` by ${now.agent_id}` : '';
    throw new SeatRefusal(409, 'ALREADY_CLOSED', `voicemail ${row.id} was already worked${by}`);
  }
}

export interface TodayStats {
  since: string;
  handled: number;
  averageHandleSeconds: number | null;
  averageTalkSeconds: number | null;
  holdSeconds: number;
  /** Seconds in each seat state since `since` (the current state counted up to now). */
  secondsInState: Record<string, number>;
}

/** Personal figures since local midnight: calls handled, AHT (talk + wrap-up), time in each state. */
export function todayStats(
  /** The calls the agent handled (their own part of each: see InteractionLog.handledCalls). */
  handled: readonly { talkSeconds: number; holdSeconds: number }[],
  changes: AgentStateChange[],
  current: { state: string; since: number },
  since: number,
  now: number,
): TodayStats {
  const seconds: Record<string, number> = {};
  let state: string | undefined = changes[0]?.from;
  let from = since;
  for (const change of changes) {
    if (state) seconds[state] = (seconds[state] ?? 0) + (change.at - from) / 1000;
    state = change.to;
    from = change.at;
  }
  state = current.state;
  from = Math.max(from, since, Math.min(current.since, now));
  seconds[state] = (seconds[state] ?? 0) + Math.max(0, now - from) / 1000;
  const talk = handled.reduce((sum, r) => sum + r.talkSeconds, 0);
  const wrap = seconds.wrap_up ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  for (const key of Object.keys(seconds)) seconds[key] = round(seconds[key]!);
  return {
    since: new Date(since).toISOString(),
    handled: handled.length,
    averageTalkSeconds: handled.length ? round(talk / handled.length) : null,
    averageHandleSeconds: handled.length ? round((talk + wrap) / handled.length) : null,
    holdSeconds: round(handled.reduce((sum, r) => sum + r.holdSeconds, 0)),
    secondsInState: seconds,
  };
}
