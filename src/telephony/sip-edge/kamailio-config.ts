import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Carrier,
  formatNetwork,
  isWildcardAddress,
  parseCarriers,
  uriHost,
} from '../../config/networks.js';
import type { Config } from '../../config/schema.js';

/** The SIP edge as a config asks for it, with every default applied. */
export interface SipEdgeSettings {
  host: string;
  port: number;
  /** Each carrier with its networks; calls from it reach Asterisk named by its id (X-CC-Carrier). */
  carriers: Carrier[];
  floodRequests: number;
  /** Where Asterisk takes the carriers' calls, and sends its own calls out from. */
  asterisk: { host: string; port: number };
}

/** The config's `sipEdge`, or undefined when carriers reach Asterisk directly. */
export function sipEdgeSettings(config: Config): SipEdgeSettings | undefined {
  const edge = config.sipEdge;
  if (!edge) return undefined;
  const { carriers, problems } = parseCarriers(edge.carriers ?? [config.asterisk.trunkAddress]);
  // parseConfig refused these: this is a config that skipped it.
  if (problems.length > 0) throw new Error(problems.join('; '));
  const a = config.asterisk;
  // Asterisk bound to every address sends to the edge on this machine from the edge's own address.
  const asteriskHost = isWildcardAddress(a.sipHost) ? edge.host : a.sipHost;
  return {
    host: edge.host,
    port: edge.port,
    carriers,
    floodRequests: edge.floodRequests,
    asterisk: { host: asteriskHost, port: a.sipPort },
  };
}

/** The files Kamailio runs with: its script (from sip-edge/kamailio.cfg) and the dispatcher's list. */
export interface SipEdgeFiles {
  'kamailio.cfg': string;
  'dispatcher.list': string;
}

/**
 * Fills the template's `{{NAME}}` placeholders. `dir` is where the files will be (the script names the
 * dispatcher list by path); a placeholder the template has and this does not fill is an error, not a
 * Kamailio that starts with `{{…}}` in its script.
 */
export function renderSipEdgeConfig(
  template: string,
  edge: SipEdgeSettings,
  place: { dir: string; modulesDir: string; logLevel?: number },
): SipEdgeFiles {
  const vars: Record<string, string> = {
    LOG_LEVEL: String(place.logLevel ?? 2),
    EDGE_HOST: edge.host,
    EDGE_PORT: String(edge.port),
    ASTERISK_HOST: edge.asterisk.host,
    ASTERISK_PORT: String(edge.asterisk.port),
    CARRIERS: edge.carriers
      .flatMap((c) => c.networks)
      .map(formatNetwork)
      .join(','),
    CARRIER_NAMING: carrierNaming(edge.carriers),
    FLOOD_REQUESTS: String(edge.floodRequests),
    MODULES_DIR: place.modulesDir,
    DISPATCHER_LIST: join(place.dir, 'dispatcher.list'),
  };
  const script = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`sip-edge/kamailio.cfg: no value for ${whole}`);
    return value;
  });
  return {
    'kamailio.cfg': script,
    // Set 1: the Asterisk that takes the carriers' calls (more lines, more Asterisks taking turns).
    'dispatcher.list': `1 sip:${uriHost(edge.asterisk.host)}:${edge.asterisk.port} 0 0\n`,
  };
}

export function readSipEdgeTemplate(repoDir: string): string {
  return readFileSync(join(repoDir, 'sip-edge', 'kamailio.cfg'), 'utf8');
}

/** Script lines setting `$var(carrier)` to the id of the carrier the request came from (the first match). */
function carrierNaming(carriers: readonly Carrier[]): string {
  return carriers
    .map((c, i) => {
      const test = `is_in_subnet("$si", "${c.networks.map(formatNetwork).join(',')}")`;
      return `\t${i === 0 ? 'if' : 'else if'} (${test}) $var(carrier) = "${c.id}";`;
    })
    .concat('\telse $var(carrier) = "carrier";')
    .join('\n');
}
