/**
 * The IVR call script: runs a route's entry flow on a live call and carries out how it ends.
 *
 * - The call holds the flow object it started on (a hot reload changes only new calls); `gotoFlow`
 *   looks up the other flow's current version when the call gets there.
 * - Every `ivr.step` becomes a timeline entry and updates the `ivr_path` column; the caller data the
 *   flow collected is written to `caller_data` when the flow ends, before the call is queued, so the
 *   agent's screen pop has it.
 * - Final actions: queue → the ACD; voicemail → a linked `voicemail` interaction (see below); callback →
 *   enqueued as a callback entry, then hung up; transfer → dialled on the carrier trunk and bridged;
 *   survey-result → `csat`; hangup → hang up.
 * - A missing flow, a flow error or a failure here: the caller hears an apology and is hung up, and the
 *   timeline gets a `call.error`. Never silence.
 *
 * Voicemail model: the call's own interaction keeps its ordinary disposition (completed / caller-hangup)
 * and gets `recording_path` plus a `voicemail.recorded` entry naming a second interaction, opened for the
 * message: direction `voicemail`, state `open` (waiting for an agent to work it), disposition `voicemail`,
 * the same caller number, caller data and IVR path, and the recording. Agents list them with
 * `GET /api/interactions?direction=voicemail&state=open`.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { QueueVoicemailSettings } from '../../acd/schema.js';
import type {
  CallerData,
  FinalAction,
  Flow,
  IvrEvent,
  ResumePoint,
  RuntimeCatalogue,
  Skills,
} from '../../ivr/index.js';
import {
  DEFAULT_ERROR_PROMPTS,
  defineFlow,
  QUEUE_VOICEMAIL_FLOW_ID,
  runFlow,
  voicemail,
  withVersion,
} from '../../ivr/index.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import type { InteractionRow } from '../../store/schema.js';
import type { Telephony } from '../../telephony/telephony.js';
import type { AcdRefusal, AcdRuntime } from '../acd/acd-runtime.js';
import { CallEnded, type CallSession } from '../call-session.js';
import { wavDurationMs } from '../wav-duration.js';
import type { IvrPosition, IvrTransferDiallingTakeover, MessageLeftWhileAway } from '../takeover.js';
import { AriIvrPort } from './ari-ivr-port.js';
import { transferCall } from './transfer.js';

/** Where flows come from (the FlowRegistry). */
export interface FlowSource {
  getFlow(id: string): Flow | undefined;
  /** A given version of a flow (the current one, or one kept in the archive), if it can still be run. */
  flowAt?(id: string, version: string): Promise<Flow | undefined>;
}

export interface IvrDeps {
  flows: FlowSource | undefined;
  acd: Pick<AcdRuntime, 'enqueueArriving' | 'input' | 'digit' | 'hub' | 'numbers' | 'router'>;
  telephony: Telephony;
  log: InteractionLog;
  logger: Logger;
  /** Queue ids the ACD knows now (unknown queues take the flow's error path instead of a refusal). */
  queueIds?: () => ReadonlySet<string>;
  /** Voicemail file format. Default `wav`. */
  recordingFormat?: string;
  /** Where Asterisk's recordings are on this host (a message finished during a restart is measured there). */
  recordingsDir?: string;
  /** Endpoint transfers are dialled through: `PJSIP/<number>@<trunk>`. Default `carrier`. */
  trunk?: string;
  /** The outbound rules for numbers a flow dials (callbacks, transfers): why one is barred, or null. */
  numberRefusal?: (number: string) => string | null;
  /** The same for a transfer alone, when it differs (the do-not-call list bars callbacks, not transfers). */
  transferRefusal?: (number: string) => string | null;
  /** Whether a switch (config `switches`) is on; undefined for one not defined. */
  switchOn?: (switchId: string) => boolean | undefined;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface FlowCall {
  flowId: string;
  caller: string;
  callerName?: string;
  dialed: string;
  trunk?: string;
  /** Caller data the call brings into the flow (the route's `language`). */
  data?: CallerData;
}

const APOLOGY = DEFAULT_ERROR_PROMPTS.map((name) => `sound:${name}`);

function errorOf(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** Says sorry, writes a `call.error` and hangs up (for failures outside the flow's own error path). */
async function apologize(session: CallSession, operation: string, error: Error & { code?: string }) {
  session.logger.error({ err: error, operation }, 'IVR call failed');
  await session.record({
    type: 'call.error',
    payload: { operation, code: error.code ?? 'IVR_FAILED', message: error.message },
  });
  if (!session.isLive) return;
  try {
    if (session.state === 'arrived') await session.answer();
    await session.play(APOLOGY);
  } catch {
    // the hang-up below is what matters
  }
  await session.hangup().catch((e) => session.logger.warn({ err: e }, 'hang-up after IVR failure failed'));
}

/** Runs the entry flow `call.flowId` on `session` and carries out its final action. Never rejects. */
export async function runFlowScript(session: CallSession, deps: IvrDeps, call: FlowCall): Promise<void> {
  try {
    await runFlowScriptInner(session, deps, call);
  } catch (error) {
    if (error instanceof CallEnded || session.isEnded) return;
    await apologize(session, 'ivr', error as Error).catch(() => undefined);
  }
}

async function runFlowScriptInner(session: CallSession, deps: IvrDeps, call: FlowCall): Promise<void> {
  const flow = deps.flows?.getFlow(call.flowId);
  if (!flow) {
    await apologize(
      session,
      'ivr',
      errorOf('FLOW_NOT_LOADED', `entry flow '${call.flowId}' is not loaded (see GET /api/flows)`),
    );
    return;
  }
  await session.answer();
  if (!session.isLive) return;
  // The flow a takeover after a restart carries the call on in (src/calls/takeover.ts).
  void session.record({ type: 'ivr.started', payload: { flowId: flow.id, flowVersion: flow.version } });
  await runAndCarryOut(session, deps, call, flow);
}

/** A flow in the version a call was in, when that can still be had and run; else its current version. */
async function flowVersionOrCurrent(
  flows: FlowSource | undefined,
  id: string,
  version: string | undefined,
): Promise<Flow | undefined> {
  return (version && flows?.flowAt ? await flows.flowAt(id, version) : undefined) ?? flows?.getFlow(id);
}

/** Where a call taken over part-way through its flows carries on (from `ivrCallerTakeover`). */
export interface FlowResume {
  /** The version of the entry flow the call started on. */
  entryFlowVersion?: string;
  at: IvrPosition;
  data: CallerData;
  skills: Skills;
  path: string[];
  /** Prompts the previous run may have left playing: stopped first, or the caller would hear them out. */
  promptsPlaying: string[];
  /** The message the caller was leaving (its recording's name): the step waits for it, not greet again. */
  recordingUnderWay?: string;
}

/**
 * A caller the service's previous run left in the IVR, carried on by this run: already answered, the
 * caller picks up at the step it was on, in the version of the flow it was in (from the archive when the
 * file changed since; the current version when that one cannot be had or run any more, and there a step
 * edited away sends it to that flow's entry), with the data and skills gathered so far. A step that had
 * failed goes on in the flow's error step, as it would have. Never rejects.
 */
export async function resumeFlowScript(
  session: CallSession,
  deps: IvrDeps,
  call: FlowCall,
  resume: FlowResume,
): Promise<void> {
  try {
    session.move('answer'); // answered by the previous run
    // Asterisk queues a channel's playbacks: what comes next would wait behind what was left playing.
    await Promise.all(
      resume.promptsPlaying.map((id) => deps.telephony.ari.stopPlayback(id).catch(() => undefined)),
    );
    const entry = await flowVersionOrCurrent(deps.flows, call.flowId, resume.entryFlowVersion);
    const flow =
      resume.at.flowId === call.flowId && resume.at.flowVersion === resume.entryFlowVersion
        ? entry
        : await flowVersionOrCurrent(deps.flows, resume.at.flowId, resume.at.flowVersion);
    if (!entry || !flow) {
      const missing = entry ? resume.at.flowId : call.flowId;
      await apologize(
        session,
        'ivr',
        errorOf('FLOW_NOT_LOADED', `flow '${missing}' is not loaded (see GET /api/flows)`),
      );
      return;
    }
    const wanted = resume.at.failed !== undefined ? flow.onError : resume.at.stepId;
    if (resume.at.failed !== undefined && (wanted === undefined || !Object.hasOwn(flow.steps, wanted))) {
      // No error step of its own: what the flow's default error path would have done.
      await apologize(session, 'ivr', errorOf('IVR_FLOW_ERROR', resume.at.failed));
      return;
    }
    const stepId = wanted !== undefined && Object.hasOwn(flow.steps, wanted) ? wanted : flow.entry;
    // The message goes on being recorded only in the voicemail step that started it (the entry step when
    // no step had ended yet).
    const recordingUnderWay =
      resume.recordingUnderWay !== undefined &&
      stepId === (resume.at.stepId ?? flow.entry) &&
      flow.steps[stepId]?.kind === 'voicemail'
        ? resume.recordingUnderWay
        : undefined;
    if (resume.recordingUnderWay !== undefined && recordingUnderWay === undefined) {
      await deps.telephony.ari.stopLiveRecording(resume.recordingUnderWay).catch(() => undefined);
    }
    void session.record({
      type: 'call.adopted',
      payload: {
        reason: 'the service restarted while the caller was in the IVR',
        flowId: flow.id,
        flowVersion: flow.version,
        ...(resume.at.flowVersion && resume.at.flowVersion !== flow.version
          ? { versionGone: resume.at.flowVersion }
          : {}),
        stepId,
        ...(wanted !== undefined && wanted !== stepId ? { stepGone: wanted } : {}),
        ...(recordingUnderWay !== undefined ? { recordingUnderWay } : {}),
      },
    });
    session.logger.warn({ flowId: flow.id, stepId }, 'took over a caller in the IVR from a previous run');
    await runAndCarryOut(session, deps, call, entry, {
      flow,
      stepId,
      data: resume.data,
      skills: resume.skills,
      path: resume.path,
      ...(recordingUnderWay !== undefined ? { recordingUnderWay } : {}),
    });
  } catch (error) {
    if (error instanceof CallEnded || session.isEnded) return;
    await apologize(session, 'ivr', error as Error).catch(() => undefined);
  }
}

/**
 * The queue's after-call flow (a survey) for a caller whose agent ended the conversation: out of the
 * conversation's bridge, talk time stopped, then the flow from its entry. Never rejects.
 */
export async function runAfterCallFlow(
  session: CallSession,
  deps: IvrDeps & { acd: Pick<AcdRuntime, 'leaveBridge'> },
  call: FlowCall,
): Promise<void> {
  try {
    const flow = deps.flows?.getFlow(call.flowId);
    if (!flow) throw errorOf('FLOW_NOT_LOADED', `after-call flow '${call.flowId}' is not loaded`);
    if (session.queue) session.queue.talkEndedAt = (deps.now ?? Date.now)();
    await deps.acd.leaveBridge(session);
    session.releaseFromAgent();
    void session.record({ type: 'ivr.started', payload: { flowId: flow.id, flowVersion: flow.version } });
    session.logger.info({ flowId: flow.id }, 'after-call flow started');
    await runAndCarryOut(session, deps, call, flow);
  } catch (error) {
    if (error instanceof CallEnded || session.isEnded) return;
    await apologize(session, 'ivr', error as Error).catch(() => undefined);
  }
}

/**
 * The built-in flow a queue's voicemail target runs. Its version says how it was built, so a restart of the
 * service mid-message rebuilds the same flow from the timeline: `builtin`, or `builtin:<mailbox>`, when
 * only the mailbox is set; otherwise `builtin?` and the settings as URL query parameters.
 */
export function queueVoicemailFlow(settings: QueueVoicemailSettings = {}): Flow {
  const { mailbox, greeting, maxSeconds } = settings;
  const query = new URLSearchParams();
  if (mailbox !== undefined) query.append('mailbox', mailbox);
  for (const sound of greeting ?? []) query.append('greeting', sound);
  if (maxSeconds !== undefined) query.append('maxSeconds', String(maxSeconds));
  const version =
    greeting === undefined && maxSeconds === undefined
      ? mailbox !== undefined
        ? `builtin:${mailbox}`
        : 'builtin'
      : `builtin?${query}`;
  return withVersion(
    defineFlow({
      id: QUEUE_VOICEMAIL_FLOW_ID,
      entry: 'message',
      steps: {
        message: voicemail({
          ...(mailbox !== undefined ? { mailbox } : {}),
          ...(greeting !== undefined ? { prompt: greeting } : {}),
          ...(maxSeconds !== undefined ? { maxSeconds } : {}),
        }),
      },
    }),
    version,
  );
}

/** The settings a queue voicemail flow's version names (see queueVoicemailFlow); undefined if none. */
export function queueVoicemailSettingsOf(version: string): QueueVoicemailSettings | undefined {
  if (version === 'builtin') return {};
  if (version.startsWith('builtin:')) return { mailbox: version.slice('builtin:'.length) };
  if (!version.startsWith('builtin?')) return undefined;
  const query = new URLSearchParams(version.slice('builtin?'.length));
  const mailbox = query.get('mailbox');
  const greeting = query.getAll('greeting');
  const maxSeconds = Number(query.get('maxSeconds') ?? Number.NaN);
  return {
    ...(mailbox !== null ? { mailbox } : {}),
    ...(greeting.length > 0 ? { greeting } : {}),
    ...(Number.isInteger(maxSeconds) && maxSeconds > 0 ? { maxSeconds } : {}),
  };
}

/**
 * The flows of the files (the flow registry, read when asked: it reloads), and the built-in ones, by id and
 * version: what a restart of the service carries callers on in.
 */
export function withBuiltInFlows(files: () => FlowSource | undefined): FlowSource {
  return {
    getFlow: (id) => (id === QUEUE_VOICEMAIL_FLOW_ID ? queueVoicemailFlow() : files()?.getFlow(id)),
    flowAt: async (id, version) => {
      if (id === QUEUE_VOICEMAIL_FLOW_ID) {
        const settings = queueVoicemailSettingsOf(version);
        return settings ? queueVoicemailFlow(settings) : undefined;
      }
      return files()?.flowAt?.(id, version);
    },
  };
}

/**
 * A caller a queue sent to voicemail (max wait, exit key, queue full, no agents): leaves a message as an IVR
 * flow's voicemail step records it (an open voicemail interaction for agents to call back, the file linked
 * to the call). The caller is answered and out of the queue already. Never rejects.
 */
export async function leaveQueueVoicemail(
  session: CallSession,
  deps: IvrDeps,
  call: Omit<FlowCall, 'flowId'>,
  settings: QueueVoicemailSettings,
): Promise<void> {
  try {
    const flow = queueVoicemailFlow(settings);
    void session.record({ type: 'ivr.started', payload: { flowId: flow.id, flowVersion: flow.version } });
    session.logger.info({ mailbox: settings.mailbox }, 'queue voicemail started');
    await runAndCarryOut(session, deps, { ...call, flowId: flow.id }, flow);
  } catch (error) {
    if (error instanceof CallEnded || session.isEnded) return;
    await apologize(session, 'ivr', error as Error).catch(() => undefined);
  }
}

/** Runs `flow` (from its entry, or from `resumeAt`) and carries out how it ends. */
async function runAndCarryOut(
  session: CallSession,
  deps: IvrDeps,
  call: FlowCall,
  flow: Flow,
  resumeAt?: ResumePoint,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const recordingsDir = deps.recordingsDir;
  const port = new AriIvrPort({
    call: session,
    telephony: deps.telephony,
    recordingFormat: deps.recordingFormat ?? 'wav',
    now,
    onRecordingStarting: (recordingName, format) =>
      void session.record({ type: 'ivr.recording.started', payload: { recordingName, format } }),
    ...(recordingsDir
      ? {
          storedRecordingMs: (name: string, format: string) =>
            wavDurationMs(join(recordingsDir, `${name}.${format}`)),
        }
      : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const path: string[] = [...(resumeAt?.path ?? [])];
  const qualified = (flowId: string, stepId: string) => (flowId === flow.id ? stepId : `${flowId}:${stepId}`);
  const onEvent = (event: IvrEvent) => {
    if (event.type !== 'ivr.step') return;
    path.push(qualified(event.flowId, event.stepId));
    void session.record(
      {
        type: 'ivr.step',
        payload: {
          flowId: event.flowId,
          flowVersion: event.flowVersion,
          stepId: event.stepId,
          kind: event.kind,
          outcome: event.outcome,
          ...(event.next !== undefined ? { next: event.next } : {}),
          ...(event.detail !== undefined ? { detail: { ...event.detail } } : {}),
          ...(event.skills !== undefined ? { skills: { ...event.skills } } : {}),
          durationMs: Math.max(0, event.endedAt - event.at),
        },
      },
      // The caller data as it grows: the screen pop of a supervisor looking in, and a takeover, see it.
      {
        ivr_path: JSON.stringify(path),
        ...(event.data !== undefined ? { caller_data: JSON.stringify(event.data) } : {}),
      },
      event.endedAt,
    );
  };
  const catalogue: RuntimeCatalogue = deps.queueIds ? { queues: deps.queueIds() } : {};
  session.logger.info({ flowId: flow.id, version: flow.version }, 'IVR flow started');
  let result: Awaited<ReturnType<typeof runFlow>>;
  try {
    result = await runFlow(
      flow,
      port,
      {
        callId: session.channelId,
        caller: call.caller,
        dialed: call.dialed,
        ...(call.data && !resumeAt ? { data: call.data } : {}),
      },
      {
        resolveFlow: (id) => deps.flows?.getFlow(id),
        catalogue,
        onEvent,
        ...(deps.numberRefusal ? { numberRefusal: deps.numberRefusal } : {}),
        ...(deps.transferRefusal ? { transferRefusal: deps.transferRefusal } : {}),
        ...(deps.switchOn ? { switchOn: deps.switchOn } : {}),
        queueOutlook: (queueId, skills) => deps.acd.router.outlook(queueId, skills),
        ...(resumeAt ? { resumeAt } : {}),
      },
    );
  } finally {
    port.dispose();
  }
  const { action } = result;
  const { data: _data, ...actionWithoutData } = action;
  await session.record(
    {
      type: 'ivr.end',
      payload: {
        flowId: result.flowId,
        flowVersion: result.events.find((e) => e.type === 'ivr.end')?.flowVersion ?? flow.version,
        action: { ...actionWithoutData },
        path: [...result.path],
      },
    },
    { caller_data: JSON.stringify(result.data), ivr_path: JSON.stringify(result.path) },
  );
  session.logger.info({ action: action.type, path: result.path }, 'IVR flow ended');
  await carryOut(session, deps, call, action, result.data, result.path, now);
}

async function carryOut(
  session: CallSession,
  deps: IvrDeps,
  call: FlowCall,
  action: FinalAction,
  data: CallerData,
  path: readonly string[],
  now: () => number,
): Promise<void> {
  switch (action.type) {
    case 'caller-hung-up':
      return; // the channel's end closes the interaction
    case 'queue': {
      if (!session.isLive) return;
      const refusals = await enqueue(session, deps, action.queueId, {
        priority: action.priority,
        skills: action.skills,
        directLine: action.directLine,
      });
      if (refusals.length > 0) await refused(session, refusals);
      return;
    }
    case 'callback': {
      const queueId = action.queueId;
      if (!queueId) {
        await apologize(
          session,
          'callback',
          errorOf('CALLBACK_WITHOUT_QUEUE', 'the callback step names no queue to call back from'),
        );
        return;
      }
      if (!session.isLive) return;
      const refusals = await enqueue(session, deps, queueId, { priority: 0, skills: {} });
      if (refusals.length > 0) {
        await refused(session, refusals);
        return;
      }
      const more = deps.acd.input({
        type: 'requestCallback',
        interactionId: session.interactionId,
        // A number the caller keyed in (07700…) is called back and matched in the plan's form, as theirs is.
        number: action.number === undefined ? undefined : deps.acd.numbers.canonical(action.number),
      });
      if (more.length > 0) {
        await refused(session, more);
        return;
      }
      // The flow has thanked the caller already; the entry keeps its place without them.
      await session.hangup();
      return;
    }
    case 'voicemail': {
      await storeVoicemail(session, deps, call, action, data, path, now);
      if (session.isLive) await session.hangup();
      return;
    }
    case 'survey-result': {
      await session.record(
        { type: 'survey.result', payload: { flowId: call.flowId, score: action.score } },
        action.score === null ? {} : { csat: action.score },
      );
      if (session.isLive) await session.hangup();
      return;
    }
    case 'transfer': {
      await transferCall(session, {
        telephony: deps.telephony,
        number: action.number,
        trunk: deps.trunk ?? 'carrier',
        numbers: deps.acd.numbers,
        callerId: call.caller,
        apologize: (error) => apologize(session, 'transfer', error),
      });
      return;
    }
    case 'hangup': {
      const failure =
        action.reason === 'error'
          ? action.error
          : typeof data.ivrError === 'string'
            ? data.ivrError
            : undefined;
      if (failure !== undefined) {
        await session.record({
          type: 'call.error',
          payload: { operation: 'ivr', code: 'IVR_FLOW_ERROR', message: failure },
        });
      }
      if (session.isLive) await session.hangup();
      return;
    }
  }
}

async function enqueue(
  session: CallSession,
  deps: IvrDeps,
  queueId: string,
  options: Parameters<IvrDeps['acd']['enqueueArriving']>[2],
): Promise<AcdRefusal[]> {
  // From here the ACD owns the caller's keys (exit key while waiting).
  session.onDigit((digit) => deps.acd.digit(session, digit));
  return deps.acd.enqueueArriving(session, queueId, options);
}

async function refused(session: CallSession, refusals: AcdRefusal[]): Promise<void> {
  await apologize(
    session,
    'enqueue',
    errorOf(refusals[0]?.code ?? 'ACD_REFUSED', refusals.map((r) => r.reason).join('; ')),
  );
}

async function storeVoicemail(
  session: CallSession,
  deps: IvrDeps,
  call: FlowCall,
  action: Extract<FinalAction, { type: 'voicemail' }>,
  data: CallerData,
  path: readonly string[],
  now: () => number,
): Promise<void> {
  const message: LeftMessage = {
    recordingId: action.recordingId,
    path: `${action.recordingId}.${deps.recordingFormat ?? 'wav'}`,
    durationMs: action.durationMs,
    ...(action.mailbox !== undefined ? { mailbox: action.mailbox } : {}),
  };
  const voicemailId = randomUUID();
  const at = now();
  // Both writes go through the call's ordered queue, so the message exists before the call closes.
  await session.enqueueWrite('voicemail.opened', () =>
    openVoicemail(deps.log, {
      voicemailId,
      callInteractionId: session.interactionId,
      call,
      message,
      data,
      path,
      at,
    }),
  );
  // A call that reached an agent is recorded already (its conversation): that stays the call's recording;
  // the message is the voicemail interaction's, named on this timeline.
  const talkedToAgent = (session.queue?.firstConnectedAt ?? session.queue?.connectedAt) !== undefined;
  await session.record(
    { type: 'voicemail.recorded', payload: { ...message, voicemailInteractionId: voicemailId } },
    talkedToAgent ? {} : { recording_path: message.path },
    at,
  );
  deps.acd.hub.publish('voicemail.left', {
    interactionId: voicemailId,
    callerNumber: call.caller,
    durationMs: action.durationMs,
  });
  session.logger.info({ voicemailId, file: message.path, durationMs: action.durationMs }, 'voicemail stored');
}

/**
 * A transfer out the previous run was dialling when it stopped (ivrTransferDiallingTakeover): the caller
 * goes on hearing ringback, and the far end is waited on for the ring time left, then connected, or the
 * caller hears the apology, as the transfer step would have done. Never rejects.
 */
export async function carryOnTransferDialling(
  session: CallSession,
  deps: Pick<IvrDeps, 'telephony' | 'now' | 'trunk'> & { acd: Pick<AcdRuntime, 'numbers'> },
  dialling: IvrTransferDiallingTakeover,
): Promise<void> {
  const common = {
    telephony: deps.telephony,
    number: dialling.number,
    ...(dialling.ringSeconds !== undefined ? { ringSeconds: dialling.ringSeconds } : {}),
    apologize: (error: Error & { code: string }) => apologize(session, 'transfer', error),
  };
  try {
    await transferCall(
      session,
      dialling.legGone
        ? // Dialled again, as the flow's transfer step dialled it (a new leg, the whole ring time).
          {
            ...common,
            trunk: deps.trunk ?? 'carrier',
            numbers: deps.acd.numbers,
            callerId: dialling.callerNumber,
          }
        : {
            ...common,
            trunk: '', // not dialled again
            callerId: '',
            resume: { legId: dialling.legId, dialledAt: dialling.dialledAt },
            ...(deps.now ? { now: deps.now } : {}),
          },
    );
  } catch (error) {
    if (error instanceof CallEnded || session.isEnded) return;
    await apologize(session, 'transfer', error as Error).catch(() => undefined);
  }
}

/**
 * A message a caller was leaving when the previous run stopped, who hung up before this run began
 * (`messageLeftWhileAway`): kept as the voicemail step would have kept it, if Asterisk wrote its file, so
 * an agent calls them back. The call itself is closed by the takeover as any call it could not carry on.
 * True when the message was kept.
 */
export async function keepMessageLeftWhileAway(
  deps: Pick<IvrDeps, 'flows' | 'log' | 'logger' | 'recordingsDir'> & { acd: Pick<AcdRuntime, 'hub'> },
  row: Pick<InteractionRow, 'id' | 'caller_number' | 'caller_name' | 'dialed_number' | 'trunk'>,
  left: MessageLeftWhileAway,
  at: number,
): Promise<boolean> {
  const file = `${left.recordingName}.${left.format}`;
  const durationMs = deps.recordingsDir ? await wavDurationMs(join(deps.recordingsDir, file)) : undefined;
  if (durationMs === undefined) {
    deps.logger.warn(
      { interactionId: row.id, file },
      'the message a caller was leaving through a restart has no file',
    );
    return false;
  }
  const flow = await flowVersionOrCurrent(deps.flows, left.at.flowId, left.at.flowVersion);
  const step = flow ? flow.steps[left.at.stepId ?? flow.entry] : undefined;
  const message: LeftMessage = {
    recordingId: left.recordingName,
    path: file,
    durationMs,
    endedBy: 'unobserved',
    ...(step?.kind === 'voicemail' && step.mailbox !== undefined ? { mailbox: step.mailbox } : {}),
  };
  const voicemailId = randomUUID();
  const call = {
    caller: row.caller_number ?? '',
    callerName: row.caller_name ?? undefined,
    dialed: row.dialed_number ?? '',
    trunk: row.trunk ?? undefined,
  };
  await openVoicemail(deps.log, {
    voicemailId,
    callInteractionId: row.id,
    call,
    message,
    data: left.data,
    path: left.path,
    at,
  });
  await deps.log.record(
    row.id,
    at,
    { type: 'voicemail.recorded', payload: { ...message, voicemailInteractionId: voicemailId } },
    { recording_path: file },
  );
  deps.acd.hub.publish('voicemail.left', {
    interactionId: voicemailId,
    callerNumber: call.caller,
    durationMs,
  });
  deps.logger.warn(
    { interactionId: row.id, voicemailId, file, durationMs },
    'kept a message a caller left while the service was away',
  );
  return true;
}

/** A message as both timelines name it (the call's and the voicemail's). */
export interface LeftMessage {
  recordingId: string;
  /** The file, relative to the recordings directory. */
  path: string;
  durationMs: number;
  mailbox?: string;
  /** Only when it was not the message step's own doing (see RecordResult.endedBy). */
  endedBy?: string;
}

/**
 * The message's own interaction, for an agent to work: direction `voicemail`, state `open`, disposition
 * `voicemail`, the caller's number, caller data and IVR path, the recording, and the call it was left on.
 */
export async function openVoicemail(
  log: InteractionLog,
  v: {
    voicemailId: string;
    callInteractionId: string;
    call: Omit<FlowCall, 'flowId'>;
    message: LeftMessage;
    data: CallerData;
    path: readonly string[];
    at: number;
  },
): Promise<void> {
  await log.open({
    id: v.voicemailId,
    direction: 'voicemail',
    callerNumber: v.call.caller || undefined,
    callerName: v.call.callerName || undefined,
    dialedNumber: v.call.dialed,
    trunk: v.call.trunk,
    startedAt: v.at,
  });
  await log.record(
    v.voicemailId,
    v.at,
    { type: 'voicemail.recorded', payload: { ...v.message, callInteractionId: v.callInteractionId } },
    {
      recording_path: v.message.path,
      disposition: 'voicemail',
      caller_data: JSON.stringify(v.data),
      ivr_path: JSON.stringify(v.path),
    },
  );
}
