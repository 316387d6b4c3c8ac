/**
 * The real HTTP app (every plugin) over the real ACD, seat calls, queue admin, event hub, auth and an
 * in-memory SQLite log; only telephony is a fake that accepts every request.
 */
import { newWallDisplayId, WallDisplayLog } from '../../../src/store/wall-display-log.js';
import { WallDisplays } from '../../../src/supervision/wall-displays.js';
import { BlockedCallers } from '../../../src/calls/blocked-callers.js';
import { BlockedNumberLog } from '../../../src/store/blocked-number-log.js';
import { CallerFlagDesk } from '../../../src/calls/supervise/caller-flag-desk.js';
import { CallerFlagLog } from '../../../src/store/caller-flag-log.js';
import { DoNotCallNumbers } from '../../../src/calls/do-not-call-numbers.js';
import { CustomerDataRequests } from '../../../src/calls/customer-data-requests.js';
import { CustomerDataLog } from '../../../src/store/customer-data-log.js';
import { DoNotCallLog } from '../../../src/store/do-not-call-log.js';
import { EvaluationLog } from '../../../src/store/evaluation-log.js';
import { ShiftLog } from '../../../src/store/shift-log.js';
import { AdherenceExceptionLog } from '../../../src/store/adherence-exception-log.js';
import { CampaignLog, type CampaignRecord } from '../../../src/store/campaign-log.js';
import { CampaignDialer } from '../../../src/calls/acd/campaign-dialer.js';
import { campaignDto } from '../../../src/http/plugins/campaigns/schemas.js';
import { DEFAULT_EVALUATION_FORMS } from '../../../src/supervision/evaluations.js';
import { Value } from '@sinclair/typebox/value';
import { type PhoneCodes, PhoneCodesSchema } from '../../../src/agents/phone-codes.js';
import pino from 'pino';
import type { AgentDefinition } from '../../../src/agents/schema.js';
import { DEFAULT_REASON_CODES, type ReasonCode } from '../../../src/agents/schema.js';
import { AcdRuntime } from '../../../src/calls/acd/acd-runtime.js';
import { AcdCallbackRunner } from '../../../src/calls/acd/callback-runner.js';
import { QueueAlertWatch } from '../../../src/calls/acd/queue-alert-watch.js';
import { QueueAlertLog } from '../../../src/store/queue-alert-log.js';
import { HelpRequestLog } from '../../../src/store/help-request-log.js';
import { AgentMessageLog } from '../../../src/store/agent-message-log.js';
import { HelpDesk } from '../../../src/calls/supervise/help-desk.js';
import { BreakWatch } from '../../../src/calls/supervise/break-watch.js';
import { BreakOverstayLog } from '../../../src/store/break-overstay-log.js';
import { QueueAdmin } from '../../../src/calls/acd/queue-admin.js';
import { type NumberingConfig, NumberPlan } from '../../../src/calls/number-plan.js';
import { SeatCalls } from '../../../src/calls/seat/seat-calls.js';
import { DEFAULT_WRAP_UP_CODES } from '../../../src/calls/seat/seat-info.js';
import { EventHub } from '../../../src/events/event-hub.js';
import { recordAgentStates } from '../../../src/calls/acd/agent-state-recorder.js';
import { buildHttpApp } from '../../../src/http/app.js';
import { type AgentTokenPolicy, ApiAuth, supervisorNamedIn } from '../../../src/http/auth.js';
import type { FlowStatusSource } from '../../../src/http/plugins/flows/index.js';
import { Switches } from '../../../src/calls/ivr/switches.js';
import { AdminChangeLog } from '../../../src/store/admin-change-log.js';
import { SwitchStore } from '../../../src/store/switch-store.js';
import { AgentEventLog } from '../../../src/store/agent-event-log.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { WebhookOutbox } from '../../../src/store/webhook-outbox.js';
import { WebhookDispatcher } from '../../../src/webhooks/dispatcher.js';
import type { WebhookConfig } from '../../../src/config/schema.js';
import { FlowVersionStore } from '../../../src/store/flow-archive.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import { MembershipStore, QueueStore } from '../../../src/store/queue-store.js';
import type { Telephony } from '../../../src/telephony/telephony.js';
import {
  DEFAULT_SIGN_IN_LOCKS,
  type SignInLockPolicy,
  SignInLocks,
} from '../../../src/supervision/sign-in-locks.js';
import { SignInLockLog } from '../../../src/store/sign-in-lock-log.js';

export const SUPERVISOR = 'supervisor-token';
/** Switches flows route on (config `switches`). */
export const SWITCHES = [
  { id: 'storm-closure', name: 'Storm closure', description: 'Callers hear the closure message' },
];
/** Named supervisors (config `supervisors`). */
export const SUPERVISORS = [
  { id: 'sam', name: 'Sam Super', password: 'sam-password' },
  { id: 'tess', name: 'Tess Lead', password: 'tess-password' },
];
const supervisorNamed = supervisorNamedIn(SUPERVISORS);
const PASSWORDS = new Map([
  ['agent1', 'pw1'],
  ['agent2', 'pw2'],
]);

export interface ApiOptions {
  timeZone?: string;
  /** Whether the calls a previous run left are taken over (/health's calls); settled by default. */
  callsSettled?: () => boolean;
  /** A database file (the benchmarks' seeded log); an in-memory one by default. */
  database?: string;
  /** Agents besides agent1 and agent2 (no password: reports and admin only). */
  moreAgentIds?: readonly string[];
  /** Queues besides sales, defined alike. */
  moreQueueIds?: readonly string[];
  /** Agents' token lifetime, clock and sign-out store (12 h, the real clock, in memory by default). */
  tokens?: AgentTokenPolicy;
  /** The IVR flow registry (none by default: the flow routes answer 503). */
  flows?: FlowStatusSource;
  /** Config `numbering` (none by default: numbers kept as delivered). */
  numbering?: NumberingConfig;
  /** Config `crmLink` (none by default). */
  crmLink?: { url: string; label: string };
  /** Sales' VIP list (default +15559990001). */
  vipNumbers?: string[];
  /** Sales' alert rules and service-level target (none by default). */
  salesAlerts?: { alerts: object; serviceLevelTargetPercent?: number };
  /** The site's not-ready reasons (the defaults: break 15 min, lunch 60 min, …). */
  reasonCodes?: ReasonCode[];
  /** Config `webhooks` (none by default); their dispatcher is returned, for the test to stop. */
  webhooks?: WebhookConfig[];
  /** Sign-in locks' limits and clock (the defaults on the tokens' clock otherwise). */
  signInLocks?: { policy: SignInLockPolicy; now: () => number };
  /** Config http.trustedProxies (none by default). */
  trustedProxies?: string[];
  /** Where recordings are (none by default: playback answers 404, an erasure deletes no file). */
  recordingsDir?: string;
  /** How often live streams' sockets are pinged (30 s by default). */
  streamHeartbeatMs?: number;
  /** A request for help nobody took on this long (ms) is said unanswered (never by default). */
  helpUnansweredMs?: number;
}

export async function buildApi(options: ApiOptions = {}) {
  const logger = pino({ level: process.env.HARNESS_LOG ?? 'silent' });
  const { db } = openDatabase(options.database ?? ':memory:');
  await migrateToLatest(db);
  let n = 0;
  const log = new InteractionLog(db, () => `i-${++n}`);
  const agentLog = new AgentEventLog(db, log.commit);
  const hub = new EventHub(Date.now, 10_000, 'throw'); // every published event checked against its schema
  const agents = [...PASSWORDS.keys(), ...(options.moreAgentIds ?? [])].map(
    (id): AgentDefinition =>
      ({
        id,
        name: id,
        endpoint: `PJSIP/${id}`,
        skills: {},
        queues: [{ queueId: 'sales' }],
        autoAnswer: false,
      }) as unknown as AgentDefinition,
  );
  const queueAdmin = new QueueAdmin(new QueueStore(db), () => agents, Date.now, new MembershipStore(db));
  const queues = await queueAdmin.load(
    ['sales', ...(options.moreQueueIds ?? [])].map(
      (id) =>
        ({
          id,
          name: id === 'sales' ? 'Sales' : id,
          strategy: 'longest_idle',
          ringTimeoutSeconds: 20,
          wrapUpSeconds: 15,
          vipNumbers: options.vipNumbers ?? ['+15559990001'],
          ...(id === 'sales' ? options.salesAlerts : {}),
        }) as never,
    ),
  );
  await queueAdmin.loadMemberships();
  // Telephony that accepts every request (these tests are about the API, not the calls).
  const accept = (): unknown => new Proxy({}, { get: () => async () => ({}) });
  const telephony = new Proxy(
    {},
    {
      get: (_t, p) =>
        p === 'ari'
          ? accept()
          : p === 'restoreConferenceMedia'
            ? async () => ({ rejoined: [], stillSilent: [] })
            : async () => ({}),
    },
  );
  // The service's own recorder: every agent state change into the agent-state log, as it runs.
  recordAgentStates(hub, agentLog, logger);
  const numbers = new NumberPlan(options.numbering);
  // Numbers supervisors blocked; the site calls none of them back, as the service wires it.
  const blocked = new BlockedCallers({
    store: new BlockedNumberLog(db, supervisorNamed),
    canonical: (number) => numbers.read(number).number,
    now: Date.now,
    logger,
  });
  await blocked.load();
  // Customers who asked not to be called: no calls out or callbacks to them, as the service wires it.
  const doNotCall = new DoNotCallNumbers({
    store: new DoNotCallLog(db, supervisorNamed),
    log,
    canonical: (number) => numbers.read(number).number,
    agentName: (id) => agents.find((a) => a.id === id)?.name ?? id,
    now: Date.now,
    logger,
  });
  await doNotCall.load();
  const acd = new AcdRuntime({
    telephony: telephony as unknown as Telephony,
    hub,
    logger,
    queues,
    agents,
    log,
    timeZone: options.timeZone,
    numbers,
    numberRefusal: (number) => blocked.refusal(number) ?? doNotCall.refusal(number),
  });
  const alertLog = new QueueAlertLog(db);
  const helpLog = new HelpRequestLog(db);
  const alerts = new QueueAlertWatch({
    acd,
    hub,
    logger,
    alertLog,
    supervisor: supervisorNamed,
    records: (queueId, since) => log.queueRecordsNow(queueId, since),
  });
  alerts.start();
  const help = new HelpDesk({
    acd,
    hub,
    log,
    store: helpLog,
    supervisor: supervisorNamed,
    logger,
    ...(options.helpUnansweredMs !== undefined ? { unansweredAfterMs: options.helpUnansweredMs } : {}),
  });
  help.start();
  const flagLog = new CallerFlagLog(db, supervisorNamed);
  const callerFlags = new CallerFlagDesk({ store: flagLog, blocked, log, hub, now: Date.now, logger });
  await callerFlags.load();
  callerFlags.start();
  const overstayLog = new BreakOverstayLog(db, supervisorNamed);
  const breaks = new BreakWatch({
    acd,
    hub,
    store: overstayLog,
    reasonCodes: options.reasonCodes ?? [...DEFAULT_REASON_CODES],
    agentIds: () => agents.map((a) => a.id),
    logger,
  });
  await breaks.restore(Date.now());
  breaks.start();
  // Callback requests' steps on the record, as the service keeps them (dialling goes to the fake).
  acd.callbacks = new AcdCallbackRunner(acd, log, 'carrier');
  const seat = new SeatCalls({
    acd,
    log,
    logger,
    agents: () => agents,
    trunk: 'carrier',
    doNotCall: (number) => doNotCall.refusal(number),
  });
  // Sign-in locks kept as the service keeps them: those in force on record are restored.
  const signInLockLog = new SignInLockLog(db, supervisorNamed);
  // Wall displays' links keep opening their boards through restarts until withdrawn.
  const wallDisplayLog = new WallDisplayLog(db, supervisorNamed);
  const lockNow = options.signInLocks?.now ?? options.tokens?.now ?? Date.now;
  const auth = new ApiAuth(
    SUPERVISOR,
    SUPERVISOR,
    PASSWORDS,
    options.tokens,
    SUPERVISORS,
    new SignInLocks(
      options.signInLocks?.policy ?? DEFAULT_SIGN_IN_LOCKS,
      lockNow,
      await signInLockLog.standing(lockNow()),
    ),
  );
  // Outbound campaigns, as the service runs them: calls booked in the queue as its agents free up.
  const campaignStore = new CampaignLog(db, supervisorNamed);
  const exceptionLog = new AdherenceExceptionLog(db);
  const publishCampaign = (campaign: CampaignRecord) =>
    hub.publish('campaign.changed', { campaign: campaignDto(campaign) });
  const campaigns = new CampaignDialer({ acd, log, store: campaignStore, logger, publish: publishCampaign });
  await campaigns.start();
  const flowVersions = new FlowVersionStore(db);
  const changes = new AdminChangeLog(db);
  const switches = new Switches(SWITCHES, new SwitchStore(db), hub, supervisorNamed);
  await switches.load();
  const webhookOutbox = new WebhookOutbox(db, log.commit);
  const webhooks = new WebhookDispatcher({ outbox: webhookOutbox, webhooks: options.webhooks ?? [], logger });
  await webhooks.start();
  webhooks.listenTo({
    interactions: log,
    alerts: alertLog,
    agentStates: agentLog,
    help: helpLog,
    overstays: overstayLog,
  });
  const app = await buildHttpApp({
    logger,
    log,
    ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
    signInLockLog,
    ...(options.streamHeartbeatMs ? { streamHeartbeatMs: options.streamHeartbeatMs } : {}),
    wallDisplays: {
      displays: new WallDisplays(await wallDisplayLog.standing(), newWallDisplayId),
      log: wallDisplayLog,
    },
    acd,
    auth,
    hub,
    queueAdmin,
    health: {
      telephony: () => ({ ari: 'up', ami: 'up', ariRequests: 'http' }),
      database: async () => true,
      activeCalls: () => 0,
      callsSettled: options.callsSettled ?? (() => true),
      eventLoopLagMs: () => 0,
      ariRoundTripMs: () => 0,
      sipEdge: () => undefined,
    },
    agents: () => agents,
    reasonCodes: options.reasonCodes ?? [...DEFAULT_REASON_CODES],
    phoneCodes: Value.Default(PhoneCodesSchema, {}) as PhoneCodes,
    seat: {
      calls: seat,
      agentLog,
      wrapUpCodes: DEFAULT_WRAP_UP_CODES,
      ...(options.crmLink ? { crmLink: options.crmLink } : {}),
    },
    flowVersions,
    changes,
    switches,
    alerts,
    alertLog,
    help: { desk: help, log: helpLog },
    overstays: { watch: breaks, log: overstayLog },
    messages: new AgentMessageLog(db, supervisorNamed),
    blocked,
    doNotCall,
    ...(options.recordingsDir ? { recordingsDir: options.recordingsDir } : {}),
    customers: {
      requests: new CustomerDataRequests({
        store: new CustomerDataLog(db, log.commit),
        log,
        numbers,
        recordingsDir: options.recordingsDir,
        now: Date.now,
        logger,
      }),
      kept: (number: string) => ({
        doNotCall: doNotCall.on(number) !== undefined,
        blocked: blocked.standingOn(number) !== undefined,
      }),
    },
    evaluations: { log: new EvaluationLog(db, supervisorNamed), forms: DEFAULT_EVALUATION_FORMS },
    shifts: new ShiftLog(db, supervisorNamed),
    adherence: { watch: { standing: () => [] }, graceSeconds: 300, record: exceptionLog },
    callerFlags,
    campaigns: { store: campaignStore, dialer: campaigns, publish: publishCampaign },
    webhooks: { configs: options.webhooks ?? [], outbox: webhookOutbox, dispatcher: webhooks },
    ...(options.flows ? { flows: options.flows } : {}),
  } as never);
  app.addHook('onClose', async () => {
    help.stop();
    campaigns.stop();
    callerFlags.stop();
    breaks.stop();
    await webhooks.stop();
  });
  const tokenOf = (id: string) => auth.signIn(id, PASSWORDS.get(id)!).token;
  /** A named supervisor's session token (`sam`, `tess`). */
  const supervisorTokenOf = (id: string) =>
    auth.supervisorSignIn({ supervisorId: id, password: SUPERVISORS.find((s) => s.id === id)!.password })
      .token;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  /**
   * An inbound call from `callerNumber` (null: withheld) that `agentId` answered from the sales queue 5 s
   * after `startedAt` (default a minute ago), on record; hung up by the caller a minute on when `ended`.
   */
  const callHandledBy = async (
    agentId: string,
    call: { callerNumber?: string | null; startedAt?: number; ended?: boolean } = {},
  ) => {
    const startedAt = call.startedAt ?? Date.now() - 60_000;
    const callerNumber = call.callerNumber === undefined ? '+15551230000' : call.callerNumber;
    const id = await log.open({ direction: 'inbound', ...(callerNumber ? { callerNumber } : {}), startedAt });
    await log.record(
      id,
      startedAt + 5000,
      { type: 'acd.connected', payload: { agentId, queueId: 'sales', waitSeconds: 5, bridgeId: 'b1' } },
      { agent_id: agentId, queue_id: 'sales' },
    );
    if (call.ended)
      await log.closeIfOpen(id, startedAt + 60_000, {
        type: 'call.hangup',
        payload: { channelId: 'caller', by: 'caller' },
      });
    return id;
  };
  return {
    app,
    db,
    log,
    agentLog,
    acd,
    queueAdmin,
    flowVersions,
    changes,
    switches,
    blocked,
    doNotCall,
    callerFlags,
    flagLog,
    alerts,
    alertLog,
    help,
    helpLog,
    breaks,
    overstayLog,
    hub,
    webhooks,
    webhookOutbox,
    tokenOf,
    supervisorTokenOf,
    as,
    callHandledBy,
    campaigns,
    campaignStore,
    exceptionLog,
    agents,
    auth,
  };
}
