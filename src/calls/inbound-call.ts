import type { SkillMap } from '../agents/schema.js';
import type { AcdRefusal, AcdRuntime } from './acd/acd-runtime.js';
import { CallEnded, type CallSession } from './call-session.js';
import type { ConversationTakeover, RingingTransferTakeover } from './takeover.js';

export interface InboundScriptOptions {
  welcomeMedia: string[];
}

/**
 * The first call path: answer, play the welcome prompt, hang up. The IVR runtime replaces this script
 * for dialed numbers that have an entry flow.
 */
export async function runWelcomeScript(call: CallSession, options: InboundScriptOptions): Promise<void> {
  try {
    await call.answer();
    const outcome = await call.play(options.welcomeMedia);
    if (outcome === 'hangup') return;
    await call.hangup();
  } catch (error) {
    if (error instanceof CallEnded || call.isEnded) return;
    await call.fail('welcome', error);
  }
}

/** A route straight to a queue: answer, then hand the caller to the ACD (DTMF goes to it while queued). */
export async function runQueueScript(
  call: CallSession,
  acd: AcdRuntime,
  options: {
    queueId: string;
    priority?: number;
    skills?: SkillMap;
    /** An agent's direct line: that agent alone for `waitSeconds`, then the queue's agents. */
    directLine?: { agentId: string; waitSeconds: number };
  },
): Promise<void> {
  try {
    // Routing starts while the answer is in flight: an agent's phone can ring without waiting for it.
    const answered = call.answer();
    call.onDigit((digit) => acd.digit(call, digit));
    const refusals = await acd.enqueueArriving(call, options.queueId, {
      priority: options.priority,
      skills: options.skills,
      directLine: options.directLine,
    });
    await answered;
    await failOnRefusal(call, refusals);
  } catch (error) {
    if (error instanceof CallEnded || call.isEnded) return;
    await call.fail('queue', error);
  }
}

/** The ACD would not take the caller (no such queue, full...): the call fails with the router's reason. */
async function failOnRefusal(call: CallSession, refusals: AcdRefusal[]): Promise<void> {
  if (refusals.length === 0) return;
  await call.fail(
    'enqueue',
    Object.assign(new Error(refusals.map((r) => r.reason).join('; ')), { code: refusals[0]!.code }),
  );
}

/**
 * A caller who was waiting in a queue when the service restarted, taken over by the new run: already
 * answered (and still hearing hold music, which Asterisk kept playing), back in line by its first arrival
 * (at the front if an offer to it had failed) with the priority and skills it had, its max wait running
 * from when it entered the queue, its DTMF going to the ACD again.
 */
export async function resumeQueueScript(
  call: CallSession,
  acd: AcdRuntime,
  options: {
    queueId: string;
    enqueuedAt: number;
    queueEnteredAt: number;
    priority?: number;
    skills?: SkillMap;
    front?: boolean;
    /** It had talked to an agent before (then put back in a queue): the call counts as handled. */
    firstConnectedAt?: number;
    /** Talked since `enqueuedAt` (not part of the wait), and in every conversation (the call's talk so far). */
    talkedMs?: number;
    talkedBeforeMs?: number;
    /** Why the new run took it over, for the timeline (default: it was waiting). */
    reason?: string;
    /** A direct line's caller still kept for its agent until then (epoch ms). */
    reservedFor?: { agentId: string; until: number };
  },
): Promise<void> {
  try {
    call.move('answer'); // answered by the previous run
    if (options.firstConnectedAt !== undefined) {
      // Its conversation was being recorded, and that recording follows the caller's channel: the next
      // agent's answer must not start a second one into the same file.
      acd.recordings.adopt(call.channelId);
      call.queue = {
        queueId: options.queueId,
        enqueuedAt: options.enqueuedAt,
        firstConnectedAt: options.firstConnectedAt,
        talkedBeforeMs: options.talkedBeforeMs ?? options.talkedMs ?? 0,
      };
    }
    call.onDigit((digit) => acd.digit(call, digit));
    void call.record({
      type: 'call.adopted',
      payload: {
        reason: options.reason ?? 'the service restarted while the caller waited',
        queueId: options.queueId,
      },
    });
    const refusals = await acd.enqueueArriving(call, options.queueId, {
      priority: options.priority,
      skills: options.skills,
      requeued: {
        enqueuedAt: options.enqueuedAt,
        front: options.front ?? false,
        queueEnteredAt: options.queueEnteredAt,
        ...(options.talkedMs ? { talkedMs: options.talkedMs } : {}),
      },
      ...(options.reservedFor ? { directLine: options.reservedFor } : {}),
    });
    await failOnRefusal(call, refusals);
  } catch (error) {
    if (error instanceof CallEnded || call.isEnded) return;
    await call.fail('queue', error);
  }
}

/**
 * A blind transfer the restart found ringing its target (see ringingTransferTakeover) fails as an
 * unanswered one does: the caller leaves the call's bridge and goes back to the queue it came from, a new
 * arrival there. Never rejects.
 */
export async function failRingingTransfer(
  call: CallSession,
  acd: AcdRuntime,
  takeover: RingingTransferTakeover,
): Promise<void> {
  void call.record({
    type: 'call.transferred',
    payload: {
      agentId: takeover.agentId,
      kind: 'blind',
      target: takeover.target,
      step: 'failed',
      reason: 'the service restarted while the target rang',
    },
  });
  await acd.telephony.ari.destroyBridge(takeover.bridgeId).catch(() => undefined);
  const now = acd.now();
  await resumeQueueScript(call, acd, {
    queueId: takeover.queueId,
    enqueuedAt: now,
    queueEnteredAt: now,
    firstConnectedAt: takeover.firstConnectedAt,
    reason: 'the service restarted while a blind transfer rang its target: back in the queue',
  });
}

/**
 * A conversation that was up when the service restarted, carried on by the new run: the caller and the
 * agent never noticed (their bridge and media are Asterisk's); from here on it ends as any conversation.
 */
export function resumeConversation(
  call: CallSession,
  acd: AcdRuntime,
  takeover: ConversationTakeover,
): AcdRefusal[] {
  const refusals = acd.resumeConversation(call, takeover);
  if (refusals.length > 0) return refusals;
  call.move('answer');
  call.move('enqueue');
  call.move('connect');
  void call.record({
    type: 'call.adopted',
    payload:
      takeover.direction === 'outbound'
        ? { reason: 'the service restarted during the outbound call' }
        : { reason: 'the service restarted during the conversation', queueId: takeover.queueId },
  });
  return [];
}
