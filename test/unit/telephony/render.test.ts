import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import {
  agentEndpoint,
  defaultTemplateDir,
  holdMusicClasses,
  renderAsteriskConfig,
  renderTemplate,
  softphoneSipWsUrl,
  templateVars,
} from '../../../src/telephony/asterisk-config/render.js';
import { REPO_DIR } from '../../../scripts/sandbox/paths.js';

const config = parseConfig({
  asterisk: {
    ariPassword: 'ari-secret-1',
    amiSecret: 'ami-secret-1',
    iceHostCandidates: [{ local: '198.18.0.2', advertised: '127.0.0.1' }],
  },
  agents: [
    { id: 'agent1', name: 'Ann', transport: 'webrtc', password: 'pw-agent-1' },
    {
      id: 'desk7',
      name: 'Desk "7"',
      transport: 'udp',
      password: 'pw-desk-77',
      contact: 'sip:desk7@127.0.0.1:5099',
    },
  ],
});
const vars = templateVars(config, { dir: '/srv/x', entityId: '00:11:22:33:44:55', mohDir: '/srv/x/moh' });

describe('asterisk-config rendering', () => {
  it('fills every placeholder of every template', () => {
    const rendered = renderAsteriskConfig(join(REPO_DIR, 'asterisk-config'), vars);
    expect(rendered.size).toBeGreaterThan(10);
    for (const [name, text] of rendered) expect(text, name).not.toMatch(/\{\{/);
    expect(rendered.get('ari.conf')).toContain('password = ari-secret-1');
    expect(rendered.get('manager.conf')).toContain('secret = ami-secret-1');
    expect(rendered.get('http.conf')).toContain('bindaddr = 127.0.0.1');
    expect(rendered.get('rtp.conf')).toContain('198.18.0.2 => 127.0.0.1');
    expect(rendered.get('modules.conf')).toMatch(/^autoload = no$/m);
    expect(rendered.get('pjsip.conf')).toMatch(/type = identify\nendpoint = carrier\nmatch = 127\.0\.0\.1/);
    expect(rendered.get('pjsip.conf')).not.toMatch(/anonymous/);
  });

  it('opens no TLS listener without http.tls, and a wss one where the pages are served with it', () => {
    const plain = renderAsteriskConfig(join(REPO_DIR, 'asterisk-config'), vars).get('http.conf');
    expect(plain).not.toMatch(/tlsenable/);
    expect(vars.ARI_ALLOWED_ORIGINS).toBe('http://127.0.0.1:3000');
    const withTls = parseConfig({
      http: { host: '0.0.0.0', port: 443, tls: { certFile: '/etc/ssl/cc.pem', keyFile: '/etc/ssl/cc.key' } },
      asterisk: { ariPassword: 'ari-secret-1', amiSecret: 'ami-secret-1', wssPort: 8443 },
    });
    const tlsVars = templateVars(withTls, {
      dir: '/srv/x',
      entityId: '00:11:22:33:44:55',
      mohDir: '/srv/x/moh',
    });
    const conf = renderAsteriskConfig(join(REPO_DIR, 'asterisk-config'), tlsVars).get('http.conf');
    expect(conf).toContain('bindaddr = 127.0.0.1\nbindport = 8088'); // ARI stays on loopback
    expect(conf).toContain(
      [
        'tlsenable = yes',
        'tlsbindaddr = 0.0.0.0:8443',
        // The sandbox copies the files there: Asterisk in its root cannot read the host's paths.
        'tlscertfile = /srv/x/etc/tls/cert.pem',
        'tlsprivatekey = /srv/x/etc/tls/key.pem',
      ].join('\n'),
    );
    expect(tlsVars.ARI_ALLOWED_ORIGINS).toBe('https://0.0.0.0:443');
    const v6 = parseConfig({
      http: { host: '::', tls: { certFile: '/c', keyFile: '/k' } },
      asterisk: { ariPassword: 'ari-secret-1', amiSecret: 'ami-secret-1' },
    });
    expect(templateVars(v6, { dir: '/d', entityId: 'e', mohDir: '/m' }).ASTERISK_HTTP_TLS).toContain(
      'tlsbindaddr = [::]:8089',
    );
  });

  it("tells the softphone page the wss URL on the page's own host with TLS, Asterisk's ws without", () => {
    expect(softphoneSipWsUrl(config)('agents.example.com')).toBe('ws://127.0.0.1:8088/ws');
    const tls = parseConfig({
      http: { tls: { certFile: '/c', keyFile: '/k' } },
      asterisk: { ariPassword: 'ari-secret-1', amiSecret: 'ami-secret-1' },
    });
    expect(softphoneSipWsUrl(tls)('agents.example.com')).toBe('wss://agents.example.com:8089/ws');
    const proxied = parseConfig({
      http: { tls: { certFile: '/c', keyFile: '/k' } },
      asterisk: {
        ariPassword: 'ari-secret-1',
        amiSecret: 'ami-secret-1',
        sipWsUrl: 'wss://sip.example.com/ws',
      },
    });
    expect(softphoneSipWsUrl(proxied)('agents.example.com')).toBe('wss://sip.example.com/ws');
  });

  it('refuses a placeholder that has no value', () => {
    expect(() => renderTemplate('x.conf', 'a = {{NOPE}}', {})).toThrow(
      'asterisk-config/x.conf: no value for {{NOPE}}',
    );
  });

  it("ends a carrier call whose line went silent: the trunk's media timeout, 60 s unless set, 0 off", () => {
    const carrierEndpoint = (cfg: typeof config) => {
      const pjsip = renderAsteriskConfig(join(REPO_DIR, 'asterisk-config'), templateVars(cfg, instance)).get(
        'pjsip.conf',
      )!;
      // The [carrier] endpoint section, up to the next section.
      return pjsip.match(/\[carrier\]\ntype = endpoint\n[\s\S]*?(?=\n\[)/)![0];
    };
    const instance = { dir: '/srv/x', entityId: '00:11:22:33:44:55', mohDir: '/srv/x/moh' };
    expect(carrierEndpoint(config)).toMatch(/^rtp_timeout = 60$/m);
    expect(carrierEndpoint(config)).not.toMatch(/^rtp_timeout_hold/m);
    const set = (seconds: number) =>
      parseConfig({
        asterisk: {
          ariPassword: 'ari-secret-1',
          amiSecret: 'ami-secret-1',
          trunkMediaTimeoutSeconds: seconds,
        },
      });
    expect(carrierEndpoint(set(90))).toMatch(/^rtp_timeout = 90$/m);
    expect(carrierEndpoint(set(0))).not.toMatch(/^rtp_timeout/m);
    expect(() => set(-1)).toThrow(/trunkMediaTimeoutSeconds/);
  });

  it('gives a WebRTC agent a ws/DTLS endpoint and a desk phone a UDP one, each with one contact', () => {
    const web = agentEndpoint(config.agents[0]!, '127.0.0.1');
    expect(web).toContain('transport = transport-ws');
    expect(web).toContain('webrtc = yes');
    expect(web).toContain('password = pw-agent-1');
    expect(web).toContain('max_contacts = 1');
    expect(web).not.toContain('rtp_timeout');
    expect(agentEndpoint(config.agents[0]!, '127.0.0.1', 20)).toContain('rtp_timeout = 20');
    const desk = agentEndpoint(config.agents[1]!, '127.0.0.1', 20);
    expect(desk).not.toContain('rtp_timeout');
    // Desk phones are asked whether they are there (OPTIONS) when set; pages never (their audio is watched).
    expect(desk).not.toContain('qualify_frequency');
    expect(agentEndpoint(config.agents[1]!, '127.0.0.1', 20, 60)).toMatch(/^qualify_frequency = 60$/m);
    expect(agentEndpoint(config.agents[0]!, '127.0.0.1', 20, 60)).not.toContain('qualify_frequency');
    expect(templateVars(config, { dir: '/x', entityId: 'e', mohDir: '/m' }).AGENT_ENDPOINTS).toMatch(
      /\[desk7\]\ntype = aor\n[^[]*qualify_frequency = 60/,
    );
    expect(desk).toContain('transport = transport-udp');
    expect(desk).toContain('contact = sip:desk7@127.0.0.1:5099');
    expect(desk).toContain('callerid = "Desk 7" <desk7>');
  });
});

describe("Asterisk's hold music classes", () => {
  it("are read from the project's musiconhold.conf, which the service finds by itself", () => {
    expect(defaultTemplateDir()).toBe(join(REPO_DIR, 'asterisk-config'));
    expect(holdMusicClasses()).toEqual(new Set(['default']));
  });

  it('are the sections but general and templates; unknown when the file cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moh-'));
    writeFileSync(
      join(dir, 'musiconhold.conf'),
      '[general]\n; a comment\n[base](!)\nmode = files\n[default](base)\ndirectory = /x\n [jazz] \nmode=files\n',
    );
    expect(holdMusicClasses(dir)).toEqual(new Set(['default', 'jazz']));
    expect(holdMusicClasses(join(dir, 'nowhere'))).toBeUndefined();
  });
});
