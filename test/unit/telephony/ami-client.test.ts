/** The AMI client against a stand-in AMI server on 127.0.0.1 that can stop answering. */
import { createServer, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AmiClient } from '../../../src/telephony/ami/ami-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Answers every action with Success, until told to go silent; may never answer the login. */
async function fakeAmi(answerLogin: boolean) {
  let connections = 0;
  let silent = false;
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    connections++;
    sockets.push(s);
    s.write('Asterisk Call Manager/9.0.0\r\n');
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\r\n\r\n'); i >= 0; i = buf.indexOf('\r\n\r\n')) {
        const msg = buf.slice(0, i);
        buf = buf.slice(i + 4);
        const id = /ActionID: (.*)/i.exec(msg)?.[1];
        if (/Action: login/i.test(msg) && !answerLogin) continue;
        if (silent) continue;
        s.write(`Response: Success\r\nActionID: ${id}\r\nMessage: ok\r\n\r\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake = {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    goSilent: () => {
      silent = true;
    },
  };
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return fake;
}

function client(port: number) {
  const c = new AmiClient({
    host: '127.0.0.1',
    port,
    user: 'u',
    secret: 's',
    logger: pino({ level: 'silent' }),
    actionTimeoutMs: 300,
    pingMs: 400,
    loginTimeoutMs: 600,
  });
  cleanups.unshift(() => c.close());
  return c;
}

describe('AmiClient liveness', () => {
  it('drops and dials again a link that stopped answering, instead of staying "up" for ever', async () => {
    const ami = await fakeAmi(true);
    const c = client(ami.port);
    c.open();
    await sleep(200);
    expect(c.isConnected).toBe(true);
    ami.goSilent();
    await sleep(1200); // a ping goes unanswered
    expect(c.isConnected).toBe(false);
    expect(ami.connections()).toBeGreaterThanOrEqual(2);
  });

  it('gives up a login that is never answered and tries again', async () => {
    const ami = await fakeAmi(false);
    const c = client(ami.port);
    c.open();
    await sleep(2000);
    expect(c.isConnected).toBe(false);
    expect(ami.connections()).toBeGreaterThanOrEqual(2);
  });
});
