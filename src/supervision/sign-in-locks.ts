/**
 * Password guessing held back: wrong passwords are counted per account and address, and per address alone,
 * and past a limit that account (or the whole address) is locked for a while: even the right password is
 * refused until the lock runs out or a supervisor lifts it. Counted from the API's sign-ins and from the
 * phone server's refused SIP passwords (the same password). Pure: state in, decisions out, clock injected.
 *
 * Locked per address rather than per account alone, so that somebody guessing from elsewhere cannot lock an
 * agent out of their own seat; a second lock on the same pair lasts twice as long (up to a day), so guessing
 * slowly gets slower still.
 */

/** Who signs in: an agent by id, a named supervisor, or the supervisor token (nobody in particular). */
export type SignInAccount =
  | { type: 'agent'; agentId: string }
  | { type: 'supervisor'; supervisorId: string }
  | { type: 'supervisor-token' };

/** Where a wrong password came from: the API's sign-in, or a SIP REGISTER/INVITE the phone server refused. */
export type SignInChannel = 'api' | 'sip';

export interface SignInLockPolicy {
  /** Wrong passwords for one account from one address (within `windowMs`) that lock the pair. */
  failures: number;
  /** Wrong passwords from one address, any accounts, that lock the address for every account. */
  addressFailures: number;
  /** How long a wrong password counts. */
  windowMs: number;
  /** The first lock's length; each further lock of the same pair or address doubles it, up to a day. */
  lockMs: number;
}

export const DEFAULT_SIGN_IN_LOCKS: SignInLockPolicy = {
  failures: 5,
  addressFailures: 30,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

const LONGEST_LOCK_MS = 24 * 3600_000;
/** Past this many remembered pairs and addresses, the quiet ones are forgotten (a scan from many addresses). */
const REMEMBERED = 10_000;

/** A lock in force: the account from the address (or, without `account`, every account from it). */
export interface SignInLock {
  /** `<account key>@<address>`, or `*@<address>` for a whole address: what a supervisor lifts. */
  id: string;
  account?: SignInAccount;
  address: string;
  /** The wrong passwords that locked it. */
  failures: number;
  /** Locks of this pair or address in a row (without a right password or a lifting between). */
  strike: number;
  lockedAt: number;
  until: number;
  /** Where the last wrong password came in. */
  channel: SignInChannel;
}

/** The outcome of a wrong password: locks it raised (none yet: how many tries are left first). */
export interface SignInFailure {
  locked: SignInLock[];
  triesLeft: number;
}

interface Tally {
  failures: number[];
  strikes: number;
  lock?: SignInLock;
}

/** What identifies an account in a lock's id: the agent's id, `~<supervisor id>`, or `~` for the token. */
export function accountKey(account: SignInAccount): string {
  if (account.type === 'agent') return account.agentId;
  return account.type === 'supervisor' ? `~${account.supervisorId}` : '~';
}

/** Who a lock is, in words: "agent anna from 10.0.0.9", "every sign-in from 10.0.0.9". */
export function lockedWho(lock: Pick<SignInLock, 'account' | 'address'>): string {
  if (!lock.account) return `every sign-in from ${lock.address}`;
  const who =
    lock.account.type === 'agent'
      ? `agent ${lock.account.agentId}`
      : lock.account.type === 'supervisor'
        ? `supervisor ${lock.account.supervisorId}`
        : 'the supervisor token';
  return `${who} from ${lock.address}`;
}

export class SignInLocks {
  private readonly pairs = new Map<string, Tally>();
  private readonly addresses = new Map<string, Tally>();
  private readonly lockListeners = new Set<(lock: SignInLock) => void>();

  constructor(
    private readonly policy: SignInLockPolicy,
    /** The locks' clock (a lifting is on record at its time). */
    readonly now: () => number,
    /** Locks in force when the service last stopped (on record): they hold on, and count their strikes. */
    standing: readonly SignInLock[] = [],
  ) {
    for (const lock of standing) {
      const tally: Tally = { failures: [], strikes: lock.strike, lock: { ...lock } };
      if (lock.account) this.pairs.set(pairId(lock.account, lock.address), tally);
      else this.addresses.set(lock.address, tally);
    }
  }

  /** The lock that refuses this account from this address now, if any (the address's first). */
  inForce(account: SignInAccount, address: string): SignInLock | undefined {
    const at = this.now();
    const whole = this.addresses.get(address)?.lock;
    if (whole && whole.until > at) return whole;
    const pair = this.pairs.get(pairId(account, address))?.lock;
    return pair && pair.until > at ? pair : undefined;
  }

  /** A wrong password: counted for the pair and the address; the locks it raised, or the tries left. */
  failed(account: SignInAccount, address: string, channel: SignInChannel): SignInFailure {
    const at = this.now();
    const since = at - this.policy.windowMs;
    this.forgetQuiet(since);
    const pairTally = tallyIn(this.pairs, pairId(account, address));
    const addressTally = tallyIn(this.addresses, address);
    const locked: SignInLock[] = [];
    for (const [tally, limit, who] of [
      [pairTally, this.policy.failures, account],
      [addressTally, this.policy.addressFailures, undefined],
    ] as const) {
      tally.failures = tally.failures.filter((t) => t > since);
      tally.failures.push(at);
      if (tally.lock && tally.lock.until > at) {
        tally.lock.channel = channel; // still locked (a SIP attempt goes on regardless): one more tried
        continue;
      }
      if (tally.failures.length < limit) continue;
      tally.strikes += 1;
      tally.lock = {
        id: `${who ? accountKey(who) : '*'}@${address}`,
        ...(who ? { account: who } : {}),
        address,
        failures: tally.failures.length,
        strike: tally.strikes,
        lockedAt: at,
        until: at + Math.min(LONGEST_LOCK_MS, this.policy.lockMs * 2 ** (tally.strikes - 1)),
        channel,
      };
      tally.failures = [];
      locked.push(tally.lock);
    }
    const triesLeft = Math.max(
      0,
      Math.min(
        this.policy.failures - pairTally.failures.length,
        this.policy.addressFailures - addressTally.failures.length,
      ),
    );
    for (const lock of locked) for (const listener of this.lockListeners) listener(lock);
    return { locked, triesLeft };
  }

  /** Tells `listener` of every lock raised (put on the supervisors' stream), whichever way it came. */
  onLock(listener: (lock: SignInLock) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** The right password: the pair's count and strikes start again (the address's do not: one known password must not wipe a scan). */
  succeeded(account: SignInAccount, address: string): void {
    // Only reached when no lock is in force (inForce first): an ended lock's strikes go with the count.
    this.pairs.delete(pairId(account, address));
  }

  /** Every lock in force now, the newest first. */
  standing(): SignInLock[] {
    const at = this.now();
    return [...this.addresses.values(), ...this.pairs.values()]
      .flatMap((t) => (t.lock && t.lock.until > at ? [t.lock] : []))
      .sort((a, b) => b.lockedAt - a.lockedAt);
  }

  /** A supervisor lifts a lock: the pair (or address) starts again with no count and no strikes. */
  lift(lockId: string): SignInLock | undefined {
    const lock = this.standing().find((l) => l.id === lockId);
    if (!lock) return undefined;
    if (lock.account) this.pairs.delete(pairId(lock.account, lock.address));
    else this.addresses.delete(lock.address);
    return lock;
  }

  /** Bounds memory under a scan from many addresses: forgets tallies with no lock and nothing recent. */
  private forgetQuiet(since: number): void {
    if (this.pairs.size + this.addresses.size < REMEMBERED) return;
    const at = this.now();
    for (const map of [this.pairs, this.addresses]) {
      for (const [key, tally] of map) {
        const locked = tally.lock !== undefined && tally.lock.until > at - LONGEST_LOCK_MS;
        if (!locked && !tally.failures.some((t) => t > since)) map.delete(key);
      }
    }
  }
}

function pairId(account: SignInAccount, address: string): string {
  return `${accountKey(account)}@${address}`;
}

function tallyIn(map: Map<string, Tally>, key: string): Tally {
  let tally = map.get(key);
  if (!tally) {
    tally = { failures: [], strikes: 0 };
    map.set(key, tally);
  }
  return tally;
}
