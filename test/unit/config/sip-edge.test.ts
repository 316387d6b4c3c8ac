import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { inNetworks, parseNetwork } from '../../../src/config/networks.js';
import { problemsOf } from './problems.js';

const secrets = { ariPassword: 'ari-secret-1', amiSecret: 'ami-secret-1' };

describe('networks', () => {
  it('reads addresses and networks, IPv4 and IPv6, and says what is wrong with the rest', () => {
    expect(parseNetwork('203.0.113.7')).toEqual({ address: '203.0.113.7', prefix: 32, family: 'ipv4' });
    expect(parseNetwork(' 203.0.113.0/24 ')).toEqual({ address: '203.0.113.0', prefix: 24, family: 'ipv4' });
    expect(parseNetwork('2001:db8::/32')).toEqual({ address: '2001:db8::', prefix: 32, family: 'ipv6' });
    expect(parseNetwork('2001:db8::1')).toMatchObject({ prefix: 128 });
    expect(parseNetwork('carrier.example.com')).toEqual({
      error: 'must be an IP address or a network such as 203.0.113.0/24',
    });
    expect(parseNetwork('203.0.113.0/33')).toEqual({ error: 'the prefix after / must be 0 to 32' });
    expect(parseNetwork('203.0.113.0/')).toEqual({ error: 'the prefix after / must be 0 to 32' });
    expect(parseNetwork('203.0.113.0/8/1')).toMatchObject({ error: expect.any(String) });
  });

  it('finds an address inside a network and not outside it', () => {
    const carriers = ['203.0.113.0/24', '198.51.100.9', '2001:db8::/32'].map((t) => parseNetwork(t));
    const networks = carriers.filter((n) => !('error' in n)) as Exclude<
      (typeof carriers)[number],
      { error: string }
    >[];
    expect(inNetworks('203.0.113.200', networks)).toBe(true);
    expect(inNetworks('203.0.114.1', networks)).toBe(false);
    expect(inNetworks('198.51.100.9', networks)).toBe(true);
    expect(inNetworks('198.51.100.10', networks)).toBe(false);
    expect(inNetworks('2001:db8:5::1', networks)).toBe(true);
    expect(inNetworks('2001:db9::1', networks)).toBe(false);
    expect(inNetworks('not-an-ip', networks)).toBe(false);
  });
});

describe('config sipEdge', () => {
  it('is off unless given, and takes its defaults (carriers: the trunk address)', () => {
    expect(parseConfig({ asterisk: secrets }).sipEdge).toBeUndefined();
    expect(parseConfig({ asterisk: secrets, sipEdge: {} }).sipEdge).toEqual({
      host: '127.0.0.1',
      port: 5080,
      floodRequests: 16,
    });
  });

  it('refuses carriers that are not addresses, one without the trunk address, and a port Asterisk has', () => {
    expect(
      problemsOf(() =>
        parseConfig({ asterisk: secrets, sipEdge: { carriers: ['sip.carrier.example', '10.0.0.0/40'] } }),
      ),
    ).toEqual([
      'sipEdge.carriers.0: must be an IP address or a network such as 203.0.113.0/24, got "sip.carrier.example"',
      'sipEdge.carriers.1: the prefix after / must be 0 to 32, got "10.0.0.0/40"',
    ]);
    expect(
      problemsOf(() =>
        parseConfig({
          asterisk: { ...secrets, trunkAddress: '198.51.100.9' },
          sipEdge: { carriers: ['203.0.113.0/24'] },
        }),
      ),
    ).toEqual([
      "sipEdge.carriers: must include asterisk.trunkAddress (198.51.100.9), where Asterisk's calls out go: the edge relays only towards carriers",
    ]);
    expect(problemsOf(() => parseConfig({ asterisk: secrets, sipEdge: { port: 5060 } }))).toEqual([
      'sipEdge.port: must differ from asterisk.sipPort (5060) on the same address',
    ]);
    expect(problemsOf(() => parseConfig({ asterisk: secrets, sipEdge: { host: 'edge.local' } }))).toEqual([
      'sipEdge.host: must be an IP address, got "edge.local"',
    ]);
    expect(problemsOf(() => parseConfig({ asterisk: secrets, sipEdge: { carriers: [] } }))[0]).toMatch(
      /^sipEdge\.carriers: /,
    );
  });

  it('refuses a named carrier listed twice and names the field of an address that is none', () => {
    expect(
      problemsOf(() =>
        parseConfig({
          asterisk: { ...secrets, trunkAddress: '203.0.113.7' },
          sipEdge: {
            carriers: [
              { id: 'acme', addresses: ['203.0.113.0/24'] },
              { id: 'acme', addresses: ['198.51.100.9', 'nowhere'] },
            ],
          },
        }),
      ),
    ).toEqual([
      'sipEdge.carriers.1.id: "acme" is listed already; give each carrier one entry',
      'sipEdge.carriers.1.addresses.1: must be an IP address or a network such as 203.0.113.0/24, got "nowhere"',
    ]);
    expect(
      problemsOf(() =>
        parseConfig({
          asterisk: secrets,
          sipEdge: { carriers: [{ id: 'Acme Telecom', addresses: ['127.0.0.1'] }] },
        }),
      )[0],
    ).toMatch(/^sipEdge\.carriers\.0(\.id)?: /);
  });

  it('takes carriers as networks that hold the trunk address', () => {
    const config = parseConfig({
      asterisk: { ...secrets, trunkAddress: '203.0.113.7' },
      sipEdge: { host: '192.0.2.10', port: 5060, carriers: ['203.0.113.0/24', '2001:db8::/32'] },
    });
    expect(config.sipEdge?.carriers).toEqual(['203.0.113.0/24', '2001:db8::/32']);
  });
});
