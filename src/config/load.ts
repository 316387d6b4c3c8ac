import { phoneCodeProblems } from '../agents/phone-codes.js';
import { validateReasonCodes } from '../agents/schema.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { INTERACTION_EVENT_TYPES } from '../interactions/events.js';
import {
  AGENT_STATE_EVENTS,
  HELP_EVENTS,
  OVERSTAY_EVENTS,
  QUEUE_ALERT_EVENTS,
} from '../webhooks/delivery.js';
import { type Config, ConfigSchema, DEV_DEFAULT_SECRET, type WebhookConfig } from './schema.js';
import { isValidTimeZone } from '../ivr/hours.js';
import { literalChoiceMessage, patternMessage, unknownFieldMessage } from '../agents/validation.js';
import { readTlsPair } from './tls.js';
import { BROWSER_BLOCKED_PORTS, browserBlockedRtpPorts } from './browser-ports.js';
import { inNetworks, isWildcardAddress, parseCarriers } from './networks.js';
import { evaluationFormProblems } from '../supervision/evaluations.js';
import { crmLinkProblems } from './crm-link.js';

/** A configuration problem, naming the field so a user can fix it. Exit code 2 at start-up. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

type EnvKind = 'string' | 'integer' | 'candidates';
/** Environment variables and the field each one sets. */
export const ENV_FIELDS: Record<string, { path: string; kind: EnvKind }> = {
  CC_HTTP_HOST: { path: 'http.host', kind: 'string' },
  CC_HTTP_PORT: { path: 'http.port', kind: 'integer' },
  CC_HTTP_TLS_CERT: { path: 'http.tls.certFile', kind: 'string' },
  CC_HTTP_TLS_KEY: { path: 'http.tls.keyFile', kind: 'string' },
  CC_ASTERISK_HOST: { path: 'asterisk.host', kind: 'string' },
  CC_ASTERISK_HTTP_PORT: { path: 'asterisk.httpPort', kind: 'integer' },
  CC_ASTERISK_WSS_PORT: { path: 'asterisk.wssPort', kind: 'integer' },
  CC_SIP_WS_URL: { path: 'asterisk.sipWsUrl', kind: 'string' },
  CC_AMI_PORT: { path: 'asterisk.amiPort', kind: 'integer' },
  CC_SIP_HOST: { path: 'asterisk.sipHost', kind: 'string' },
  CC_SIP_PORT: { path: 'asterisk.sipPort', kind: 'integer' },
  CC_ARI_USER: { path: 'asterisk.ariUser', kind: 'string' },
  CC_ARI_PASSWORD: { path: 'asterisk.ariPassword', kind: 'string' },
  CC_ARI_APP: { path: 'asterisk.ariApp', kind: 'string' },
  CC_ARI_REQUEST_SOCKETS: { path: 'asterisk.ariRequestSockets', kind: 'integer' },
  CC_AMI_USER: { path: 'asterisk.amiUser', kind: 'string' },
  CC_AMI_SECRET: { path: 'asterisk.amiSecret', kind: 'string' },
  CC_TRUNK_ADDRESS: { path: 'asterisk.trunkAddress', kind: 'string' },
  CC_TRUNK_PORT: { path: 'asterisk.trunkPort', kind: 'integer' },
  CC_MEDIA_ADDRESS: { path: 'asterisk.mediaAddress', kind: 'string' },
  CC_ICE_HOST_CANDIDATES: { path: 'asterisk.iceHostCandidates', kind: 'candidates' },
  CC_DB_PATH: { path: 'database.path', kind: 'string' },
  CC_MAX_EVENT_LOOP_LAG_MS: { path: 'admission.maxEventLoopLagMs', kind: 'integer' },
  CC_MAX_ARI_ROUND_TRIP_MS: { path: 'admission.maxAriRoundTripMs', kind: 'integer' },
  CC_KEEP_SEATS_SECONDS: { path: 'restart.keepSeatsSeconds', kind: 'integer' },
  CC_RECORDING_RETENTION_DAYS: { path: 'retention.recordingsDays', kind: 'integer' },
  CC_PERSONAL_DATA_RETENTION_DAYS: { path: 'retention.personalDataDays', kind: 'integer' },
  CC_HELP_UNANSWERED_SECONDS: { path: 'helpUnansweredSeconds', kind: 'integer' },
  CC_TIME_ZONE: { path: 'timeZone', kind: 'string' },
  CC_DATA_DIR: { path: 'dataDir', kind: 'string' },
  CC_RECORDINGS_DIR: { path: 'recordingsDir', kind: 'string' },
  CC_CUSTOM_SOUNDS_DIR: { path: 'customSoundsDir', kind: 'string' },
  CC_FLOWS_DIR: { path: 'flowsDir', kind: 'string' },
  CC_LOG_LEVEL: { path: 'logLevel', kind: 'string' },
};

type Json = Record<string, unknown>;

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]!] = value;
}

function coerce(kind: EnvKind, raw: string): unknown {
  if (kind === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw; // a bad value is named by validation
  if (kind === 'candidates') {
    // "198.18.0.2=127.0.0.1,10.0.0.5=203.0.113.7"
    return raw
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((pair) => {
        const [local = '', advertised = ''] = pair.split('=').map((s) => s.trim());
        return { local, advertised };
      });
  }
  return raw;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
export const isLoopback = (host: string): boolean => LOOPBACK.test(host);

/**
 * Validates a raw configuration object (file + environment already merged) and applies defaults.
 * `sources` maps a field path to where its value came from, so messages can say "(from CC_HTTP_PORT)".
 */
export function parseConfig(raw: Json, sources: Record<string, string> = {}): Config {
  const problems: string[] = [];
  // Defaults merge an object given where a list is expected into the default list (agents would become
  // none, an allow-list the permissive default): such a value is refused first, by name.
  for (const error of Value.Errors(ConfigSchema, raw)) {
    const schema = error.schema as { type?: string };
    if (schema.type === 'array' && error.value !== undefined && !Array.isArray(error.value)) {
      const field = error.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
      const from = sources[field] ? ` (from ${sources[field]})` : '';
      problems.push(`${field}: must be a list ([...]), got ${JSON.stringify(error.value)}${from}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw)) as Json;
  const told = new Set<string>();
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const field = error.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    // A missing field is reported as "required" and again as "expected string": the first says it.
    if (told.has(field)) continue;
    told.add(field);
    const from = sources[field] ? ` (from ${sources[field]})` : '';
    const message =
      patternMessage(error) ?? literalChoiceMessage(error) ?? unknownFieldMessage(error) ?? error.message;
    problems.push(`${field}: ${message}, got ${JSON.stringify(error.value)}${from}`);
  }
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  const config = withDefaults as Config;

  const a = config.asterisk;
  if (a.rtpStart >= a.rtpEnd)
    problems.push(`asterisk.rtpEnd: must be above asterisk.rtpStart (${a.rtpStart})`);
  const blocked = browserBlockedRtpPorts(a.rtpStart, a.rtpEnd);
  if (blocked.length > 0) {
    const [ports, it] =
      blocked.length === 1 ? [`port ${blocked[0]}`, 'it'] : [`ports ${blocked.join(', ')}`, 'them'];
    problems.push(
      `asterisk.rtpStart: the RTP range ${a.rtpStart}-${a.rtpEnd} holds ${ports}, which browsers never send to: a softphone call Asterisk gave ${blocked.length === 1 ? 'it' : 'one of them'} would have no sound. Start the range above ${it} (e.g. rtpStart ${Math.max(...blocked) + 20})`,
    );
  }
  for (const [field, port] of [
    ['http.port', config.http.port],
    ['asterisk.httpPort', a.httpPort],
    ['asterisk.wssPort', a.wssPort],
  ] as const) {
    if (BROWSER_BLOCKED_PORTS.includes(port)) {
      const from = sources[field] ? ` (from ${sources[field]})` : '';
      problems.push(
        `${field}: ${port} is a port browsers refuse to open (kept for another protocol), and the agents' browsers open this one${from}`,
      );
    }
  }
  for (const [field, host] of [
    ['asterisk.trunkAddress', a.trunkAddress],
    ['asterisk.mediaAddress', a.mediaAddress],
  ] as const) {
    if (isIP(host) === 0) problems.push(`${field}: must be an IP address, got ${JSON.stringify(host)}`);
  }
  // The service dials Asterisk at `host` and tells the softphone to as well, and AMI admits logins from it:
  // an address to listen on everywhere is not one anybody can be reached at.
  if (['0.0.0.0', '::', '[::]'].includes(a.host)) {
    problems.push(
      `asterisk.host: must be an address the service and the agents' browsers reach Asterisk at (e.g. 127.0.0.1 or the host's own IP), got ${JSON.stringify(a.host)}`,
    );
  }
  if (config.http.tls && a.wssPort === a.httpPort) {
    problems.push(
      `asterisk.wssPort: must differ from asterisk.httpPort (${a.httpPort}): Asterisk listens on both`,
    );
  }
  const exposed = [a.host, a.sipHost].filter((h) => !isLoopback(h));
  if (exposed.length > 0) {
    for (const [field, secret] of [
      ['asterisk.ariPassword', a.ariPassword],
      ['asterisk.amiSecret', a.amiSecret],
    ] as const) {
      if (secret === DEV_DEFAULT_SECRET) {
        problems.push(
          `${field}: the documented development default may only be used on loopback, but Asterisk listens on ${exposed.join(', ')}`,
        );
      }
    }
  }
  if (!isValidTimeZone(config.timeZone)) {
    const from = sources.timeZone ? ` (from ${sources.timeZone})` : '';
    problems.push(
      `timeZone: not a time zone Intl knows, got ${JSON.stringify(config.timeZone)}; use an IANA name such as Europe/Paris${from}`,
    );
  }
  if (config.crmLink) for (const p of crmLinkProblems(config.crmLink.url)) problems.push(`crmLink.url: ${p}`);
  const routed = new Map<string, number>();
  config.routes.forEach((route, i) => {
    if ((route.flow === undefined) === (route.queue === undefined))
      problems.push(`routes.${i}: give exactly one of flow or queue`);
    if (route.agent !== undefined && route.queue === undefined)
      problems.push(`routes.${i}.agent: a direct line needs the queue its team answers in (queue)`);
    if (route.agent !== undefined && !config.agents.some((a) => a.id === route.agent))
      problems.push(`routes.${i}.agent: no agent ${JSON.stringify(route.agent)} (agents lists them)`);
    if (route.agentWaitSeconds !== undefined && route.agent === undefined)
      problems.push(`routes.${i}.agentWaitSeconds: only for a direct line (agent)`);
    if (route.skills !== undefined && route.queue === undefined)
      problems.push(`routes.${i}.skills: only with a queue (a flow's queue step names the skills it needs)`);
    // Two routes for one number: which one callers get would depend on the order, so neither is taken.
    const first = routed.get(route.dialed);
    if (first !== undefined)
      problems.push(
        `routes.${i}.dialed: ${JSON.stringify(route.dialed)} is routed already (routes.${first}); give each number one route`,
      );
    else routed.set(route.dialed, i);
  });
  const queueIds = new Set(config.queues.map((q) => q.id));
  config.queues.forEach((queue, i) => {
    if (queueIds.size !== config.queues.length && config.queues.findIndex((q) => q.id === queue.id) !== i)
      problems.push(`queues.${i}.id: duplicate queue id ${JSON.stringify(queue.id)}`);
  });
  const seen = new Set<string>();
  config.agents.forEach((agent, i) => {
    if (seen.has(agent.id)) problems.push(`agents.${i}.id: duplicate agent id ${JSON.stringify(agent.id)}`);
    seen.add(agent.id);
    if (agent.transport === 'webrtc' && agent.contact)
      problems.push(`agents.${i}.contact: a webrtc agent registers from the page; remove the static contact`);
  });
  const supervisorIds = new Set<string>();
  config.supervisors.forEach((supervisor, i) => {
    if (supervisorIds.has(supervisor.id))
      problems.push(`supervisors.${i}.id: duplicate supervisor id ${JSON.stringify(supervisor.id)}`);
    supervisorIds.add(supervisor.id);
  });
  const switchIds = new Set<string>();
  config.switches.forEach((s, i) => {
    if (switchIds.has(s.id)) problems.push(`switches.${i}.id: duplicate switch id ${JSON.stringify(s.id)}`);
    switchIds.add(s.id);
  });
  problems.push(...evaluationFormProblems(config.evaluationForms));
  const webhookIds = new Set<string>();
  config.webhooks.forEach((hook, i) => {
    if (webhookIds.has(hook.id))
      problems.push(`webhooks.${i}.id: duplicate webhook id ${JSON.stringify(hook.id)}`);
    webhookIds.add(hook.id);
    problems.push(...webhookProblems(hook, i));
  });
  const plan = config.numbering;
  if (plan && plan.countryCode.length + Math.max(...plan.nationalNumberLengths) > 15) {
    problems.push(
      `numbering.nationalNumberLengths: with country code ${plan.countryCode} a number would have more than E.164's 15 digits`,
    );
  }
  problems.push(...sipEdgeProblems(config));
  problems.push(...phoneCodeProblems(config.phoneCodes));
  // The reasons as the service uses them: validated as a list, the system's own added.
  const reasons = validateReasonCodes(config.reasonCodes);
  if (reasons.ok) config.reasonCodes = reasons.value;
  else
    problems.push(
      ...reasons.issues.map((issue) => issue.message.replace(/^reasonCodes\[(\d+)\]/, 'reasonCodes.$1')),
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Loads the configuration: defaults ← JSON file (CC_CONFIG, else ./config.json if present) ← CC_* environment,
 * then fills missing secrets from `<dataDir>/secrets.json`, generating them once per install.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const sources: Record<string, string> = {};
  let raw: Json = {};

  const file = env.CC_CONFIG ? resolve(cwd, env.CC_CONFIG) : join(cwd, 'config.json');
  if (env.CC_CONFIG || existsSync(file)) {
    if (!existsSync(file)) throw new ConfigError([`CC_CONFIG: file not found: ${file}`]);
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
    } catch (error) {
      throw new ConfigError([`${file}: not valid JSON: ${(error as Error).message}`]);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new ConfigError([`${file}: must hold a JSON object`]);
  }
  for (const [name, { path, kind }] of Object.entries(ENV_FIELDS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, path, coerce(kind, value));
    sources[path] = name;
  }

  const dataDir = resolve(cwd, typeof raw.dataDir === 'string' ? raw.dataDir : '.data');
  // The database lives with the rest of the data (a container's data volume) unless placed elsewhere.
  raw.database ??= {};
  const database = raw.database;
  if (typeof database === 'object' && database !== null && !Array.isArray(database)) {
    (database as Json).path ??= join(dataDir, 'contact-center.db');
  }
  const secrets = readOrCreateSecrets(join(dataDir, 'secrets.json'));
  const asterisk = (raw.asterisk ?? {}) as Json;
  raw.asterisk = asterisk;
  asterisk.ariPassword ??= secrets.ariPassword;
  asterisk.amiSecret ??= secrets.amiSecret;
  if (!secrets.supervisorToken) {
    secrets.supervisorToken = newSecret();
    writeSecrets(join(dataDir, 'secrets.json'), secrets);
  }
  raw.supervisorToken ??= secrets.supervisorToken;

  const config = parseConfig(raw, sources);
  let changed = false;
  // Agents' SIP passwords and supervisors' sign-in passwords not given in the file: generated once, kept.
  const accounts = [
    ...config.agents.map((agent) => ({ account: agent, key: `agent:${agent.id}` })),
    ...config.supervisors.map((supervisor) => ({ account: supervisor, key: `supervisor:${supervisor.id}` })),
  ];
  for (const { account, key } of accounts) {
    if (account.password) continue;
    if (!secrets[key]) {
      secrets[key] = newSecret();
      changed = true;
    }
    account.password = secrets[key];
  }
  if (changed) writeSecrets(join(dataDir, 'secrets.json'), secrets);

  // Relative paths are relative to the working directory the service was started in.
  config.dataDir = dataDir;
  config.database.path =
    config.database.path === ':memory:' ? ':memory:' : resolve(cwd, config.database.path);
  config.recordingsDir = resolve(cwd, config.recordingsDir);
  config.customSoundsDir = resolve(cwd, config.customSoundsDir);
  config.flowsDir = resolve(cwd, config.flowsDir);
  if (config.http.tls) {
    config.http.tls = {
      certFile: resolve(cwd, config.http.tls.certFile),
      keyFile: resolve(cwd, config.http.tls.keyFile),
    };
    readTlsPair(config.http.tls, sources); // refuses a file that would fail every browser later
  }
  return config;
}

const newSecret = (): string => randomBytes(18).toString('base64url');

function readOrCreateSecrets(path: string): Record<string, string> {
  if (existsSync(path)) {
    let secrets: unknown;
    try {
      secrets = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError([
        `${path}: not readable as the generated secrets (${(error as Error).message}); fix it, or delete it to have new ones made (Asterisk's ARI and AMI passwords are written from it at the next start)`,
      ]);
    }
    if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) {
      throw new ConfigError([
        `${path}: must be a JSON object of generated secrets; delete it to have new ones made`,
      ]);
    }
    return secrets as Record<string, string>;
  }
  const secrets = { ariPassword: newSecret(), amiSecret: newSecret() };
  writeSecrets(path, secrets);
  return secrets;
}

function writeSecrets(path: string, secrets: Record<string, string>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}

/** What is wrong with one webhook beyond its schema: its URL, the events it names, its queue filter. */
function webhookProblems(hook: WebhookConfig, i: number): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(hook.url);
  } catch {
    problems.push(
      `webhooks.${i}.url: ${JSON.stringify(hook.url)} is not a URL (e.g. https://crm.example.com/hooks/calls)`,
    );
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:')
    problems.push(`webhooks.${i}.url: must be http: or https:, not ${url.protocol}`);
  const known = new Set<string>([
    ...INTERACTION_EVENT_TYPES,
    ...QUEUE_ALERT_EVENTS,
    ...AGENT_STATE_EVENTS,
    ...HELP_EVENTS,
    ...OVERSTAY_EVENTS,
  ]);
  hook.events.forEach((type, j) => {
    if (!known.has(type))
      problems.push(
        `webhooks.${i}.events.${j}: no event ${JSON.stringify(type)}; one of ${[...known].sort().join(', ')}`,
      );
  });
  if (new Set(hook.events).size !== hook.events.length)
    problems.push(`webhooks.${i}.events: an event is named twice`);
  if (hook.queues !== undefined) {
    if (new Set(hook.queues).size !== hook.queues.length)
      problems.push(`webhooks.${i}.queues: a queue is named twice`);
    // An agent's states, requests for help and overstays belong to no one queue: a filter would send some
    // and not others.
    for (const type of [...AGENT_STATE_EVENTS, ...HELP_EVENTS, ...OVERSTAY_EVENTS])
      if (hook.events.includes(type))
        problems.push(
          `webhooks.${i}.events: ${type} is every agent's, not a queue's; send it on a webhook without queues`,
        );
  }
  return problems;
}

/** The SIP edge's carriers must be addresses, and must include where Asterisk sends its own calls out. */
function sipEdgeProblems(config: Config): string[] {
  const edge = config.sipEdge;
  if (!edge) return [];
  const problems: string[] = [];
  if (isIP(edge.host) === 0)
    problems.push(`sipEdge.host: must be an IP address, got ${JSON.stringify(edge.host)}`);
  const a = config.asterisk;
  if (edge.port === a.sipPort && (edge.host === a.sipHost || isWildcardAddress(a.sipHost)))
    problems.push(`sipEdge.port: must differ from asterisk.sipPort (${a.sipPort}) on the same address`);
  const { carriers, problems: wrong } = parseCarriers(edge.carriers ?? [a.trunkAddress]);
  problems.push(...wrong);
  if (
    problems.length === 0 &&
    !inNetworks(
      a.trunkAddress,
      carriers.flatMap((c) => c.networks),
    )
  )
    problems.push(
      `sipEdge.carriers: must include asterisk.trunkAddress (${a.trunkAddress}), where Asterisk's calls out go: the edge relays only towards carriers`,
    );
  return problems;
}
