import WebSocket from 'ws';

/** Where and as whom the service reaches ARI. */
export interface AriCredentials {
  /** e.g. http://127.0.0.1:8088 */
  baseUrl: string;
  user: string;
  password: string;
}

export const basicAuthorization = ({ user, password }: AriCredentials): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * A WebSocket on ARI's `/ari/events` as the Stasis application `app`, subscribed to nothing beyond what its
 * own channels and bridges bring. The event stream uses one; the request sockets register their own app.
 */
export function openAppSocket(credentials: AriCredentials, app: string): WebSocket {
  const url = new URL('/ari/events', credentials.baseUrl.replace(/^http/, 'ws'));
  url.searchParams.set('app', app);
  url.searchParams.set('subscribeAll', 'false');
  return new WebSocket(url, {
    headers: { authorization: basicAuthorization(credentials) },
    handshakeTimeout: 5000,
    perMessageDeflate: false,
  });
}

/**
 * Pings the socket every `intervalMs` once open; one that missed the last pong is terminated, so a link that
 * died without a close (host gone, network cut) is noticed and redialled. Clear the returned interval on close.
 */
export function keepAlive(socket: WebSocket, intervalMs: number): NodeJS.Timeout {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  return setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, intervalMs);
}
