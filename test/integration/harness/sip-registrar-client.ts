/**
 * A softphone app at its smallest, over UDP on 127.0.0.1: it registers with Asterisk on its own credentials
 * (answering the digest challenge, RFC 2617 MD5 with qop=auth), unregisters (Expires: 0), and answers
 * Asterisk's OPTIONS (a qualify) with 200 OK while it runs. Calls are not its business: an INVITE gets 486.
 * SIPp could register, but not stay around answering OPTIONS between its own scenario steps.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const token = () => randomBytes(6).toString('hex');

interface SipMessage {
  firstLine: string;
  headers: Map<string, string[]>;
}

function parse(text: string): SipMessage {
  const [head = ''] = text.split('\r\n\r\n');
  const [firstLine = '', ...lines] = head.split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { firstLine, headers };
}

const header = (message: SipMessage, name: string) => message.headers.get(name)?.[0] ?? '';

/** The digest answer to a WWW-Authenticate challenge for `method` on `uri`. */
function authorization(
  challenge: string,
  user: string,
  password: string,
  method: string,
  uri: string,
): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = token();
  const nc = '00000001';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = /qop="?[^"]*auth/.test(challenge);
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const parts = [`username="${user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`];
  parts.push(`response="${response}"`, 'algorithm=MD5');
  if (qop) parts.push('qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
  const opaque = param('opaque');
  if (opaque) parts.push(`opaque="${opaque}"`);
  return `Digest ${parts.join(', ')}`;
}

export interface RegisteringPhone {
  /** Registers (or refreshes) for `expires` seconds; 0 unregisters. Resolves on Asterisk's 200 OK. */
  register(expires?: number): Promise<void>;
  /** How many OPTIONS it has answered. */
  readonly optionsAnswered: number;
  close(): Promise<void>;
}

export async function startRegisteringPhone(options: {
  user: string;
  password: string;
  port: number;
  /** Asterisk's SIP UDP port on 127.0.0.1. */
  registrarPort: number;
}): Promise<RegisteringPhone> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(options.port, '127.0.0.1', () => resolve()));
  const callId = `${token()}@127.0.0.1`;
  const fromTag = token();
  let cseq = 0;
  let answered = 0;
  const waiting = new Map<number, (response: SipMessage) => void>();
  const send = (text: string) =>
    new Promise<void>((resolve, reject) =>
      socket.send(text, options.registrarPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );

  socket.on('message', (data) => {
    const text = data.toString('utf8');
    const message = parse(text);
    if (message.firstLine.startsWith('SIP/2.0 ')) {
      const status = Number(message.firstLine.split(' ')[1]);
      const number = Number(header(message, 'cseq').split(' ')[0]);
      if (status >= 200) waiting.get(number)?.(message);
      return;
    }
    // A request from Asterisk: OPTIONS answered 200, anything else 486 (ACK needs no answer).
    const method = message.firstLine.split(' ')[0];
    if (method === 'ACK') return;
    if (method === 'OPTIONS') answered++;
    const status = method === 'OPTIONS' || method === 'BYE' ? '200 OK' : '486 Busy Here';
    const vias = message.headers.get('via') ?? [];
    const reply = [
      `SIP/2.0 ${status}`,
      ...vias.map((via) => `Via: ${via}`),
      `From: ${header(message, 'from')}`,
      `To: ${header(message, 'to')}${/;tag=/.test(header(message, 'to')) ? '' : `;tag=${token()}`}`,
      `Call-ID: ${header(message, 'call-id')}`,
      `CSeq: ${header(message, 'cseq')}`,
      `Contact: <sip:${options.user}@127.0.0.1:${options.port}>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    void send(reply);
  });

  const registrar = `sip:127.0.0.1:${options.registrarPort}`;
  const request = (expires: number, auth?: string) => {
    cseq++;
    return {
      cseq,
      text: [
        `REGISTER ${registrar} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${options.port};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        `From: <sip:${options.user}@127.0.0.1>;tag=${fromTag}`,
        `To: <sip:${options.user}@127.0.0.1>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${options.user}@127.0.0.1:${options.port}>`,
        `Expires: ${expires}`,
        ...(auth ? [`Authorization: ${auth}`] : []),
        'User-Agent: cc-test-registering-phone',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    };
  };
  const exchange = async (message: { cseq: number; text: string }): Promise<SipMessage> => {
    const answer = new Promise<SipMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Asterisk did not answer the REGISTER in 5 s')), 5000);
      waiting.set(message.cseq, (response) => {
        clearTimeout(timer);
        waiting.delete(message.cseq);
        resolve(response);
      });
    });
    await send(message.text);
    return answer;
  };

  return {
    async register(expires = 300) {
      let response = await exchange(request(expires));
      if (response.firstLine.startsWith('SIP/2.0 401')) {
        const auth = authorization(
          header(response, 'www-authenticate'),
          options.user,
          options.password,
          'REGISTER',
          registrar,
        );
        response = await exchange(request(expires, auth));
      }
      if (!response.firstLine.startsWith('SIP/2.0 200'))
        throw new Error(`REGISTER of ${options.user} refused: ${response.firstLine}`);
    },
    get optionsAnswered() {
      return answered;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
