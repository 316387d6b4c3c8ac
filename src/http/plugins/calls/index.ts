import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AgentDefinition } from '../../../agents/schema.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import { type SeatCalls, SeatRefusal, type TransferTarget } from '../../../calls/seat/seat-calls.js';
import {
  closeVoicemail,
  saveWrapUp,
  screenPop,
  todayStats,
  type WrapUpCode,
} from '../../../calls/seat/seat-info.js';
import type { AgentEventLog } from '../../../store/agent-event-log.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import type { ApiAuth, Principal } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { agentMayRead, interactionFor } from '../../interaction-access.js';
import { plainJson } from '../../plain-json.js';
import { OutboundPolicy } from '../../../calls/seat/outbound-policy.js';
import { agentHandled } from '../../../interactions/participants.js';
import { toInteractionDto } from '../interactions/index.js';
import { openCallbackRequests } from '../callbacks/requests.js';
import { flagDto } from '../../../calls/supervise/caller-flag-desk.js';
import { type CallbackRequester as CallbackRequesterType, currentRequest } from '../../../acd/index.js';
import type { CallerFlag } from '../../../supervision/caller-flags.js';
import { type DoNotCallEntry, doNotCallWho } from '../../../supervision/do-not-call.js';
import { crmLinkFor } from '../../../config/crm-link.js';
import type { CrmLinkConfig } from '../../../config/schema.js';
import { doNotCallDto } from '../do-not-call/index.js';
import {
  CallParams,
  ContactBody,
  ContactParams,
  OutboundBody,
  ConsultReply,
  PartiesReply,
  PartyBody,
  RecordingReply,
  ScreenPopReply,
  StatsReply,
  TransferBody,
  TransferTargetsReply,
  WrapUpBody,
  WrapUpCodesReply,
} from './schemas.js';

export interface CallsPluginOptions {
  seat: SeatCalls;
  acd: AcdRuntime;
  log: InteractionLog;
  agentLog: AgentEventLog;
  auth: ApiAuth;
  agents: () => AgentDefinition[];
  wrapUpCodes: readonly WrapUpCode[];
  /** Agents' flags waiting on a caller's number (the screen pop warns of them); absent: none are kept. */
  callerFlags?: (number: string) => CallerFlag[];
  /** The do-not-call entry on a number, if any (the screen pop says so); absent: no list is kept. */
  doNotCall?: (number: string) => DoNotCallEntry | undefined;
  /** An outbound campaign's script for its agents (null: none); absent: no campaigns are run. */
  campaignScript?: (campaignId: string) => Promise<string | null>;
  /** The screen pop's link to the caller in the CRM (config `crmLink`); absent: none. */
  crmLink?: CrmLinkConfig;
}

/**
 * The agent seat's call control: hold / resume / transfer of the agent's current call (the server changes
 * the bridges through ARI), the screen pop, wrap-up, contacts, and personal stats for today.
 */
export const callsPlugin: FastifyPluginAsyncTypebox<CallsPluginOptions> = async (app, opts) => {
  const { seat, acd, log, auth } = opts;
  const agentName = (id: string) => opts.agents().find((a) => a.id === id)?.name ?? id;
  /** An interaction as the agent's page shows it: with its wrap-up code and its agent's name. */
  const popInteraction = (row: Parameters<typeof toInteractionDto>[0]) => {
    const dto = toInteractionDto(row);
    return {
      ...dto,
      wrapUpCode: row.wrap_up_code ?? null,
      agentName: dto.agentId ? agentName(dto.agentId) : null,
    };
  };
  const doNotCallOf = (number: string | null) => {
    const entry = number ? opts.doNotCall?.(number) : undefined;
    return entry ? { ...doNotCallDto(entry), text: doNotCallWho(entry, agentName) } : null;
  };
  const errors = {
    400: ErrorBody,
    401: ErrorBody,
    403: ErrorBody,
    404: ErrorBody,
    409: ErrorBody,
    503: ErrorBody,
  };

  const seatInteraction = (agentId: string) => acd.seatInteraction(agentId);

  /** Refuses an agent a live call that is not the one their seat is on; supervisors pass. */
  const ownCallOnly = (principal: Principal, interactionId: string): void => {
    if (principal.role === 'agent' && seatInteraction(principal.agentId) !== interactionId) {
      throw new ApiError(403, 'FORBIDDEN', `interaction ${interactionId} is not your call`);
    }
  };

  /** Refuses an agent a call they have no part in (see interaction-access.ts); supervisors pass. */
  const mayRead = async (principal: Principal, id: string): Promise<void> => {
    if (principal.role !== 'agent') return;
    await interactionFor(log, principal, id, seatInteraction(principal.agentId) === id);
  };

  /** Refusals of the seat become API errors with the same status and code. */
  const refusing = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SeatRefusal) throw new ApiError(error.status, error.code, error.message);
      throw error;
    }
  };

  /** The agent acting on a call: the signed-in agent, or for a supervisor the agent whose call it is. */
  const actingAgent = (principal: Principal, interactionId: string): string => {
    if (principal.role === 'agent') return principal.agentId;
    // The agent whose own leg carries the call: not a colleague consulted or called in on it, whose seat
    // shows the same call too.
    const owner = seat.agentInConversation(interactionId)?.agentId;
    if (owner) return owner;
    for (const agent of opts.agents()) {
      const state = acd.router.seat(agent.id)?.state;
      if (state && 'call' in state && state.call.interactionId === interactionId) return agent.id;
    }
    throw new ApiError(409, 'NO_ACTIVE_CALL', `no agent is on interaction ${interactionId}`);
  };

  const callRoute = (
    action: 'hold' | 'resume' | 'rejoin' | 'recording/pause' | 'recording/resume',
    summary: string,
    run: (agentId: string, interactionId: string) => Promise<void>,
  ) =>
    app.post(
      `/api/calls/:interactionId/${action}`,
      {
        schema: {
          tags: ['calls'],
          summary,
          params: CallParams,
          response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors },
        },
      },
      async (request) => {
        const principal = auth.signedIn(request);
        const agentId = actingAgent(principal, request.params.interactionId);
        await refusing(() => run(agentId, request.params.interactionId));
        return { ok: true as const };
      },
    );

  callRoute('hold', 'Put the caller on hold (music on hold; the agent leaves the bridge)', (a, i) =>
    seat.hold(a, i),
  );
  callRoute('resume', 'Take the caller off hold', (a, i) => seat.resume(a, i));
  callRoute('rejoin', "Ring the agent's device again after a page reload; the caller stays bridged", (a, i) =>
    seat.rejoin(a, i),
  );
  callRoute(
    'recording/pause',
    "Pause the call's recording, e.g. while the caller gives card details: silence is recorded until it is resumed (409 NOT_RECORDING, RECORDING_ALREADY_PAUSED; 503 while Asterisk's manager interface is down)",
    (a, i) => seat.pauseRecording(a, i),
  );
  callRoute('recording/resume', "Resume the call's paused recording (409 RECORDING_NOT_PAUSED)", (a, i) =>
    seat.resumeRecording(a, i),
  );

  app.post(
    '/api/calls/:interactionId/transfer',
    {
      schema: {
        tags: ['calls'],
        summary: 'Blind transfer of the current call to an agent, a queue or a number',
        params: CallParams,
        body: TransferBody,
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const agentId = actingAgent(principal, request.params.interactionId);
      const body = request.body;
      const target: TransferTarget | undefined =
        body.type === 'agent' && body.agentId
          ? { type: 'agent', agentId: body.agentId }
          : body.type === 'queue' && body.queueId
            ? { type: 'queue', queueId: body.queueId }
            : body.type === 'number' && body.number
              ? { type: 'number', number: OutboundPolicy.normalise(body.number) }
              : undefined;
      if (!target) {
        throw new ApiError(
          400,
          'TRANSFER_TARGET_INVALID',
          'give type agent with agentId, queue with queueId, or number with number',
        );
      }
      const note = body.note?.trim();
      await refusing(() => seat.transfer(agentId, request.params.interactionId, target, note || undefined));
      return { ok: true as const };
    },
  );

  /** A target (agent or number) from a body like the transfer's; queues are not valid here. */
  const partyOf = (body: { type: string; agentId?: string; number?: string }): TransferTarget => {
    if (body.type === 'agent' && body.agentId) return { type: 'agent', agentId: body.agentId };
    // As click-to-dial takes it: `+1 (555) 123-0000` is the number +15551230000.
    if (body.type === 'number' && body.number)
      return { type: 'number', number: OutboundPolicy.normalise(body.number) };
    throw new ApiError(400, 'TARGET_INVALID', 'give type agent with agentId, or number with number');
  };
  const ok = { 200: Type.Object({ ok: Type.Literal(true) }), ...errors };

  app.post(
    '/api/calls/outbound',
    {
      schema: {
        tags: ['calls'],
        summary:
          "Click-to-dial: ring the agent's phone, then the number on the carrier trunk (caller ID and allowed destinations from config `outbound`)",
        body: OutboundBody,
        response: { 200: Type.Object({ interactionId: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      if (principal.role === 'agent' && request.body.agentId && request.body.agentId !== principal.agentId) {
        throw new ApiError(
          403,
          'FORBIDDEN',
          'an agent places calls from their own seat only; leave agentId out',
        );
      }
      const agentId = principal.role === 'agent' ? principal.agentId : request.body.agentId;
      if (!agentId)
        throw new ApiError(400, 'AGENT_REQUIRED', 'a supervisor must name the agentId who places the call');
      return refusing(() => seat.dial(agentId, request.body.number));
    },
  );

  app.post(
    '/api/calls/:interactionId/consult',
    {
      schema: {
        tags: ['calls'],
        summary:
          'Consulted transfer, step 1: the caller waits on hold, the agent is connected privately to the target',
        params: CallParams,
        body: PartyBody,
        response: ok,
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const agentId = actingAgent(principal, request.params.interactionId);
      await refusing(() => seat.consult(agentId, request.params.interactionId, partyOf(request.body)));
      return { ok: true as const };
    },
  );

  const consultRoute = (action: 'complete' | 'cancel', summary: string) =>
    app.post(
      `/api/calls/:interactionId/consult/${action}`,
      { schema: { tags: ['calls'], summary, params: CallParams, response: ok } },
      async (request) => {
        const principal = auth.signedIn(request);
        const id = request.params.interactionId;
        const agentId = actingAgent(principal, id);
        await refusing(() =>
          action === 'complete' ? seat.completeConsult(agentId, id) : seat.cancelConsult(agentId, id),
        );
        return { ok: true as const };
      },
    );
  consultRoute(
    'complete',
    'Consulted transfer: connect the caller to the consulted party; the agent goes to wrap-up',
  );
  consultRoute('cancel', 'Consulted transfer: hang up the consulted party and go back to the caller');

  app.post(
    '/api/calls/:interactionId/conference',
    {
      schema: {
        tags: ['calls'],
        summary: 'Add a third party (agent or number) into the call: a 3-way conference',
        params: CallParams,
        body: PartyBody,
        response: { 200: Type.Object({ channelId: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const agentId = actingAgent(principal, request.params.interactionId);
      return refusing(() => seat.conference(agentId, request.params.interactionId, partyOf(request.body)));
    },
  );

  app.get(
    '/api/calls/:interactionId/parties',
    {
      schema: {
        tags: ['calls'],
        summary: 'The conference parties of a call besides the caller and the agent',
        params: CallParams,
        response: { 200: PartiesReply, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      // The parties' numbers are for the agents on the call (and supervisors), not the whole floor.
      ownCallOnly(principal, request.params.interactionId);
      return seat.parties(request.params.interactionId);
    },
  );

  app.get(
    '/api/calls/:interactionId/consult',
    {
      schema: {
        tags: ['calls'],
        summary:
          'The consultation under way on a call, if any (a page reloaded mid-consultation reads it back)',
        params: CallParams,
        response: { 200: ConsultReply, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      ownCallOnly(principal, request.params.interactionId);
      return { consult: seat.consultation(request.params.interactionId) };
    },
  );

  app.get(
    '/api/calls/:interactionId/recording',
    {
      schema: {
        tags: ['calls'],
        summary:
          'Whether the call is being recorded and whether its recording is paused (a reloaded page reads it back)',
        params: CallParams,
        response: { 200: RecordingReply, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      ownCallOnly(principal, request.params.interactionId);
      const state = seat.recordingState(request.params.interactionId);
      return {
        recording: state.recording,
        paused: state.paused !== undefined,
        ...(state.paused
          ? { pausedBy: state.paused.agentId, pausedAt: new Date(state.paused.at).toISOString() }
          : {}),
      };
    },
  );

  app.delete(
    '/api/calls/:interactionId/parties/:channelId',
    {
      schema: {
        tags: ['calls'],
        summary: 'Drop one conference party',
        params: Type.Object({
          interactionId: Type.String({ minLength: 1 }),
          channelId: Type.String({ minLength: 1 }),
        }),
        response: ok,
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const agentId = actingAgent(principal, request.params.interactionId);
      await refusing(() => seat.dropParty(agentId, request.params.interactionId, request.params.channelId));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/calls/:interactionId/leave',
    {
      schema: {
        tags: ['calls'],
        summary: 'The agent leaves the conference; the caller and the other party keep talking',
        params: CallParams,
        response: ok,
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const agentId = actingAgent(principal, request.params.interactionId);
      await refusing(() => seat.leaveConference(agentId, request.params.interactionId));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/calls/transfer-targets',
    {
      schema: {
        tags: ['calls'],
        summary: 'Agents (with their state) and queues a call can be transferred to',
        response: { 200: TransferTargetsReply, ...errors },
      },
    },
    async (request) => {
      auth.signedIn(request);
      return {
        agents: opts.agents().map((a) => ({
          id: a.id,
          name: a.name,
          state: acd.router.seat(a.id)?.state.type ?? 'logged_out',
        })),
        queues: acd.options.queues.map((q) => ({ id: q.id, name: q.name })),
      };
    },
  );

  app.get(
    '/api/calls/:interactionId/screen-pop',
    {
      schema: {
        tags: ['calls'],
        summary: "The agent's screen pop: the interaction, the caller's contact and last 5 interactions",
        params: CallParams,
        response: { 200: ScreenPopReply, ...errors },
      },
      // Built field by field below; its schema's intersections and unions cost fast-json-stringify ~150 ms
      // of compiling on the first pop after a start, while the agent's phone rang.
      serializerCompiler: plainJson,
    },
    async (request) => {
      const principal = auth.signedIn(request);
      await mayRead(principal, request.params.interactionId);
      const pop = await refusing(() => screenPop(log, request.params.interactionId, acd.numbers));
      // The caller's history is what the agent serving them needs (when, why, how it ended, the notes); the
      // recording and the IVR's data of calls a colleague took are not theirs to open.
      const recent = await Promise.all(
        pop.recent.map(async (r) => {
          const dto = popInteraction(r);
          if (principal.role !== 'agent' || (await agentMayRead(log, r, principal.agentId))) return dto;
          return { ...dto, recording: null, callerData: {} };
        }),
      );
      const interaction = popInteraction(pop.interaction);
      return {
        interaction,
        contact: pop.contact,
        recent,
        callbacks: pop.interaction.caller_number
          ? openCallbackRequests(acd, { number: pop.interaction.caller_number }).filter(
              (r) => r.interactionId !== pop.interaction.id,
            )
          : [],
        flags: pop.interaction.caller_number
          ? (opts.callerFlags?.(pop.interaction.caller_number) ?? []).map((f) => ({
              ...flagDto(f),
              agentName: agentName(f.agentId),
            }))
          : [],
        request: await callbackRequestOf(log, pop.interaction, opts.campaignScript),
        handoff: await handoffOf(log, pop.interaction.id, agentName),
        doNotCall: doNotCallOf(pop.interaction.caller_number),
        crmLink: opts.crmLink
          ? {
              url: crmLinkFor(opts.crmLink.url, {
                fields: {
                  callerNumber: interaction.callerNumber,
                  callerName: interaction.callerName,
                  dialedNumber: interaction.dialedNumber,
                  interactionId: interaction.id,
                  agentId: interaction.agentId,
                  queueId: interaction.queueId,
                },
                data: interaction.callerData,
              }),
              label: opts.crmLink.label,
            }
          : null,
      } as never;
    },
  );

  app.get(
    '/api/wrap-up-codes',
    {
      schema: { tags: ['calls'], summary: 'Wrap-up disposition codes', response: { 200: WrapUpCodesReply } },
    },
    async () => opts.wrapUpCodes.map((c) => ({ ...c })),
  );

  app.post(
    '/api/interactions/:interactionId/wrap-up',
    {
      schema: {
        tags: ['calls'],
        summary: "Save the agent's wrap-up on the interaction: a disposition code and notes",
        params: CallParams,
        body: WrapUpBody,
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const asked = request.params.interactionId;
      // A callback's seat knows it as the request; the conversation is its own interaction, and the wrap-up
      // (code, notes) belongs to it.
      const id =
        (await log.callbackConversation(asked, principal.role === 'agent' ? principal.agentId : undefined)) ??
        asked;
      const row = await log.get(id);
      if (!row) throw new ApiError(404, 'INTERACTION_NOT_FOUND', `no interaction ${id}`);
      let agentId = row.agent_id ?? '';
      if (principal.role === 'agent') {
        // Notes may come after the wrap-up time ran out, and after the call was transferred on.
        const mine =
          row.agent_id === principal.agentId ||
          seatInteraction(principal.agentId) === asked ||
          (row.direction !== 'voicemail' && agentHandled(await log.timeline(id), principal.agentId));
        if (!mine) {
          throw new ApiError(403, 'FORBIDDEN', `interaction ${id} is not one of your calls`);
        }
        agentId = principal.agentId;
      }
      await refusing(() =>
        saveWrapUp(
          log,
          opts.wrapUpCodes,
          { interactionId: id, agentId, code: request.body.code, notes: request.body.notes },
          acd.now(),
        ),
      );
      return { ok: true as const };
    },
  );

  app.post(
    '/api/interactions/:interactionId/close',
    {
      schema: {
        tags: ['calls'],
        summary:
          'Work a voicemail: close the message with a disposition code and notes (calls close when they end)',
        params: CallParams,
        body: WrapUpBody,
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const agentId = principal.role === 'agent' ? principal.agentId : undefined;
      await refusing(() =>
        closeVoicemail(
          log,
          opts.wrapUpCodes,
          {
            interactionId: request.params.interactionId,
            agentId,
            code: request.body.code,
            notes: request.body.notes,
          },
          acd.now(),
        ),
      );
      // Every page's list of waiting messages drops it.
      acd.hub.publish('voicemail.worked', {
        interactionId: request.params.interactionId,
        ...(agentId ? { agentId } : {}),
      });
      return { ok: true as const };
    },
  );

  app.put(
    '/api/contacts/:number',
    {
      schema: {
        tags: ['calls'],
        summary: 'Create or update a contact (number → name, notes) for screen pops',
        params: ContactParams,
        description:
          "The number is kept in the form callers' numbers are matched in (spaces, dots, dashes and brackets dropped; with config `numbering`, a national or international form read as E.164), so `07700 900123` and `+447700900123` are one contact.",
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            notes: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ContactBody, ...errors },
      },
    },
    async (request) => {
      auth.signedIn(request);
      const number = acd.numbers.canonical(request.params.number);
      if (!/^\+?[0-9*#]{2,31}$/.test(number)) {
        throw new ApiError(
          400,
          'INVALID_NUMBER',
          `"${request.params.number}" is not a phone number: digits, with an optional leading +`,
        );
      }
      const contact = { number, ...request.body };
      await log.saveContact(contact, acd.now());
      return { number: contact.number, name: contact.name, notes: contact.notes ?? null };
    },
  );

  app.get(
    '/api/agents/:id/stats/today',
    {
      schema: {
        tags: ['calls'],
        summary: "The agent's own figures since midnight: handled, AHT, time in each state",
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        response: { 200: StatsReply, ...errors },
      },
    },
    async (request) => {
      const agentId = request.params.id;
      auth.require(request, agentId);
      if (!opts.agents().some((a) => a.id === agentId)) {
        throw new ApiError(404, 'AGENT_NOT_FOUND', `no agent with id ${agentId}`);
      }
      // The state change a page asks this right after is on its way to the disk: read what it wrote.
      await log.afterQueuedWrites();
      const now = acd.now();
      const since = acd.today();
      const [handled, changes] = await Promise.all([
        log.handledCalls(agentId, since, now + 1),
        opts.agentLog.since(agentId, since),
      ]);
      const seatNow = acd.router.seat(agentId);
      return todayStats(
        handled,
        changes,
        { state: seatNow?.state.type ?? 'logged_out', since: seatNow?.stateSince ?? since },
        since,
        now,
      );
    },
  );
};

/**
 * The callback request a callback call carries out (the request itself while its preview rings the agent,
 * or, for the conversation, its parent): who asked and what for, from the request's step on record.
 */
/** The call's last transfer, as its timeline has it: who passed it on, and their note (or null). */
async function handoffOf(
  log: Pick<InteractionLog, 'timeline'>,
  interactionId: string,
  agentName: (id: string) => string,
) {
  const last = (await log.timeline(interactionId))
    .filter((e) => e.type === 'call.transferred')
    .map((e) => ({
      at: e.at,
      ...(JSON.parse(e.payload) as { step: string; agentId: string; kind: string; note?: string }),
    }))
    .findLast((t) => t.step === 'requested');
  if (!last) return null;
  return {
    agentId: last.agentId,
    agentName: agentName(last.agentId),
    kind: last.kind,
    ...(last.note ? { note: last.note } : {}),
    at: new Date(last.at).toISOString(),
  };
}

async function callbackRequestOf(
  log: Pick<InteractionLog, 'timeline'>,
  row: { id: string; direction: string; parent_id?: string | null },
  campaignScript?: (campaignId: string) => Promise<string | null>,
): Promise<{ by?: CallbackRequesterType; note?: string; script?: string } | null> {
  if (row.direction !== 'callback') return null;
  const steps = (await log.timeline(row.parent_id ?? row.id))
    .filter((e) => e.type === 'acd.callback')
    .map((e) => JSON.parse(e.payload) as { step: string; by?: CallbackRequesterType; note?: string });
  const requested = currentRequest(steps)[0];
  if (!requested) return null;
  // A campaign's script is read as the call rings, not kept on the request: a correction reaches the next call.
  const campaign = requested.by && 'campaign' in requested.by ? requested.by.campaign : undefined;
  const script = campaign && campaignScript ? await campaignScript(campaign.id) : null;
  return {
    ...(requested.by ? { by: requested.by } : {}),
    ...(requested.note ? { note: requested.note } : {}),
    ...(script ? { script } : {}),
  };
}
