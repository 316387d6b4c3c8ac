import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from './load.js';

/** The PEM certificate and key the service and Asterisk serve https / wss with. */
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads `http.tls` and checks it at start-up, so a wrong file stops the service with its name instead of
 * every browser failing later: both files readable, a PEM certificate, currently valid, and the key its own.
 */
export function readTlsPair(
  tls: { certFile: string; keyFile: string },
  sources: Record<string, string> = {},
  now = new Date(),
): TlsPair {
  const from = (field: string) => (sources[field] ? ` (from ${sources[field]})` : '');
  const read = (field: string, path: string): Buffer | string => {
    try {
      return readFileSync(path);
    } catch (error) {
      return `${field}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}${from(field)}`;
    }
  };
  const cert = read('http.tls.certFile', tls.certFile);
  const key = read('http.tls.keyFile', tls.keyFile);
  const problems = [cert, key].filter((v): v is string => typeof v === 'string');
  if (problems.length > 0) throw new ConfigError(problems);
  const pair = { cert: cert as Buffer, key: key as Buffer };

  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pair.cert);
  } catch {
    throw new ConfigError([
      `http.tls.certFile: ${tls.certFile} is not a PEM certificate${from('http.tls.certFile')}`,
    ]);
  }
  if (new Date(certificate.validTo) < now) {
    throw new ConfigError([
      `http.tls.certFile: the certificate in ${tls.certFile} expired on ${certificate.validTo}${from('http.tls.certFile')}`,
    ]);
  }
  try {
    createSecureContext(pair);
  } catch (error) {
    const reason = /mismatch/i.test((error as Error).message)
      ? `is not the private key of the certificate in ${tls.certFile}`
      : `is not a usable PEM private key (${(error as Error).message})`;
    throw new ConfigError([`http.tls.keyFile: ${tls.keyFile} ${reason}${from('http.tls.keyFile')}`]);
  }
  return pair;
}
