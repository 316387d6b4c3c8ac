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
