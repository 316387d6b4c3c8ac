import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uriHost } from '../../config/networks.js';
import type { AgentEndpointConfig, Config } from '../../config/schema.js';

/** Values that fill the `{{NAME}}` placeholders of asterisk-config/. */
export interface AsteriskTemplateVars {
  INSTANCE_DIR: string;
  ENTITY_ID: string;
  MOH_DIR: string;
  [name: string]: string;
}

export function templateVars(
  config: Config,
  /** `modulesDir`: where the root's Asterisk keeps its modules (named after the CPU); default x86_64's. */
  instance: { dir: string; entityId: string; mohDir: string; modulesDir?: string },
): AsteriskTemplateVars {
  const a = config.asterisk;
  return {
    INSTANCE_DIR: instance.dir,
    MODULES_DIR: instance.modulesDir ?? '/usr/lib/x86_64-linux-gnu/asterisk/modules',
    ENTITY_ID: instance.entityId,
    MOH_DIR: instance.mohDir,
    ASTERISK_HTTP_BIND: a.host,
    ASTERISK_HTTP_PORT: String(a.httpPort),
    ARI_USER: a.ariUser,
    ARI_PASSWORD: a.ariPassword,
    ARI_APP: a.ariApp,
    ASTERISK_HTTP_TLS: httpTls(config, instance.dir),
    ARI_ALLOWED_ORIGINS: `${config.http.tls ? 'https' : 'http'}://${config.http.host}:${config.http.port}`,
    AMI_BIND: a.host,
    AMI_PORT: String(a.amiPort),
    AMI_USER: a.amiUser,
    AMI_SECRET: a.amiSecret,
    AMI_PERMIT: amiPermit(a.host),
    SIP_BIND: a.sipHost,
    SIP_PORT: String(a.sipPort),
    TRUNK_ADDRESS: a.trunkAddress,
    TRUNK_PORT: String(a.trunkPort),
    TRUNK_MEDIA_TIMEOUT:
      a.trunkMediaTimeoutSeconds > 0
        ? `rtp_timeout = ${a.trunkMediaTimeoutSeconds}`
        : '; no media timeout (asterisk.trunkMediaTimeoutSeconds is 0)',
    ...trunkBehindEdge(config),
    MEDIA_ADDRESS: a.mediaAddress,
    RTP_START: String(a.rtpStart),
    RTP_END: String(a.rtpEnd),
    ICE_HOST_CANDIDATES: a.iceHostCandidates.map((c) => `${c.local} => ${c.advertised}`).join('\n'),
    AGENT_ENDPOINTS: config.agents
      .map((agent) =>
        agentEndpoint(agent, a.mediaAddress, a.agentMediaTimeoutSeconds, a.deskPhoneQualifySeconds),
      )
      .join('\n'),
  };
}

/** The carrier trunk's settings that change when carriers reach Asterisk through the SIP edge. */
function trunkBehindEdge(config: Config): Record<string, string> {
  const edge = config.sipEdge;
  if (!edge) {
    return {
      TRUNK_MATCH: config.asterisk.trunkAddress,
      TRUNK_LABEL: 'carrier',
      TRUNK_REWRITE_CONTACT: 'yes',
      TRUNK_OUTBOUND_PROXY: '; no SIP edge (config sipEdge): calls out go straight to the carrier',
    };
  }
  return {
    TRUNK_MATCH: edge.host,
    // The carrier the edge names on the INVITE (its config id; bare addresses are "carrier").
    TRUNK_LABEL: `$\{PJSIP_HEADER(read,X-CC-Carrier)}`, // Asterisk's dialplan expression, not ours
    TRUNK_REWRITE_CONTACT: 'no',
    // pjsip.conf reads ";" as a comment: the loose-routing parameter is escaped.
    TRUNK_OUTBOUND_PROXY: `outbound_proxy = sip:${uriHost(edge.host)}:${edge.port}\\;lr`,
  };
}

/**
 * The SIP WebSocket a softphone page loaded from `hostname` registers on. Over https it must be wss, on the
 * host name the page came from (the one its certificate names, and one the agent's machine reaches);
 * over http, Asterisk's own listener (pages on http work on the service's machine only: see README).
 */
export function softphoneSipWsUrl(config: Config): (hostname: string) => string {
  const a = config.asterisk;
  if (a.sipWsUrl) {
    const fixed = a.sipWsUrl;
    return () => fixed;
  }
  if (config.http.tls) return (hostname) => `wss://${hostname}:${a.wssPort}/ws`;
  const plain = `ws://${a.host}:${a.httpPort}/ws`;
  return () => plain;
}

/** Where the sandbox puts the certificate and key of `http.tls`, as Asterisk sees them. */
export function tlsFilesIn(instanceDir: string): { cert: string; key: string } {
  return { cert: `${instanceDir}/etc/tls/cert.pem`, key: `${instanceDir}/etc/tls/key.pem` };
}

/**
 * With `http.tls`, a second listener for wss: the softphone page is served over https, and a browser lets an
 * https page open only wss. It binds where the pages do (the agents' side); ARI stays on the plain one.
 */
function httpTls(config: Config, instanceDir: string): string {
  if (!config.http.tls) return '; no TLS listener (http.tls is not set)';
  const files = tlsFilesIn(instanceDir);
  return [
    'tlsenable = yes',
    `tlsbindaddr = ${uriHost(config.http.host)}:${config.asterisk.wssPort}`,
    `tlscertfile = ${files.cert}`,
    `tlsprivatekey = ${files.key}`,
  ].join('\n');
}

function amiPermit(host: string): string {
  // The AMI user may log in only from where the service runs: loopback, or the configured host.
  return host.startsWith('127.') || host === 'localhost' ? '127.0.0.0/255.0.0.0' : `${host}/255.255.255.255`;
}

/** pjsip objects for one agent seat: a WebRTC softphone page, or a SIP phone on UDP. */
export function agentEndpoint(
  agent: AgentEndpointConfig,
  mediaAddress: string,
  mediaTimeoutSeconds = 0,
  qualifySeconds = 0,
): string {
  const common = [
    `[${agent.id}]`,
    'type = endpoint',
    'context = from-agents',
    'disallow = all',
    `auth = ${agent.id}`,
    `aors = ${agent.id}`,
    'direct_media = no',
    `callerid = "${agent.name.replaceAll('"', '')}" <${agent.id}>`,
    `media_address = ${mediaAddress}`,
    'bind_rtp_to_media_address = yes',
  ];
  const transport =
    agent.transport === 'webrtc'
      ? [
          'transport = transport-ws',
          'webrtc = yes',
          'dtls_auto_generate_cert = yes',
          'allow = opus,ulaw',
          // A page that stopped sending audio is gone: Asterisk ends the leg (the ACD re-queues the caller).
          // Desk phones are left out: a phone on hold or with silence suppression may send nothing.
          ...(mediaTimeoutSeconds > 0 ? [`rtp_timeout = ${mediaTimeoutSeconds}`] : []),
        ]
      : ['transport = transport-udp', 'allow = ulaw,alaw', 'dtmf_mode = rfc4733', 'rtp_symmetric = yes'];
  const auth = [
    '',
    `[${agent.id}]`,
    'type = auth',
    'auth_type = userpass',
    `username = ${agent.id}`,
    `password = ${agent.password ?? ''}`,
  ];
  const aor = [
    '',
    `[${agent.id}]`,
    'type = aor',
    // One registration per seat: signing in on another device replaces the previous one.
    'max_contacts = 1',
    'remove_existing = yes',
    ...(agent.contact ? [`contact = ${agent.contact}`] : []),
    // A desk phone that stops answering OPTIONS is not rung (Asterisk refuses the call at once: the ACD offers
    // the next agent) until it answers again. Pages are watched by their audio instead.
    ...(agent.transport !== 'webrtc' && qualifySeconds > 0 ? [`qualify_frequency = ${qualifySeconds}`] : []),
  ];
  return [...common, ...transport, ...auth, ...aor, ''].join('\n');
}

/** Fills every placeholder; a placeholder without a value is an error, not an empty string. */
export function renderTemplate(name: string, text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_match, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`asterisk-config/${name}: no value for {{${key}}}`);
    return value;
  });
}

/** Reads asterisk-config/*.conf and renders each one. */
export function renderAsteriskConfig(templateDir: string, vars: Record<string, string>): Map<string, string> {
  const rendered = new Map<string, string>();
  for (const name of readdirSync(templateDir).filter((n) => n.endsWith('.conf'))) {
    rendered.set(name, renderTemplate(name, readFileSync(join(templateDir, name), 'utf8'), vars));
  }
  return rendered;
}

/**
 * The project's asterisk-config/, which the sandbox (and the container) render Asterisk's configuration
 * from: next to the sources when running from src/ (tsx), or above dist/ when built. Undefined when absent
 * (Asterisk configured some other way).
 */
export function defaultTemplateDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [
    join(here, '..', '..', '..', 'asterisk-config'),
    join(here, '..', '..', '..', '..', 'asterisk-config'),
  ].find((dir) => existsSync(join(dir, 'musiconhold.conf')));
}

/**
 * The hold music classes musiconhold.conf defines (its sections but `general`; a template section, marked
 * `(!)`, is no class), or undefined when the file cannot be read: then they cannot be known.
 */
export function holdMusicClasses(
  templateDir: string | undefined = defaultTemplateDir(),
): Set<string> | undefined {
  if (!templateDir) return undefined;
  let text: string;
  try {
    text = readFileSync(join(templateDir, 'musiconhold.conf'), 'utf8');
  } catch {
    return undefined;
  }
  const classes = new Set<string>();
  for (const line of text.split('\n')) {
    const section = /^\s*\[([^\]]+)\]\s*(\(([^)]*)\))?/.exec(line);
    if (!section) continue;
    const name = section[1]!.trim();
    const isTemplate = (section[3] ?? '').split(',').some((option) => option.trim() === '!');
    if (name !== 'general' && !isTemplate) classes.add(name);
  }
  return classes;
}
