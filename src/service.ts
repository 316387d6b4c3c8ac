import { defaultAsteriskRoot, promptsFromAsteriskRoot } from './flow-loader/index.js';
import { newWallDisplayId, WallDisplayLog } from './store/wall-display-log.js';
import { WallDisplays } from './supervision/wall-displays.js';
import { ConfigError } from './config/load.js';
import pino, { type Logger } from 'pino';
import type { AgentDefinition } from './agents/schema.js';
import { AcdRuntime } from './calls/acd/acd-runtime.js';
import { AcdCallbackRunner } from './calls/acd/callback-runner.js';
import { loadKeptQueues, QueueAdmin } from './calls/acd/queue-admin.js';
import { CallsService } from './calls/calls-service.js';
import { UnservedCallImporter } from './calls/unserved-calls.js';
import { CallAdmission, EventLoopLag } from './calls/overload.js';
import { SeatCalls } from './calls/seat/seat-calls.js';
import { CallMonitors } from './calls/supervise/call-monitors.js';
import { DEFAULT_WRAP_UP_CODES } from './calls/seat/seat-info.js';
import { startOfDay } from './acd/site-day.js';
import { QueueAlertWatch } from './calls/acd/queue-alert-watch.js';
import { QueueAlertLog } from './store/queue-alert-log.js';
import { HelpRequestLog } from './store/help-request-log.js';
import { AgentMessageLog } from './store/agent-message-log.js';
import { HelpDesk } from './calls/supervise/help-desk.js';
import { BreakWatch } from './calls/supervise/break-watch.js';
import { AdherenceWatch } from './calls/supervise/adherence-watch.js';
import { AdherenceExceptionLog } from './store/adherence-exception-log.js';
import { BreakOverstayLog } from './store/break-overstay-log.js';
import { DeskPhoneCodes } from './calls/seat/phone-codes.js';
import { BlockedCallers } from './calls/blocked-callers.js';
import { BlockedNumberLog } from './store/blocked-number-log.js';
import { DoNotCallNumbers } from './calls/do-not-call-numbers.js';
import { CustomerDataRequests } from './calls/customer-data-requests.js';
import { CustomerDataLog } from './store/customer-data-log.js';
import { DoNotCallLog } from './store/do-not-call-log.js';
import { EvaluationLog } from './store/evaluation-log.js';
import { ShiftLog } from './store/shift-log.js';
import { CampaignLog, type CampaignRecord } from './store/campaign-log.js';
import { CampaignDialer } from './calls/acd/campaign-dialer.js';
import { campaignDto } from './http/plugins/campaigns/schemas.js';
import { CallerFlagDesk } from './calls/supervise/caller-flag-desk.js';
import { CallerFlagLog } from './store/caller-flag-log.js';
import { blockDto } from './http/plugins/blocked-numbers/index.js';
import { NumberPlan } from './calls/number-plan.js';
import { OutboundPolicy } from './calls/seat/outbound-policy.js';
import { startFlowRegistry } from './calls/ivr/flows.js';
import { Switches } from './calls/ivr/switches.js';
import type { Config } from './config/schema.js';
import { EventHub } from './events/event-hub.js';
import { buildHttpApp, type HttpApp } from './http/app.js';
import { ApiAuth, supervisorNamedIn } from './http/auth.js';
import { SignInLocks } from './supervision/sign-in-locks.js';
import { SignInLockLog } from './store/sign-in-lock-log.js';
import { AgentEventLog } from './store/agent-event-log.js';
import { AdminChangeLog } from './store/admin-change-log.js';
import { SwitchStore } from './store/switch-store.js';
import { AgentSignOutStore } from './store/agent-sign-outs.js';
import { databaseIsUp, migrateToLatest, migrationsDue, openDatabase } from './store/database.js';
import { FlowVersionStore } from './store/flow-archive.js';
import { InteractionLog } from './store/interaction-log.js';
import { MembershipStore, QueueStore } from './store/queue-store.js';
import { Telephony, type TelephonyStatus } from './telephony/telephony.js';
import { holdMusicClasses, softphoneSipWsUrl } from './telephony/asterisk-config/render.js';
import { SipEdgeProbe } from './telephony/sip-edge/probe.js';
import { readTlsPair } from './config/tls.js';
import { RecordingRetention } from './calls/recording-retention.js';
import { BackupSchedule, backupBeforeUpgrade, configuredBackups } from './store/database-backups.js';
import { PersonalDataRetention } from './calls/personal-data-retention.js';
import { WebhookOutbox } from './store/webhook-outbox.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { ServiceRuns } from './store/service-runs.js';
import { seatsAfterRestart } from './calls/acd/seat-restore.js';
import { recordAgentStates } from './calls/acd/agent-state-recorder.js';

export interface RunningService {
  http: HttpApp;
  address: string;
  telephony: Telephony;
  calls: CallsService;
  acd: AcdRuntime;
  stop(): Promise<void>;
}

/** How often a run notes it is alive, for the next run to tell how long the service was away after a crash. */
const HEARTBEAT_MS = 15_000;

/** The ACD's view of the configured agents: their device is the pjsip endpoint the renderer made. */
export function agentDefinitions(config: Config): AgentDefinition[] {
  return config.agents.map((a) => ({
    id: a.id,
    name: a.name,
    endpoint: `PJSIP/${a.id}`,
    skills: a.skills ?? {},
    queues: a.queues ?? [],
    autoAnswer: a.autoAnswer ?? false,
    ...(a.wrapUpSeconds !== undefined ? { wrapUpSeconds: a.wrapUpSeconds } : {}),
  }));
}

/** Wires the rooms together: store, telephony, ACD, calls, HTTP. Nothing else constructs them. */
export async function startService(
  config: Config,
  logger: Logger = pino({ level: config.logLevel }),
): Promise<RunningService> {
  const { db, sqlite } = openDatabase(config.database.path);
  const backups = config.database.path === ':memory:' ? undefined : configuredBackups(config.database);
  if (backups) await backupBeforeUpgrade(await migrationsDue(db), backups, logger);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  // A record or event that strays from its documented schema is still written and sent, and said in the log.
  const schemaMismatch = (problem: string) => logger.error({ schemaMismatch: true }, problem);
  const log = new InteractionLog(db);
  log.commit.watchTrouble((trouble) => {
    if (trouble)
      logger.error({ trouble }, 'database commits are failing; writes are kept in memory and retried');
    else logger.info('database commits succeed again; the writes kept in memory are on disk');
  });
  log.reportSchemaMismatch = schemaMismatch;
  const agentLog = new AgentEventLog(db, log.commit);
  // Webhooks: a trigger writes their deliveries with each event they want; sent from here, and after a
  // restart whatever a previous run left pending.
  const webhookOutbox = new WebhookOutbox(db, log.commit);
  const webhooks = new WebhookDispatcher({
    outbox: webhookOutbox,
    webhooks: config.webhooks,
    logger,
    keepDeliveredDays: config.retention.webhookDeliveriesDays,
  });
  await webhooks.start();
  // Queue alerts on record (GET /api/alerts). The logs tell the webhooks of each event they want from here
  // on: nothing written before this line would wake them (start() already read what was pending).
  const supervisorNamed = supervisorNamedIn(config.supervisors);
  const alertLog = new QueueAlertLog(db);
  const helpLog = new HelpRequestLog(db);
  const overstayLog = new BreakOverstayLog(db, supervisorNamed);
  webhooks.listenTo({
    interactions: log,
    alerts: alertLog,
    agentStates: agentLog,
    help: helpLog,
    overstays: overstayLog,
  });
  const hub = new EventHub(Date.now, undefined, schemaMismatch);

  const agents = agentDefinitions(config);
  const queueAdmin = new QueueAdmin(new QueueStore(db), () => agents, Date.now, new MembershipStore(db));
  const queues = await loadKeptQueues(queueAdmin, config.queues, config.database.path);
  // Voicemail greetings name Asterisk sounds: a change through the API naming one Asterisk lacks is refused
  // (after-call flows likewise, once the flows are loaded below).
  const asteriskRoot = defaultAsteriskRoot();
  queueAdmin.knownSounds = async () => {
    const prompts = await promptsFromAsteriskRoot(asteriskRoot);
    return prompts.size > 0 ? prompts : undefined;
  };
  // A route to a queue that exists nowhere (config file or API) would answer callers and then fail them.
  const unknownRoutes = config.routes.flatMap((route, i) =>
    route.queue !== undefined && !queueAdmin.get(route.queue)
      ? [`routes.${i}.queue: no queue ${JSON.stringify(route.queue)} (the route for ${route.dialed})`]
      : [],
  );
  // A webhook limited to a queue that exists nowhere would never be sent a thing.
  const unknownWebhookQueues = config.webhooks.flatMap((hook, i) =>
    (hook.queues ?? []).flatMap((queueId, j) =>
      queueAdmin.get(queueId) ? [] : [`webhooks.${i}.queues.${j}: no queue ${JSON.stringify(queueId)}`],
    ),
  );
  if (unknownRoutes.length + unknownWebhookQueues.length > 0)
    throw new ConfigError([...unknownRoutes, ...unknownWebhookQueues]);

  const a = config.asterisk;
  const telephony = new Telephony({
    ari: {
      baseUrl: `http://${a.host}:${a.httpPort}`,
      user: a.ariUser,
      password: a.ariPassword,
      app: a.ariApp,
      requestSockets: a.ariRequestSockets,
    },
    ami: { host: a.host, port: a.amiPort, user: a.amiUser, secret: a.amiSecret },
    logger,
  });
  telephony.on('status', (status) => logger.info(status, 'telephony status'));

  // How long the service was away decides whether agents keep their seats through this restart.
  const runs = new ServiceRuns(db, log.commit);
  const { previousGoneAt } = await runs.begin(Date.now());
  const heartbeat = setInterval(() => {
    // Lets the next run tell a short restart from a long outage even after a crash.
    runs.alive(Date.now()).catch((error) => logger.warn({ err: error }, 'service heartbeat not written'));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const restored = await seatsAfterRestart({
    agents,
    agentLog,
    previousGoneAt,
    keepSeatsSeconds: config.restart.keepSeatsSeconds,
    now: Date.now(),
    logger,
    handledToday: await log.queueCallsConnectedSince(startOfDay(Date.now(), config.timeZone)),
    log,
  });
  // The numbers agents may dial, and the caller ID customers see: callbacks and IVR transfers dial by them too.
  // The site's numbering plan: every number matched or checked in its one form (config `numbering`).
  const numbers = new NumberPlan(config.numbering);
  const outbound = new OutboundPolicy(config.outbound, numbers);
  // Numbers supervisors blocked: calls from them are turned away unanswered, as before a restart.
  const blockedCallers = new BlockedCallers({
    store: new BlockedNumberLog(db, supervisorNamed),
    canonical: (number) => numbers.read(number).number,
    now: () => Date.now(),
    logger,
    turnedAwayBy: (block) => hub.publish('number.turned-away', { block: blockDto(block) }),
  });
  await blockedCallers.load();
  // Customers who asked not to be called: no calls out and no callbacks to them, as before a restart.
  const doNotCall = new DoNotCallNumbers({
    store: new DoNotCallLog(db, supervisorNamed),
    log,
    canonical: (number) => numbers.read(number).number,
    agentName: (id) => config.agents.find((a) => a.id === id)?.name ?? id,
    now: () => Date.now(),
    logger,
  });
  await doNotCall.load();
  // Numbers the site does not call back (callback requests, an IVR's callback and transfer): the outbound
  // rules (premium rate…), a number supervisors blocked, and a customer who asked not to be called. Agents'
  // own dialling follows the rules and the do-not-call list.
  const transferRefusal = (number: string) =>
    outbound.refusal(OutboundPolicy.normalise(number)) ?? blockedCallers.refusal(number);
  const numberRefusal = (number: string) => transferRefusal(number) ?? doNotCall.refusal(number);
  const acd = new AcdRuntime({
    telephony,
    hub,
    logger,
    queues,
    agents,
    recordingFormat: 'wav',
    log,
    seats: restored.seats,
    seatsHeldForCalls: restored.heldForCalls,
    timeZone: config.timeZone,
    numberRefusal,
    numbers,
  });
  // Conversations connected while AMI was down start recording once it is back.
  telephony.on('status', (status) => {
    if (status.ami === 'up') acd.recordings.amiBack();
  });
  // Every agent state change is kept: personal stats, time-in-state reports and restarts read it back.
  recordAgentStates(hub, agentLog, logger);
  // Alerts the previous run left standing go on (with who took them on) if they still hold once its
  // waiting callers are back in line; the others ended when it was last known alive.
  const alertWatch = new QueueAlertWatch({
    acd,
    hub,
    logger,
    alertLog,
    supervisor: supervisorNamed,
    records: (queueId, since) => log.queueRecordsNow(queueId, since),
  });
  await alertWatch.restore(previousGoneAt ?? Date.now());
  alertWatch.start();

  // Agents asking a supervisor for help: kept over a short restart for agents whose seats came back.
  const help = new HelpDesk({
    acd,
    hub,
    log,
    store: helpLog,
    supervisor: supervisorNamed,
    logger,
    unansweredAfterMs: config.helpUnansweredSeconds * 1000,
  });
  await help.restore(previousGoneAt ?? Date.now());
  help.start();
  // Agents' flags on callers for a supervisor to block: those still waiting are kept over a restart.
  const callerFlags = new CallerFlagDesk({
    store: new CallerFlagLog(db, supervisorNamed),
    blocked: blockedCallers,
    log,
    hub,
    now: () => Date.now(),
    logger,
  });
  await callerFlags.load();
  callerFlags.start();
  // Not readies past their reason's limit (a break overstayed): watched again for seats a restart gave back.
  const breaks = new BreakWatch({
    acd,
    hub,
    store: overstayLog,
    reasonCodes: config.reasonCodes,
    agentIds: () => agents.map((a) => a.id),
    logger,
  });
  await breaks.restore(previousGoneAt ?? Date.now());
  breaks.start();
  // Real-time adherence: seats held against the roster as they change, and as shifts and breaks begin or end.
  const shiftLog = new ShiftLog(db, supervisorNamed);
  const adherenceExceptions = new AdherenceExceptionLog(db);
  const adherence = new AdherenceWatch({
    seat: (agentId) => acd.router.seat(agentId),
    hub,
    shifts: shiftLog,
    graceMs: config.shifts.adherenceGraceSeconds * 1000,
    now: () => Date.now(),
    logger,
    record: adherenceExceptions,
  });
  await adherence.start();

  // Switches supervisors turn on and off, which flows route on: as they were left before a restart.
  const switches = new Switches(config.switches, new SwitchStore(db), hub, supervisorNamed);
  await switches.load();
  // IVR flows, checked against the real catalogue: queues now, Asterisk's sounds, the flow ids, switches.
  const flowVersions = new FlowVersionStore(db);
  const flows = await startFlowRegistry({
    dir: config.flowsDir,
    archive: flowVersions,
    checkMemo: flowVersions,
    queueIds: () => queueAdmin.list().map((q) => q.id),
    switchIds: () => switches.ids(),
    agentIds: () => agents.map((a) => a.id),
    usedElsewhere: (flowId) => [
      ...config.routes.filter((r) => r.flow === flowId).map((r) => `the route for ${r.dialed}`),
      ...queueAdmin
        .list()
        .filter((q) => q.afterCallFlow === flowId)
        .map((q) => `queue ${q.id} (its after-call flow)`),
    ],
    logger,
  });
  // Every wallboard follows the flow files as ops edit them (hot reload), refusals with their errors.
  flows?.on((e) =>
    hub.publish(
      'flow.changed',
      e.type === 'loaded'
        ? { file: e.file, change: 'loaded', flowId: e.flowId, version: e.version }
        : e.type === 'refused'
          ? {
              file: e.file,
              change: 'refused',
              version: e.version,
              errors: [...e.errors],
              ...(e.serving ? { serving: e.serving } : {}),
            }
          : { file: e.file, change: 'removed', flowId: e.flowId },
    ),
  );
  for (const route of config.routes) {
    if (route.flow !== undefined && !flows?.getFlow(route.flow)) {
      logger.error(
        { dialed: route.dialed, flowId: route.flow },
        `the route for ${route.dialed} names flow '${route.flow}', which is not loaded (see GET /api/flows): its callers hear an apology until it is`,
      );
    }
  }
  // No flows directory: no after-call flow can run, so none is taken.
  queueAdmin.knownFlows = () => new Set((flows?.flows() ?? []).map((f) => f.id));
  // Asterisk's configuration is rendered from asterisk-config/ when it starts: its classes stand until then.
  const mohClasses = holdMusicClasses();
  queueAdmin.knownHoldMusicClasses = () => mohClasses;
  // At start-up the queues stay as they are (one may have been accepted before its sound or flow went): told.
  for (const problem of await queueAdmin.missingReferences()) {
    const effect =
      problem.code === 'UNKNOWN_FLOW'
        ? 'its callers get no after-call flow'
        : problem.code === 'UNKNOWN_MUSIC_CLASS'
          ? "its callers hear Asterisk's default hold music"
          : 'its callers get no greeting before the beep';
    logger.error({ path: problem.path }, `${problem.message}: ${effect}`);
  }
  queueAdmin.usedElsewhere = (queueId) => [
    ...config.routes.filter((r) => r.queue === queueId).map((r) => `the route for ${r.dialed}`),
    ...(flows?.flows() ?? [])
      .filter((f) =>
        Object.values(f.steps).some(
          (s) => (s.kind === 'queue' || s.kind === 'callback') && s.queueId === queueId,
        ),
      )
      .map((f) => `IVR flow ${f.id}`),
  ];
  const callbacks = new AcdCallbackRunner(acd, log, 'carrier', () => outbound.callerId());
  acd.callbacks = callbacks;
  // Outbound campaigns: their calls are the queue's callback requests, booked as its agents free up.
  const campaignStore = new CampaignLog(db, supervisorNamed);
  const publishCampaign = (campaign: CampaignRecord) =>
    hub.publish('campaign.changed', { campaign: campaignDto(campaign) });
  const campaignDialer = new CampaignDialer({
    acd,
    log,
    store: campaignStore,
    logger,
    publish: publishCampaign,
  });
  callbacks.answeringMachineOf = (routingId) => campaignDialer.answeringMachineOf(routingId);
  // Callback requests a previous run left open go back in line once Asterisk hears the service: one may be
  // due at once for an agent who kept their seat, and its agent leg needs the application registered.
  const restoreCallbacks = (status: TelephonyStatus) => {
    if (status.ari !== 'up') return;
    telephony.off('status', restoreCallbacks);
    callbacks
      .restoreAfterRestart()
      .catch((error) =>
        logger.error({ err: error }, 'callback requests from before the restart not restored'),
      )
      // Campaigns go on once their booked calls are back in line (a contact settled meanwhile is read).
      .then(() => campaignDialer.start())
      .catch((error) => logger.error({ err: error }, 'outbound campaigns not started'));
  };
  telephony.on('status', restoreCallbacks);
  // The agent seat's call control (hold, transfer) for the softphone page; it dials numbers on the trunk.
  const seatCalls = new SeatCalls({
    acd,
    log,
    logger,
    agents: () => agents,
    trunk: 'carrier',
    policy: outbound,
    doNotCall: (number) => doNotCall.refusal(number),
  });
  const phoneCodes = new DeskPhoneCodes({
    codes: config.phoneCodes,
    reasonCodes: config.reasonCodes,
    agents: () => agents,
    command: (agentId, input) => acd.seatCommand(agentId, input),
    seatState: (agentId) => acd.router.seat(agentId)?.state.type,
    help,
    ari: telephony.ari,
    play: (channelId, media, context) => acd.agentAnnouncements.playOn(channelId, media, context),
    logger,
  });
  // Supervisors' listen / whisper / barge on agents' calls, from their own phone.
  const monitors = new CallMonitors({
    telephony,
    hub,
    logger,
    agentInConversation: seatCalls.agentInConversation,
    seatState: (agentId) => acd.router.seat(agentId)?.state,
    callBridge: (interactionId) => acd.bridges.get(interactionId),
    endpointOf: (agentId) => agents.find((agent) => agent.id === agentId)?.endpoint,
    record: (interactionId, event) => {
      const session = acd.calls.get(interactionId);
      if (session?.isLive) return session.record(event);
      return log.record(interactionId, Date.now(), event).then(() => undefined);
    },
    conferenceMemberOf: (interactionId, channelId) => seatCalls.conferenceMemberOf(interactionId, channelId),
    policy: outbound,
    trunk: 'carrier',
  });
  monitors.start();
  await monitors.endLeftOver(await log.monitorStepsOfOpenCalls());
  acd.seatGate = monitors.availabilityRefusal;
  // While a supervisor barges in, the agent may not leave the caller alone with them (hold, consult).
  seatCalls.barging = (interactionId) =>
    monitors
      .list()
      .some((m) => m.interactionId === interactionId && m.mode === 'barge' && m.state !== 'ended');
  seatCalls.supervisorOn = (channelId) => monitors.supervisorOn(channelId);
  // What the record holds about each customer: copied, erased at their request, or past its retention.
  const customerData = new CustomerDataLog(db, log.commit);
  // Recordings past the retention policy go (daily); the record of each call stays.
  const retention = new RecordingRetention({
    log,
    logger,
    recordingsDir: config.recordingsDir,
    days: config.retention.recordingsDays,
    timeZone: config.timeZone,
  });
  retention.start();
  // The record of every call, backed up while calls go on (config database.backups).
  const backupSchedule =
    backups && config.database.backups.everyHours > 0
      ? new BackupSchedule({
          backups,
          everyMs: config.database.backups.everyHours * 3600_000,
          logger,
        })
      : undefined;
  backupSchedule?.start();
  // Customers' personal data past its retention goes (daily); what each call was stays.
  const personalData = new PersonalDataRetention({
    store: customerData,
    log,
    numbers,
    logger,
    recordingsDir: config.recordingsDir,
    days: config.retention.personalDataDays,
    timeZone: config.timeZone,
  });
  personalData.start();
  // Measured from when the service listens (below): building it (the HTTP app's compiled schemas, ~1 s
  // here) is its start, not overload, and must not turn the first callers away.
  const lag = new EventLoopLag();
  // Until the calls a previous run left are carried on or closed, /health says so (503): a restart is ready
  // once agents on those calls show talking again, not a moment before.
  let callsSettled = false;
  const calls = new CallsService({
    telephony,
    log,
    logger,
    welcomeMedia: [config.prompts.welcome],
    acd,
    callbacks,
    routes: config.routes,
    ivr: {
      flows,
      queueIds: () => new Set(queueAdmin.list().map((q) => q.id)),
      recordingFormat: 'wav',
      recordingsDir: config.recordingsDir,
      numberRefusal,
      // A flow's transfer puts the caller through to a number: the do-not-call list does not bar it.
      transferRefusal,
      switchOn: switches.isOn,
    },
    // A code dialled on an agent's desk phone (log in, ready, not ready…) works the seat; any other
    // number goes to the outbound checks.
    blockedCallers,
    placedFromPhone: async (channelId, endpointName, dialled) =>
      (await phoneCodes.handle(channelId, endpointName, dialled)) ||
      seatCalls.placedFromPhone(channelId, endpointName, dialled),
    previousCallsSettled: () => {
      callsSettled = true;
      alertWatch.callersBack();
    },
    admission: new CallAdmission(config.admission, {
      eventLoopLagMs: () => lag.recentMs(),
      ariRoundTripMs: () => telephony.ariRoundTripMs(),
    }),
  });
  calls.start();
  // Calls Asterisk turned away while the service was not connected: on record once both links are up.
  const unserved = new UnservedCallImporter({ telephony, log, hub, logger, numbers: acd.numbers });
  unserved.start();
  // Watched before the links are up: the phones' states read at AMI's first connect are told once. Only
  // desk phones Asterisk asks whether they are there: their news is that of the phone on the desk; a page's
  // registration says nothing of whether its agent is at it.
  const askedPhones = new Set(
    config.asterisk.deskPhoneQualifySeconds > 0
      ? config.agents.filter((agent) => agent.transport !== 'webrtc').map((agent) => agent.id)
      : [],
  );
  telephony.watchPhones(askedPhones);
  telephony.on('phoneReach', (reach) => acd.phoneReach(reach));
  telephony.start();
  // Carriers reach Asterisk only through the SIP edge, when there is one: /health says whether it answers.
  const edgeProbe = config.sipEdge
    ? new SipEdgeProbe({ host: config.sipEdge.host, port: config.sipEdge.port, logger })
    : undefined;
  edgeProbe?.start();

  const signOuts = new AgentSignOutStore(db);
  // Locks in force when the service stopped hold on (a restart is no way round them).
  const signInLockLog = new SignInLockLog(db, supervisorNamed);
  // Wall displays' links keep opening their boards through restarts until withdrawn.
  const wallDisplayLog = new WallDisplayLog(db, supervisorNamed);
  const auth = new ApiAuth(
    config.supervisorToken ?? config.asterisk.ariPassword,
    config.supervisorToken ?? config.asterisk.ariPassword,
    new Map(config.agents.map((agent) => [agent.id, agent.password ?? ''])),
    {
      ttlMs: config.http.agentTokenHours * 3600_000,
      supervisorTtlMs: config.http.supervisorSessionHours * 3600_000,
      now: Date.now,
      signOuts: await signOuts.all(),
      persistSignOut: (agentId, generation, at) => signOuts.put(agentId, generation, at),
    },
    config.supervisors.map(({ id, name, password }) => ({ id, name, password: password ?? '' })),
    new SignInLocks(
      {
        failures: config.http.signInLocks.failures,
        addressFailures: config.http.signInLocks.addressFailures,
        windowMs: config.http.signInLocks.windowMinutes * 60_000,
        lockMs: config.http.signInLocks.lockMinutes * 60_000,
      },
      Date.now,
      await signInLockLog.standing(Date.now()),
    ),
  );
  // The phone server's refused SIP passwords count towards the same locks as the API's: it is the same
  // password, and guessing it over SIP would otherwise go unnoticed.
  telephony.on('sipAuthFailure', (failure) => {
    logger.info(failure, 'the phone server refused a SIP password');
    auth.locks.failed({ type: 'agent', agentId: failure.account }, failure.address, 'sip');
  });
  const http = await buildHttpApp({
    logger,
    ...(backupSchedule ? { backupStatus: () => backupSchedule.status } : {}),
    trustedProxies: config.http.trustedProxies,
    signInLockLog,
    wallDisplays: {
      displays: new WallDisplays(await wallDisplayLog.standing(), newWallDisplayId),
      log: wallDisplayLog,
    },
    log,
    health: {
      telephony: () => telephony.status(),
      // Down also while commits fail (the disk full…): the writes then wait in memory for a retry.
      database: async () => (await databaseIsUp(db)) && log.commit.trouble === undefined,
      activeCalls: () => calls.activeCalls,
      callsSettled: () => callsSettled,
      eventLoopLagMs: () => lag.recentMs(),
      ariRoundTripMs: () => telephony.ariRoundTripMs(),
      sipEdge: () => edgeProbe?.status(),
    },
    acd,
    auth,
    hub,
    agents: () => agents,
    queueAdmin,
    reasonCodes: config.reasonCodes,
    phoneCodes: config.phoneCodes,
    recordingsDir: config.recordingsDir,
    softphone: {
      sipWsUrl: softphoneSipWsUrl(config),
      sipDomain: a.sipHost,
      phoneOf: (id) => {
        const agent = config.agents.find((x) => x.id === id);
        return agent && (agent.transport === 'webrtc' ? 'softphone' : 'desk');
      },
    },
    tls: config.http.tls ? readTlsPair(config.http.tls) : undefined,
    flows,
    flowVersions,
    seat: {
      calls: seatCalls,
      agentLog,
      wrapUpCodes: DEFAULT_WRAP_UP_CODES,
      ...(config.crmLink ? { crmLink: config.crmLink } : {}),
    },
    monitors,
    changes: new AdminChangeLog(db),
    switches,
    alerts: alertWatch,
    alertLog,
    help: { desk: help, log: helpLog },
    overstays: { watch: breaks, log: overstayLog },
    messages: new AgentMessageLog(db, supervisorNamed),
    blocked: blockedCallers,
    doNotCall,
    // A customer's data erased at their request; the do-not-call list and blocks keep the number.
    customers: {
      requests: new CustomerDataRequests({
        store: customerData,
        log,
        numbers,
        recordingsDir: config.recordingsDir,
        now: Date.now,
        logger,
      }),
      kept: (number: string) => ({
        doNotCall: doNotCall.on(number) !== undefined,
        blocked: blockedCallers.standingOn(number) !== undefined,
      }),
    },
    evaluations: { log: new EvaluationLog(db, supervisorNamed), forms: config.evaluationForms },
    shifts: shiftLog,
    adherence: {
      watch: adherence,
      graceSeconds: config.shifts.adherenceGraceSeconds,
      record: adherenceExceptions,
    },
    campaigns: { store: campaignStore, dialer: campaignDialer, publish: publishCampaign },
    callerFlags,
    // Always: the wallboard asks at sign-in, and an empty list hides its Webhooks section.
    webhooks: { configs: config.webhooks, outbox: webhookOutbox, dispatcher: webhooks },
  });
  const address = await http.listen({ host: config.http.host, port: config.http.port });
  lag.start();
  logger.info({ address }, 'contact center listening');

  return {
    http,
    address,
    telephony,
    calls,
    acd,
    async stop() {
      await http.close();
      await monitors.stop();
      await flows?.close();
      alertWatch.stop();
      help.stop();
      callerFlags.stop();
      breaks.stop();
      adherence.stop();
      acd.stop();
      campaignDialer.stop();
      await unserved.stop();
      backupSchedule?.stop();
      await retention.stop();
      await personalData.stop();
      await webhooks.stop();
      lag.stop();
      edgeProbe?.stop();
      telephony.stop();
      clearInterval(heartbeat);
      await runs.stopped(Date.now()).catch(() => undefined);
      await db.destroy().catch(() => undefined);
      if (sqlite.open) sqlite.close();
    },
  };
}
