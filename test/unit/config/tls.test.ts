import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { problemsOf } from './problems.js';
import { readTlsPair } from '../../../src/config/tls.js';

/** Two self-signed pairs made by the project's own script (openssl, installed by setup.sh). */
function makePair(host: string): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tls-unit-'));
  execFileSync(join(process.cwd(), 'scripts', 'make-cert.sh'), [host, dir], { stdio: 'pipe' });
  return { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
}
const one = makePair('agents.example.test');
const other = makePair('203.0.113.9');

const load = (env: Record<string, string>) =>
  loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'cfg-tls-')), env });

describe('http.tls', () => {
  it('takes the certificate and key from the environment, as absolute paths', () => {
    const config = load({ CC_HTTP_TLS_CERT: one.certFile, CC_HTTP_TLS_KEY: one.keyFile });
    expect(config.http.tls).toEqual(one);
    expect(config.asterisk.wssPort).toBe(8089);
    const pair = readTlsPair(one);
    expect(pair.cert.toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('refuses half a pair, naming the missing field', () => {
    const problems = problemsOf(() => load({ CC_HTTP_TLS_CERT: one.certFile }));
    expect(problems.join('\n')).toMatch(/^http\.tls\.keyFile: /m);
  });

  it('refuses a file it cannot read, naming the field and the variable it came from', () => {
    const problems = problemsOf(() =>
      load({ CC_HTTP_TLS_CERT: '/nonexistent/cert.pem', CC_HTTP_TLS_KEY: one.keyFile }),
    );
    expect(problems).toEqual([
      'http.tls.certFile: cannot read /nonexistent/cert.pem: ENOENT (from CC_HTTP_TLS_CERT)',
    ]);
  });

  it('refuses a certificate file that holds no certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-bad-'));
    writeFileSync(join(dir, 'cert.pem'), 'not a certificate\n');
    const problems = problemsOf(() =>
      load({ CC_HTTP_TLS_CERT: join(dir, 'cert.pem'), CC_HTTP_TLS_KEY: one.keyFile }),
    );
    expect(problems).toEqual([
      `http.tls.certFile: ${join(dir, 'cert.pem')} is not a PEM certificate (from CC_HTTP_TLS_CERT)`,
    ]);
  });

  it("refuses a key that is not the certificate's own", () => {
    const problems = problemsOf(() =>
      load({ CC_HTTP_TLS_CERT: one.certFile, CC_HTTP_TLS_KEY: other.keyFile }),
    );
    expect(problems).toEqual([
      `http.tls.keyFile: ${other.keyFile} is not the private key of the certificate in ${one.certFile} (from CC_HTTP_TLS_KEY)`,
    ]);
  });

  it('refuses a key file that is not a key', () => {
    const problems = problemsOf(() =>
      load({ CC_HTTP_TLS_CERT: one.certFile, CC_HTTP_TLS_KEY: one.certFile }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^http\.tls\.keyFile: .* is not a usable PEM private key/);
  });

  it('refuses an expired certificate, saying when it expired', () => {
    const problems = problemsOf(() => readTlsPair(one, {}, new Date('2100-01-01T00:00:00Z')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^http\.tls\.certFile: the certificate in .* expired on .* GMT$/);
  });

  it("refuses Asterisk's wss port on its plain http port", () => {
    const problems = problemsOf(() =>
      load({
        CC_HTTP_TLS_CERT: one.certFile,
        CC_HTTP_TLS_KEY: one.keyFile,
        CC_ASTERISK_WSS_PORT: '8088',
      }),
    );
    expect(problems).toEqual([
      'asterisk.wssPort: must differ from asterisk.httpPort (8088): Asterisk listens on both',
    ]);
  });
});
