import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config/load.js';
import { renderAsteriskConfig, templateVars } from '../../../../src/telephony/asterisk-config/render.js';
import {
  readSipEdgeTemplate,
  renderSipEdgeConfig,
  sipEdgeSettings,
} from '../../../../src/telephony/sip-edge/kamailio-config.js';
import { REPO_DIR } from '../../../../scripts/sandbox/paths.js';

const secrets = { ariPassword: 'ari-secret-1', amiSecret: 'ami-secret-1' };
const place = { dir: '/srv/cc/edge', modulesDir: '/usr/lib/x86_64-linux-gnu/kamailio/modules' };
const instance = { dir: '/srv/x', entityId: '00:11:22:33:44:55', mohDir: '/srv/x/moh' };

describe('SIP edge (Kamailio) config', () => {
  it('fills every placeholder of sip-edge/kamailio.cfg from the config', () => {
    const config = parseConfig({
      asterisk: { ...secrets, sipHost: '127.0.0.1', sipPort: 5060, trunkAddress: '203.0.113.7' },
      sipEdge: {
        host: '192.0.2.10',
        port: 5060,
        carriers: ['203.0.113.0/24', '198.51.100.9'],
        floodRequests: 40,
      },
    });
    const edge = sipEdgeSettings(config);
    expect(edge).toEqual({
      host: '192.0.2.10',
      port: 5060,
      carriers: [
        {
          id: 'carrier',
          networks: [
            { address: '203.0.113.0', prefix: 24, family: 'ipv4' },
            { address: '198.51.100.9', prefix: 32, family: 'ipv4' },
          ],
        },
      ],
      floodRequests: 40,
      asterisk: { host: '127.0.0.1', port: 5060 },
    });
    const files = renderSipEdgeConfig(readSipEdgeTemplate(REPO_DIR), edge!, place);
    const script = files['kamailio.cfg'];
    expect(script).not.toMatch(/\{\{/);
    expect(script).toMatch(/^listen=udp:192\.0\.2\.10:5060$/m);
    expect(script).toMatch(/^listen=tcp:192\.0\.2\.10:5060$/m);
    expect(script).toContain('mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules"');
    expect(script).toContain('modparam("dispatcher", "list_file", "/srv/cc/edge/dispatcher.list")');
    expect(script).toContain('modparam("pike", "reqs_density_per_unit", 40)');
    // Both checks (calls in from carriers, calls out from Asterisk) name the same carriers, and the one
    // carrier of bare addresses is named "carrier".
    expect(
      script.match(/is_in_subnet\("\$[a-z]+", "203\.0\.113\.0\/24,198\.51\.100\.9\/32"\)/g),
    ).toHaveLength(3);
    expect(script).toContain(
      '\tif (is_in_subnet("$si", "203.0.113.0/24,198.51.100.9/32")) $var(carrier) = "carrier";\n\telse $var(carrier) = "carrier";\n',
    );
    expect(script).toContain('if ($si == "127.0.0.1" && $sp == 5060)');
    expect(files['dispatcher.list']).toBe('1 sip:127.0.0.1:5060 0 0\n');
  });

  it('names each carrier on the calls it sends, from its addresses, and nobody else may name one', () => {
    const config = parseConfig({
      asterisk: { ...secrets, trunkAddress: '203.0.113.7' },
      sipEdge: {
        carriers: [
          { id: 'acme', addresses: ['203.0.113.0/24', '2001:db8::/32'] },
          { id: 'globex', addresses: ['198.51.100.9'] },
          '192.0.2.77',
        ],
      },
    });
    const edge = sipEdgeSettings(config)!;
    expect(edge.carriers.map((c) => [c.id, c.networks.length])).toEqual([
      ['acme', 2],
      ['globex', 1],
      ['carrier', 1],
    ]);
    const script = renderSipEdgeConfig(readSipEdgeTemplate(REPO_DIR), edge, place)['kamailio.cfg'];
    expect(script).toContain(
      [
        '\tif (is_in_subnet("$si", "203.0.113.0/24,2001:db8::/32")) $var(carrier) = "acme";',
        '\telse if (is_in_subnet("$si", "198.51.100.9/32")) $var(carrier) = "globex";',
        '\telse if (is_in_subnet("$si", "192.0.2.77/32")) $var(carrier) = "carrier";',
        '\telse $var(carrier) = "carrier";',
      ].join('\n'),
    );
    // A header the carrier sent itself is dropped before the edge's own goes on.
    expect(script.indexOf('remove_hf("X-CC-Carrier")')).toBeGreaterThan(0);
    expect(script.indexOf('remove_hf("X-CC-Carrier")')).toBeLessThan(
      script.indexOf('append_hf("X-CC-Carrier'),
    );
    // Asterisk takes the carrier's name from the edge's header for the call's record.
    const dialplan = renderAsteriskConfig(
      join(REPO_DIR, 'asterisk-config'),
      templateVars(config, instance),
    ).get('extensions.conf')!;
    expect(dialplan).toContain(
      `Stasis(contact-center,inbound,$\{PJSIP_HEADER(read,X-CC-Carrier)},$\{EXTEN})`,
    );
    const direct = renderAsteriskConfig(
      join(REPO_DIR, 'asterisk-config'),
      templateVars(parseConfig({ asterisk: secrets }), instance),
    ).get('extensions.conf')!;
    expect(direct).toContain(`Stasis(contact-center,inbound,carrier,$\{EXTEN})`);
  });

  it('brackets IPv6 in SIP URIs, and has Asterisk bound everywhere send from the edge address', () => {
    const config = parseConfig({
      asterisk: { ...secrets, sipHost: '::', trunkAddress: '2001:db8::7' },
      sipEdge: { host: '2001:db8::10', port: 5070, carriers: ['2001:db8::/32'] },
    });
    const edge = sipEdgeSettings(config)!;
    expect(edge.asterisk).toEqual({ host: '2001:db8::10', port: 5060 });
    expect(renderSipEdgeConfig(readSipEdgeTemplate(REPO_DIR), edge, place)['dispatcher.list']).toBe(
      '1 sip:[2001:db8::10]:5060 0 0\n',
    );
  });

  it('refuses to render a placeholder it has no value for, instead of starting Kamailio with it', () => {
    const edge = sipEdgeSettings(parseConfig({ asterisk: secrets, sipEdge: {} }))!;
    expect(() =>
      renderSipEdgeConfig('listen=udp:{{EDGE_HOST}}:{{EDGE_PORT}}\n{{TYPO}}', edge, place),
    ).toThrow('sip-edge/kamailio.cfg: no value for {{TYPO}}');
  });

  it("puts Asterisk's carrier trunk behind the edge: identified by the edge, calls out through it", () => {
    const direct = renderAsteriskConfig(
      join(REPO_DIR, 'asterisk-config'),
      templateVars(parseConfig({ asterisk: { ...secrets, trunkAddress: '203.0.113.7' } }), instance),
    ).get('pjsip.conf')!;
    expect(direct).toMatch(/type = identify\nendpoint = carrier\nmatch = 203\.0\.113\.7/);
    expect(direct).toMatch(/^rewrite_contact = yes$/m);
    expect(direct).not.toMatch(/^outbound_proxy/m);

    const behind = renderAsteriskConfig(
      join(REPO_DIR, 'asterisk-config'),
      templateVars(
        parseConfig({
          asterisk: { ...secrets, trunkAddress: '203.0.113.7' },
          sipEdge: { host: '192.0.2.10', port: 5080, carriers: ['203.0.113.0/24'] },
        }),
        instance,
      ),
    ).get('pjsip.conf')!;
    expect(behind).toMatch(/type = identify\nendpoint = carrier\nmatch = 192\.0\.2\.10/);
    expect(behind).toMatch(/^rewrite_contact = no$/m);
    expect(behind).toMatch(/^outbound_proxy = sip:192\.0\.2\.10:5080\\;lr$/m);
    // The carrier's contact (where calls out go once past the edge) stays the carrier's.
    expect(behind).toMatch(/^contact = sip:203\.0\.113\.7:5070$/m);
  });
});
