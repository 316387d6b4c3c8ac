import { BlockList, isIP } from 'node:net';

/** An IP address or a network written `address/prefix`, in the form the SIP edge's config takes. */
export interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses `203.0.113.7` or `203.0.113.0/24` (IPv6 too); a bare address is a network of one. */
export function parseNetwork(text: string): Network | { error: string } {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined)
    return { error: 'must be an IP address or a network such as 203.0.113.0/24' };
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max)
    return { error: `the prefix after / must be 0 to ${max}` };
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** An address as the host part of a URI: IPv6 in brackets. */
export function uriHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Whether a bind address is every address (0.0.0.0, ::). */
export function isWildcardAddress(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

export function formatNetwork(network: Network): string {
  return `${network.address}/${network.prefix}`;
}

/** Whether `ip` is inside any of `networks`. */
export function inNetworks(ip: string, networks: readonly Network[]): boolean {
  const version = isIP(ip);
  if (version === 0) return false;
  const list = new BlockList();
  for (const n of networks) list.addSubnet(n.address, n.prefix, n.family);
  return list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}

/** What the config's `sipEdge.carriers` lists: an address (of the carrier named "carrier") or a named carrier. */
export type CarrierEntry = string | { id: string; addresses: string[] };

/** A carrier with the networks it sends from; entries of one id (the bare addresses' "carrier") together. */
export interface Carrier {
  id: string;
  networks: Network[];
}

/** The carriers with their networks, and each address that is none, by its field path. */
export function parseCarriers(entries: readonly CarrierEntry[]): {
  carriers: Carrier[];
  problems: string[];
} {
  const byId = new Map<string, Carrier>();
  const named = new Set<string>();
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const id = typeof entry === 'string' ? 'carrier' : entry.id;
    if (typeof entry !== 'string') {
      if (named.has(entry.id))
        problems.push(
          `sipEdge.carriers.${i}.id: ${JSON.stringify(entry.id)} is listed already; give each carrier one entry`,
        );
      named.add(entry.id);
    }
    const carrier = byId.get(id) ?? { id, networks: [] };
    byId.set(id, carrier);
    const texts = typeof entry === 'string' ? [entry] : entry.addresses;
    texts.forEach((text, j) => {
      const parsed = parseNetwork(text);
      const field =
        typeof entry === 'string' ? `sipEdge.carriers.${i}` : `sipEdge.carriers.${i}.addresses.${j}`;
      if ('error' in parsed) problems.push(`${field}: ${parsed.error}, got ${JSON.stringify(text)}`);
      else carrier.networks.push(parsed);
    });
  });
  return { carriers: [...byId.values()], problems };
}
