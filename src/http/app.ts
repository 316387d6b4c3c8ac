import type { BlockedCallers } from '../calls/blocked-callers.js';
import type { PhoneCodes } from '../agents/phone-codes.js';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { ReasonCode } from '../agents/schema.js';
import type { TlsPair } from '../config/tls.js';
import type { AgentDefinition } from '../agents/schema.js';
import type { AcdRuntime } from '../calls/acd/acd-runtime.js';
import type { CallMonitors } from '../calls/supervise/call-monitors.js';
import type { SeatCalls } from '../calls/seat/seat-calls.js';
import type { WrapUpCode } from '../calls/seat/seat-info.js';
import type { AgentEventLog } from '../store/agent-event-log.js';
import type { QueueAdmin } from '../calls/acd/queue-admin.js';
import type { EventHub } from '../events/event-hub.js';
import { type MetricsGauges, StreamCounters } from '../events/metrics.js';
import { computeRouterStats, countAgentStates } from '../acd/stats.js';
import type { InteractionLog } from '../store/interaction-log.js';
import type { Switches } from '../calls/ivr/switches.js';
import type { AdminChangeLog } from '../store/admin-change-log.js';
import { adminAudit } from './admin-audit.js';
import type { ApiAuth } from './auth.js';
import { registerStreamSockets } from './stream-sockets.js';
import { changesPlugin } from './plugins/changes/index.js';
import { signInLocksPlugin } from './plugins/sign-in-locks/index.js';
import { wallPlugin } from './plugins/wall/index.js';
import { queueFigures } from './plugins/queues/figures.js';
import type { WallDisplays } from '../supervision/wall-displays.js';
import type { WallDisplayLog } from '../store/wall-display-log.js';
import type { BackupStatus } from '../store/database-backups.js';
import type { SignInLockLog } from '../store/sign-in-lock-log.js';
import { doNotCallPlugin } from './plugins/do-not-call/index.js';
import { customersPlugin } from './plugins/customers/index.js';
import { evaluationsPlugin } from './plugins/evaluations/index.js';
import { shiftsPlugin } from './plugins/shifts/index.js';
import type { ShiftLog } from '../store/shift-log.js';
import type { AdherenceWatch } from '../calls/supervise/adherence-watch.js';
import type { AdherenceExceptionLog } from '../store/adherence-exception-log.js';
import { campaignsPlugin } from './plugins/campaigns/index.js';
import type { CampaignDialer } from '../calls/acd/campaign-dialer.js';
import type { CampaignLog, CampaignRecord } from '../store/campaign-log.js';
import type { EvaluationLog } from '../store/evaluation-log.js';
import type { EvaluationForm } from '../supervision/evaluations.js';
import type { DoNotCallNumbers } from '../calls/do-not-call-numbers.js';
import type { CustomerDataRequests } from '../calls/customer-data-requests.js';
import { switchesPlugin } from './plugins/switches/index.js';
import { blockedNumbersPlugin } from './plugins/blocked-numbers/index.js';
import { callerFlagsPlugin } from './plugins/caller-flags/index.js';
import type { CallerFlagDesk } from '../calls/supervise/caller-flag-desk.js';
import { agentsPlugin } from './plugins/agents/index.js';
import { supervisorsPlugin } from './plugins/supervisors/index.js';
import { callbacksPlugin } from './plugins/callbacks/index.js';
import { callsPlugin } from './plugins/calls/index.js';
import { monitorsPlugin } from './plugins/monitors/index.js';
import { eventsPlugin } from './plugins/events/index.js';
import { type FlowStatusSource, type FlowVersionSource, flowsPlugin } from './plugins/flows/index.js';
import { watchedAlertKinds } from '../acd/alerts.js';
import { alertDto, type QueueAlertWatch } from '../calls/acd/queue-alert-watch.js';
import type { QueueAlertLog } from '../store/queue-alert-log.js';
import type { HelpRequestLog } from '../store/help-request-log.js';
import type { BreakOverstayLog } from '../store/break-overstay-log.js';
import { type BreakWatch, overstayDto } from '../calls/supervise/break-watch.js';
import { overstaysPlugin } from './plugins/overstays/index.js';
import type { AgentMessageLog } from '../store/agent-message-log.js';
import { messagesPlugin } from './plugins/messages/index.js';
import { type HelpDesk, helpDto } from '../calls/supervise/help-desk.js';
import { helpPlugin } from './plugins/help/index.js';
import { queuesPlugin } from './plugins/queues/index.js';
import { reportsPlugin } from './plugins/reports/index.js';
import { installErrorHandler } from './errors.js';
import { type HealthSources, healthPlugin } from './plugins/health/index.js';
import { interactionsPlugin } from './plugins/interactions/index.js';
import { metricsPlugin } from './plugins/metrics/index.js';
import { webhooksPlugin } from './plugins/webhooks/index.js';
import type { CrmLinkConfig, WebhookConfig } from '../config/schema.js';
import type { WebhookOutbox } from '../store/webhook-outbox.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { type SoftphoneSettings, webPlugin } from './plugins/web/index.js';
import { processSchemaCompilers } from './schema-compilers.js';

export interface HttpDeps {
  logger: Logger;
  log: InteractionLog;
  health: HealthSources;
  /** Sign-in locks on record (restored at start; GET /api/sign-in-locks/history); absent: memory only. */
  signInLockLog?: Pick<SignInLockLog, 'raised' | 'lifted' | 'list'>;
  /** How the service's scheduled database backups go (metrics); absent: none are scheduled. */
  backupStatus?: () => BackupStatus;
  /** How often live streams' sockets are pinged, a dead one dropped (default 30 s). */
  streamHeartbeatMs?: number;
  /** The wall displays standing (restored at start) and where they are kept; absent log: memory only. */
  wallDisplays: { displays: WallDisplays; log?: Pick<WallDisplayLog, 'made' | 'queuesShown' | 'withdrawn'> };
  /** Reverse proxies whose X-Forwarded-For is believed (config http.trustedProxies); none: the peer is the client. */
  trustedProxies?: readonly string[];
  /** Where the softphone page finds Asterisk's SIP WebSocket. */
  softphone?: SoftphoneSettings;
  /** Serve https with this certificate (http.tls); plain http without. */
  tls?: TlsPair;
  acd: AcdRuntime;
  /** Where Asterisk's recordings appear on this host (the sandbox bind-mounts it into Asterisk's spool). */
  recordingsDir?: string;
  auth: ApiAuth;
  hub: EventHub;
  agents: () => AgentDefinition[];
  queueAdmin: QueueAdmin;
  reasonCodes: ReasonCode[];
  /** Codes agents dial on a desk phone (GET /api/phone-codes); absent: none. */
  phoneCodes?: PhoneCodes;
  /** IVR flow registry (GET /api/flows); absent when the service runs without flows. */
  flows?: FlowStatusSource;
  /** Every flow version that went live (GET /api/flows/versions/:version). */
  flowVersions?: FlowVersionSource;
  /** The agent seat's call control, screen pop, wrap-up and stats (POST /api/calls/...). */
  seat?: {
    calls: SeatCalls;
    agentLog: AgentEventLog;
    wrapUpCodes: readonly WrapUpCode[];
    /** The screen pop's link to the caller in the CRM (config `crmLink`); absent: none. */
    crmLink?: CrmLinkConfig;
  };
  /** Supervisors' listen / whisper / barge (POST /api/calls/:id/monitor, /api/monitors). */
  monitors?: CallMonitors;
  /** Supervisors' changes to queues, members, flows and sessions, with who (GET /api/changes). */
  changes: AdminChangeLog;
  /** Switches IVR flows route on (GET/PUT /api/switches); absent: none. */
  switches?: Switches;
  /** Queue alerts standing now (queue figures, /metrics); absent: none are watched. */
  alerts?: Pick<QueueAlertWatch, 'active' | 'acknowledge'>;
  /** Queue alerts on record (GET /api/alerts); absent: none are kept. */
  alertLog?: Pick<QueueAlertLog, 'list'>;
  /** Numbers supervisors blocked (GET/POST/DELETE /api/blocked-numbers); absent: none can be. */
  blocked?: Pick<BlockedCallers, 'standing' | 'block' | 'lift'>;
  /** The do-not-call list (POST /api/interactions/:id/do-not-call, /api/do-not-call); absent: none. */
  doNotCall?: Pick<DoNotCallNumbers, 'add' | 'addMany' | 'remove' | 'standing' | 'on'>;
  /** A customer's requests about their data: a copy (POST /api/customers/exports), erasure (…/erasures); absent: not offered. */
  customers?: {
    requests: Pick<CustomerDataRequests, 'erase' | 'access'>;
    kept: (number: string) => { doNotCall: boolean; blocked: boolean };
  };
  /** Quality evaluations (GET /api/evaluation-forms, /api/evaluations, POST /api/interactions/:id/evaluations); absent: none. */
  evaluations?: {
    log: Pick<EvaluationLog, 'added' | 'changed' | 'get' | 'ofInteraction' | 'list' | 'summary' | 'callsOf'>;
    forms: readonly EvaluationForm[];
  };
  /** The agents' roster (GET/POST /api/shifts, DELETE /api/shifts/:id; staffing's agents on shift); absent: none. */
  shifts?: ShiftLog;
  /** Real-time adherence: seats off their roster past the grace period (GET /api/shifts/exceptions). */
  adherence?: {
    watch: Pick<AdherenceWatch, 'standing'>;
    graceSeconds: number;
    record?: Pick<AdherenceExceptionLog, 'between'>;
  };
  /** Outbound campaigns (GET/POST /api/campaigns, …/contacts, …/pause|resume|stop); absent: none can be run. */
  campaigns?: {
    store: CampaignLog;
    dialer: Pick<CampaignDialer, 'refresh' | 'changeStatus'>;
    publish: (campaign: CampaignRecord) => void;
  };
  /** Agents' flags on callers (POST /api/interactions/:id/flag, /api/caller-flags); absent: none can be. */
  callerFlags?: Pick<CallerFlagDesk, 'raise' | 'list' | 'block' | 'dismiss'>;
  /** Supervisors' messages to agents (POST/GET /api/messages); absent: none can be sent. */
  messages?: Pick<AgentMessageLog, 'sent' | 'withdraw' | 'live' | 'read' | 'reply'>;
  /** Agents' requests for help (POST /api/agents/:id/help, GET /api/help); absent: agents cannot ask. */
  help?: { desk: Pick<HelpDesk, 'ask' | 'take' | 'end' | 'list' | 'of'>; log: Pick<HelpRequestLog, 'list'> };
  /** Agents past their not-ready limit (GET /api/overstays, history; /metrics); absent: none are watched. */
  overstays?: {
    watch: Pick<BreakWatch, 'list' | 'acknowledge'>;
    log: Pick<BreakOverstayLog, 'list' | 'totals'>;
  };
  /** Webhooks (GET /api/webhooks, deliveries, redelivery; /metrics); absent: none are configured. */
  webhooks?: {
    configs: readonly WebhookConfig[];
    outbox: Pick<WebhookOutbox, 'tally' | 'list' | 'redeliver' | 'backlog'>;
    dispatcher: Pick<WebhookDispatcher, 'redelivered' | 'attempts' | 'sendTest' | 'receiver'>;
  };
}

/** The Fastify application: one encapsulated plugin per capability; OpenAPI from the same schemas. */
export async function buildHttpApp(deps: HttpDeps) {
  const app = Fastify({
    // Typed as the plain http server the plugins are written for; with `https` Node's https.Server is
    // that server plus TLS, and nothing here touches the difference.
    ...((deps.tls ? { https: deps.tls } : {}) as object),
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request lines would drown the call logs; failures are still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    schemaController: { compilersFactory: processSchemaCompilers },
    // Behind a reverse proxy, request.ip is the client's (from X-Forwarded-For) only when it comes from these:
    // sign-in locks count wrong passwords per address, and must not lock out everyone behind the proxy.
    ...(deps.trustedProxies?.length ? { trustProxy: [...deps.trustedProxies] } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Contact center API',
        version: '0.1.0',
        description: 'Calls, queues, agents, supervisors, interactions, reports, IVR flows and health',
      },
    },
  });
  await registerStreamSockets(app, deps.streamHeartbeatMs ? { heartbeatMs: deps.streamHeartbeatMs } : {});
  await app.register(healthPlugin, { sources: deps.health });
  await app.register(interactionsPlugin, {
    log: deps.log,
    auth: deps.auth,
    recordingsDir: deps.recordingsDir,
    timeZone: deps.acd.timeZone,
    numbers: deps.acd.numbers,
  });
  await app.register(agentsPlugin, {
    acd: deps.acd,
    auth: deps.auth,
    agents: deps.agents,
    reasonCodes: deps.reasonCodes,
    phoneCodes: deps.phoneCodes,
  });
  const recordChange = adminAudit(deps.changes, deps.logger);
  await app.register(supervisorsPlugin, { auth: deps.auth, recordChange });
  await app.register(changesPlugin, { auth: deps.auth, changes: deps.changes });
  await app.register(signInLocksPlugin, {
    auth: deps.auth,
    hub: deps.hub,
    recordChange,
    ...(deps.signInLockLog ? { lockLog: deps.signInLockLog } : {}),
  });
  if (deps.switches) {
    await app.register(switchesPlugin, { auth: deps.auth, switches: deps.switches, recordChange });
  }
  if (deps.blocked) {
    await app.register(blockedNumbersPlugin, {
      auth: deps.auth,
      hub: deps.hub,
      blocked: deps.blocked,
      recordChange,
    });
  }
  if (deps.doNotCall) {
    await app.register(doNotCallPlugin, {
      auth: deps.auth,
      hub: deps.hub,
      log: deps.log,
      numbers: deps.doNotCall,
      seatInteraction: (agentId) => deps.acd.seatInteraction(agentId),
      recordChange,
    });
  }
  if (deps.customers) {
    await app.register(customersPlugin, { auth: deps.auth, ...deps.customers, recordChange });
  }
  if (deps.evaluations) {
    await app.register(evaluationsPlugin, {
      auth: deps.auth,
      hub: deps.hub,
      log: deps.log,
      evaluations: deps.evaluations.log,
      forms: deps.evaluations.forms,
      agentName: (id) => deps.agents().find((a) => a.id === id)?.name ?? id,
      timeZone: deps.acd.timeZone,
      recordChange,
    });
  }
  if (deps.campaigns) {
    await app.register(campaignsPlugin, {
      auth: deps.auth,
      acd: deps.acd,
      store: deps.campaigns.store,
      dialer: deps.campaigns.dialer,
      publish: deps.campaigns.publish,
      recordChange,
      // A message to leave on answering machines names Asterisk sounds, checked as the queues' are.
      knownSounds: () => deps.queueAdmin.knownSounds(),
    });
  }
  if (deps.callerFlags) {
    await app.register(callerFlagsPlugin, {
      auth: deps.auth,
      hub: deps.hub,
      log: deps.log,
      flags: deps.callerFlags,
      seatInteraction: (agentId) => deps.acd.seatInteraction(agentId),
      recordChange,
    });
  }
  await app.register(queuesPlugin, {
    acd: deps.acd,
    admin: deps.queueAdmin,
    auth: deps.auth,
    recordChange,
    alerts: deps.alerts,
    alertLog: deps.alertLog,
    records: (queueId, since) => deps.log.queueRecordsNow(queueId, since),
    callerNames: (ids) => deps.log.callerNames(ids),
  });
  await app.register(eventsPlugin, {
    hub: deps.hub,
    auth: deps.auth,
    snapshot: () => {
      // Callers only, as the `queue.waiting` events that follow count them (a callback request waits
      // without anyone on the line).
      const callers = deps.acd.router.callersWaiting();
      const now = deps.acd.now();
      const overstays = new Map((deps.overstays?.watch.list() ?? []).map((o) => [o.agentId, o]));
      return {
        agents: deps.agents().map((a) => {
          const help = deps.help?.desk.of(a.id);
          const overstay = overstays.get(a.id);
          return {
            id: a.id,
            name: a.name,
            seat: deps.acd.router.seat(a.id),
            help: help ? helpDto(help) : null,
            overstay: overstay ? overstayDto(overstay, now) : null,
          };
        }),
        queues: deps.queueAdmin.list().map((q) => ({
          id: q.id,
          name: q.name,
          waiting: callers.get(q.id) ?? 0,
          alerts: (deps.alerts?.active(q.id) ?? []).map(alertDto),
        })),
      };
    },
  });
  await app.register(callbacksPlugin, {
    acd: deps.acd,
    log: deps.log,
    auth: deps.auth,
    agents: deps.agents,
  });
  if (deps.messages) {
    await app.register(messagesPlugin, {
      auth: deps.auth,
      hub: deps.hub,
      messages: deps.messages,
      agents: deps.agents,
      queuesOf: (agentId) =>
        deps.acd.router.queueIds().filter((q) => deps.acd.router.memberIds(q).includes(agentId)),
      membersOf: (queueId) => deps.acd.router.memberIds(queueId),
      queueExists: (queueId) => deps.acd.router.queue(queueId) !== undefined,
      now: () => deps.acd.now(),
    });
  }
  if (deps.help) {
    const agentIds = () => new Set(deps.agents().map((a) => a.id));
    await app.register(helpPlugin, {
      acd: deps.acd,
      auth: deps.auth,
      help: deps.help.desk,
      helpLog: deps.help.log,
      agentExists: (id) => agentIds().has(id),
    });
  }
  if (deps.overstays) {
    await app.register(overstaysPlugin, {
      acd: deps.acd,
      auth: deps.auth,
      watch: deps.overstays.watch,
      log: deps.overstays.log,
    });
  }
  await app.register(flowsPlugin, {
    flows: deps.flows,
    versions: deps.flowVersions,
    auth: deps.auth,
    recordChange,
  });
  if (deps.seat) {
    await app.register(callsPlugin, {
      seat: deps.seat.calls,
      acd: deps.acd,
      log: deps.log,
      agentLog: deps.seat.agentLog,
      auth: deps.auth,
      agents: deps.agents,
      wrapUpCodes: deps.seat.wrapUpCodes,
      ...(deps.seat.crmLink ? { crmLink: deps.seat.crmLink } : {}),
      ...(deps.callerFlags
        ? { callerFlags: (number: string) => deps.callerFlags!.list().filter((f) => f.number === number) }
        : {}),
      ...(deps.doNotCall ? { doNotCall: (number: string) => deps.doNotCall!.on(number) } : {}),
      ...(deps.campaigns ? { campaignScript: (id: string) => deps.campaigns!.store.scriptOf(id) } : {}),
    });
  }
  if (deps.monitors) await app.register(monitorsPlugin, { monitors: deps.monitors, auth: deps.auth });
  if (deps.seat && deps.shifts) {
    await app.register(shiftsPlugin, {
      auth: deps.auth,
      hub: deps.hub,
      shifts: deps.shifts,
      agentLog: deps.seat.agentLog,
      agents: deps.agents,
      seat: (agentId) => deps.acd.router.seat(agentId),
      ...(deps.adherence ? { adherence: deps.adherence } : {}),
      timeZone: deps.acd.timeZone,
      recordChange,
    });
  }
  if (deps.seat) {
    await app.register(reportsPlugin, {
      acd: deps.acd,
      auth: deps.auth,
      log: deps.log,
      agentLog: deps.seat.agentLog,
      ...(deps.overstays ? { overstays: deps.overstays.log } : {}),
      queueAdmin: deps.queueAdmin,
      agents: deps.agents,
      ...(deps.shifts ? { shifts: deps.shifts } : {}),
    });
  }
  if (deps.webhooks) {
    const { configs, outbox, dispatcher } = deps.webhooks;
    await app.register(webhooksPlugin, {
      auth: deps.auth,
      webhooks: configs,
      outbox,
      redelivered: (id) => dispatcher.redelivered(id),
      sendTest: (id) => dispatcher.sendTest(id),
      receiver: (id) => dispatcher.receiver(id),
      recordChange,
      now: () => deps.acd.now(),
    });
  }
  await app.register(webPlugin, { softphone: deps.softphone });
  await app.register(wallPlugin, {
    auth: deps.auth,
    reasonCodes: deps.reasonCodes,
    hub: deps.hub,
    acd: deps.acd,
    admin: deps.queueAdmin,
    memberIds: (queueId) => deps.acd.router.memberIds(queueId),
    agents: deps.agents,
    figures: queueFigures({
      acd: deps.acd,
      admin: deps.queueAdmin,
      alerts: deps.alerts,
      records: (queueId, since) => deps.log.queueRecordsNow(queueId, since),
    }),
    displays: deps.wallDisplays.displays,
    ...(deps.wallDisplays.log ? { displayLog: deps.wallDisplays.log } : {}),
    recordChange,
  });
  const counters = new StreamCounters(deps.hub);
  app.addHook('onClose', async () => counters.stop());
  await app.register(metricsPlugin, {
    auth: deps.auth,
    counters,
    gauges: async () => {
      const now = deps.acd.now();
      const { ari, ami } = deps.health.telephony();
      const sipEdge = deps.health.sipEdge();
      const stats = computeRouterStats(deps.acd.router, [], now);
      const seats = deps.agents().flatMap((a) => {
        const seat = deps.acd.router.seat(a.id);
        return seat ? [seat] : [];
      });
      const states = countAgentStates(seats);
      // Agents the router has no seat for yet have never logged in.
      states.byState.logged_out += deps.agents().length - seats.length;
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      return {
        up: {
          ari: ari === 'up',
          ami: ami === 'up',
          db: await deps.health.database(),
          ...(sipEdge ? { sip_edge: sipEdge === 'up' } : {}),
        },
        activeCalls: deps.health.activeCalls(),
        eventLoopLagMs: deps.health.eventLoopLagMs(),
        ariRoundTripMs: deps.health.ariRoundTripMs(),
        queues: stats.map((q) => ({
          id: q.queueId,
          waiting: q.waiting,
          callbacksWaiting: q.callbacksWaiting,
          callbacksScheduled: q.callbacksScheduled,
          longestWaitSeconds: q.longestWaitSeconds,
          alerts: Object.fromEntries(
            watchedAlertKinds(deps.acd.router.queue(q.queueId)?.alerts).map((kind) => [
              kind,
              (deps.alerts?.active(q.queueId) ?? []).some((a) => a.kind === kind),
            ]),
          ),
        })),
        webhooks: await webhookGauges(deps.webhooks, now),
        agentsByState: states.byState,
        notReadyByReason: states.notReadyByReason,
        help: helpGauges(deps.help?.desk.list() ?? []),
        overLimitByReason: overLimitGauges(deps.reasonCodes, deps.overstays?.watch.list() ?? []),
        ...(deps.backupStatus ? { backup: backupGauges(deps.backupStatus()) } : {}),
        process: {
          residentBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          startedAt: Date.now() - process.uptime() * 1000,
        },
      };
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

export type HttpApp = Awaited<ReturnType<typeof buildHttpApp>>;

/** Requests for help standing, for /metrics: waiting for a supervisor, and taken on by one. */
function helpGauges(open: readonly { taken?: unknown }[]): { waiting: number; taken: number } {
  const taken = open.filter((r) => r.taken !== undefined).length;
  return { waiting: open.length - taken, taken };
}

/** Agents past their not-ready limit now, for /metrics: every reason with a limit, 0 when nobody is. */
function overLimitGauges(
  reasons: readonly ReasonCode[],
  standing: readonly { reason: string }[],
): Record<string, number> {
  return Object.fromEntries(
    reasons
      .filter((r) => r.maxMinutes !== undefined)
      .map((r) => [r.code, standing.filter((o) => o.reason === r.code).length]),
  );
}

/** Each webhook's backlog (from the outbox) and attempts since start (from the dispatcher), for /metrics. */
async function webhookGauges(
  webhooks: HttpDeps['webhooks'],
  now: number,
): Promise<MetricsGauges['webhooks']> {
  if (!webhooks) return [];
  const backlog = await webhooks.outbox.backlog();
  return webhooks.dispatcher.attempts().map((w) => {
    const oldest = backlog.get(w.id)?.oldestPendingAt;
    return {
      id: w.id,
      pending: backlog.get(w.id)?.pending ?? 0,
      failed: backlog.get(w.id)?.failed ?? 0,
      ...(oldest !== undefined ? { oldestPendingSeconds: Math.max(0, (now - oldest) / 1000) } : {}),
      attempts: w.attempts,
    };
  });
}

/** The backups' gauges: the last good one, and whether the last try failed. */
function backupGauges(status: BackupStatus): { lastSuccessAt?: number; failing: boolean } {
  return {
    ...(status.lastAt === undefined ? {} : { lastSuccessAt: status.lastAt }),
    failing: status.lastError !== undefined,
  };
}
