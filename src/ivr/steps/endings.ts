/**
 * Steps that end the IVR with a `FinalAction` for the orchestrator: `queue`, `voicemail`,
 * `callback`, `transfer`, `survey` and `hangup`. (`callback` can also give up and go to `onFail`.)
 */
import {
  type CallbackStep,
  type CsatScore,
  DIRECT_LINE_WAIT_SECONDS,
  type HangupStep,
  type IvrPort,
  type QueueStep,
  type SurveyStep,
  type TransferStep,
  type VoicemailStep,
} from '../types.js';
import { collectDigits, oneKey } from './collect.js';
import { stepSkills } from './data.js';
import {
  computedValue,
  errorMessage,
  Hangup,
  type StepOutcome,
  type StepScope,
  StepFailure,
} from './handler.js';
import { playClosing, playPrompts, playTail } from './prompts.js';

export async function runQueue(step: QueueStep, scope: StepScope): Promise<StepOutcome> {
  const known = scope.options.catalogue?.queues;
  if (known && !known.has(step.queueId)) throw new StepFailure(`unknown queue '${step.queueId}'`);
  const p = computedValue(scope, 'queue priority', step.priority);
  if (typeof p !== 'number' || !Number.isFinite(p))
    throw new StepFailure(`queue priority is not a number: ${String(p)}`);
  const extra = stepSkills(scope, 'queue skills', step.skills);
  const agent = step.agent === undefined ? undefined : computedValue(scope, 'queue agent', step.agent);
  if (agent !== undefined && typeof agent !== 'string')
    throw new StepFailure(`queue agent is not an agent id: ${String(agent)}`);
  scope.skills = { ...scope.skills, ...extra };
  await playPrompts(scope, step.prompts, false);
  const directLine = agent
    ? { agentId: agent, waitSeconds: step.agentWaitSeconds ?? DIRECT_LINE_WAIT_SECONDS }
    : undefined;
  return {
    end: {
      type: 'queue',
      queueId: step.queueId,
      priority: p,
      skills: { ...scope.skills },
      ...(directLine ? { directLine } : {}),
      data: { ...scope.data },
    },
    outcome: 'queued',
    detail: { queue: step.queueId, priority: p, ...(directLine ? { agent: directLine.agentId } : {}) },
  };
}

export async function runVoicemail(step: VoicemailStep, scope: StepScope): Promise<StepOutcome> {
  // A caller part-way through their message when the service restarted is not greeted again.
  const underWay = scope.takeRecordingUnderWay();
  // A greeting that cannot be played (a sound missing) costs the caller the greeting, not their message.
  let greetingNotHeard: string | undefined;
  if (underWay === undefined) {
    try {
      await playPrompts(scope, step.prompts, false);
    } catch (e) {
      if (e instanceof Hangup) throw e;
      greetingNotHeard = errorMessage(e);
    }
  }
  let r: Awaited<ReturnType<IvrPort['record']>>;
  try {
    r = await scope.port.record({
      maxMs: step.maxMs,
      silenceMs: step.silenceMs,
      beep: step.beep,
      terminator: '#',
      ...(underWay !== undefined ? { underWay } : {}),
    });
  } catch (e) {
    throw new StepFailure(`recording failed: ${errorMessage(e)}`);
  }
  if (r.error !== undefined) throw new StepFailure(`recording failed: ${r.error}`);
  // A caller who hangs up after speaking has left a message: that is the normal end. The message is
  // recorded whatever becomes of the thanks (Asterisk may report the recording before the hang-up).
  const unheard = r.endedBy !== 'hangup' ? await playClosing(scope, step.thanks) : undefined;
  return {
    end: {
      type: 'voicemail',
      recordingId: r.recordingId,
      durationMs: r.durationMs,
      ...(step.mailbox !== undefined ? { mailbox: step.mailbox } : {}),
      data: { ...scope.data },
    },
    outcome: 'recorded',
    detail: {
      recordingId: r.recordingId,
      durationMs: r.durationMs,
      endedBy: r.endedBy,
      ...(underWay !== undefined ? { resumedAfterRestart: true } : {}),
      ...(greetingNotHeard !== undefined ? { greetingNotHeard } : {}),
      ...(unheard !== undefined ? { thanksNotHeard: unheard } : {}),
    },
  };
}

/**
 * Offers the caller's own number (ANI) for confirmation when it is a valid one, else asks them to
 * key one in; a keyed-in number is read back for confirmation too.
 */
export async function runCallback(step: CallbackStep, scope: StepScope): Promise<StepOutcome> {
  const shaped = (n: string) => /^\d+$/.test(n) && n.length >= step.min && n.length <= step.max;
  // A number the outbound rules bar (premium rate...) is asked for again, as a mistyped one is.
  const barred = (n: string) => scope.options.numberRefusal?.(n) ?? null;
  const valid = (n: string) => shaped(n) && barred(n) === null;
  const callerDigits = (scope.call.caller ?? '').replace(/[^0-9]/g, '');
  let candidate: string | null = valid(callerDigits) ? callerDigits : null;
  let failures = 0;
  const reasons: string[] = [];
  for (;;) {
    if (candidate !== null) {
      const key = await oneKey(
        scope,
        [...step.confirmPrompts, { kind: 'digits', value: candidate }, ...step.confirmKeyPrompts],
        step.timeoutMs,
      );
      if (key === step.confirmKey) {
        scope.data = { ...scope.data, callbackNumber: candidate };
        const unheard = await playClosing(scope, step.thanks); // confirmed: the request stands regardless
        return {
          end: {
            type: 'callback',
            number: candidate,
            ...(step.queueId !== undefined ? { queueId: step.queueId } : {}),
            data: { ...scope.data },
          },
          outcome: 'requested',
          detail: { number: candidate, ...(unheard !== undefined ? { thanksNotHeard: unheard } : {}) },
        };
      }
      reasons.push(key === '' ? 'timeout' : `rejected:${key}`);
      // Silence re-offers the same number; any other key rejects it and asks for a new one.
      if (key !== '') candidate = null;
    } else {
      const first = await playPrompts(scope, step.enterPrompts, true);
      const r = await collectDigits(scope, first ?? '', {
        max: step.max,
        terminator: '#',
        firstMs: step.timeoutMs,
        interMs: Math.min(step.timeoutMs, 3000),
      });
      if (valid(r.digits)) {
        candidate = r.digits;
        continue;
      }
      reasons.push(
        r.digits === '' ? 'timeout' : shaped(r.digits) ? `not-allowed:${r.digits}` : `invalid:${r.digits}`,
      );
    }
    failures++;
    if (failures > step.retries) return { next: step.onFail, outcome: 'failed', detail: { failed: reasons } };
  }
}

export async function runTransfer(step: TransferStep, scope: StepScope): Promise<StepOutcome> {
  const given = computedValue(scope, 'transfer number', step.number);
  // Written as people write numbers (`+1 (555) 010-0199`), dialled as digits, as the agents' transfers are.
  const n = typeof given === 'string' ? given.replace(/[\s().-]/g, '') : given;
  if (typeof n !== 'string' || !/^\+?[0-9*#]+$/.test(n))
    throw new StepFailure(`transfer number is not a dialable number: ${String(given)}`);
  const barred = (scope.options.transferRefusal ?? scope.options.numberRefusal)?.(n);
  if (barred) throw new StepFailure(`transfer number may not be dialled: ${barred}`);
  await playPrompts(scope, step.prompts, false);
  return {
    end: { type: 'transfer', number: n, data: { ...scope.data } },
    outcome: 'transferred',
    detail: { number: n },
  };
}

/** A CSAT score 1–5; after the retries the survey still ends the call, with no score. */
export async function runSurvey(step: SurveyStep, scope: StepScope): Promise<StepOutcome> {
  let failures = 0;
  const reasons: string[] = [];
  for (;;) {
    const key = await oneKey(scope, step.prompts, step.timeoutMs);
    if (/^[1-5]$/.test(key)) {
      const score = Number(key) as CsatScore;
      scope.data = { ...scope.data, [step.into]: score };
      const unheard = await playClosing(scope, step.thanks); // scored: kept regardless
      return {
        end: { type: 'survey-result', score, data: { ...scope.data } },
        outcome: 'scored',
        detail: { score, failed: reasons, ...(unheard !== undefined ? { thanksNotHeard: unheard } : {}) },
      };
    }
    reasons.push(key === '' ? 'timeout' : `invalid:${key}`);
    failures++;
    if (failures > step.retries) {
      await playTail(scope, step.thanks);
      return {
        end: { type: 'survey-result', score: null, data: { ...scope.data } },
        outcome: 'no-score',
        detail: { failed: reasons },
      };
    }
    if (key !== '') await playPrompts(scope, step.invalidPrompts, false);
  }
}

export async function runHangup(step: HangupStep, scope: StepScope): Promise<StepOutcome> {
  await playTail(scope, step.prompts);
  return { end: { type: 'hangup', reason: 'flow', data: { ...scope.data } }, outcome: 'hung-up' };
}
