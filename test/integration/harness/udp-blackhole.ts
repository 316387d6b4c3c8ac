import { execFileSync } from 'node:child_process';

/** The veth end that scripts/in-netns.sh leaves without a carrier: whatever is sent there is dropped. */
const DEAD_DEVICE = 'ccv0';
let nextPriority = 10;

/**
 * Drops every UDP packet to or from `port` on loopback for good, as a network path that is gone does
 * (a laptop leaving its Wi-Fi): packets still go out, none arrive. Made with tc on loopback's ingress,
 * redirecting the matching packets to the test namespace's dead veth. Only inside that namespace
 * (CC_NETNS, set by scripts/in-netns.sh), never on the machine's own loopback. Returns the function that
 * lifts it.
 */
export function blackholeUdpPort(port: number): () => void {
  if (!process.env.CC_NETNS) {
    throw new Error(
      'blackholeUdpPort runs only inside the test namespace (scripts/in-netns.sh sets CC_NETNS)',
    );
  }
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a UDP port: ${port}`);
  const tc = (...args: string[]) => execFileSync('tc', args, { encoding: 'utf8', stdio: 'pipe' });
  // The ingress hook is shared by every blackhole of the run; adding it twice is refused, so look first.
  if (!/qdisc ingress ffff:/.test(tc('qdisc', 'show', 'dev', 'lo')))
    tc('qdisc', 'add', 'dev', 'lo', 'ingress');
  const priority = String(nextPriority++);
  for (const side of ['sport', 'dport']) {
    tc(
      ...['filter', 'add', 'dev', 'lo', 'parent', 'ffff:', 'protocol', 'ip', 'prio', priority, 'u32'],
      ...['match', 'ip', 'protocol', '17', '0xff', 'match', 'ip', side, String(port), '0xffff'],
      ...['action', 'mirred', 'egress', 'redirect', 'dev', DEAD_DEVICE],
    );
  }
  let lifted = false;
  return () => {
    if (lifted) return;
    lifted = true;
    tc('filter', 'del', 'dev', 'lo', 'parent', 'ffff:', 'protocol', 'ip', 'prio', priority);
  };
}
