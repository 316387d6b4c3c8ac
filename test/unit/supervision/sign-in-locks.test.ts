/**
 * Sign-in locks (pure): wrong passwords counted per account and address and per address, locks that refuse
 * even the right password, doubling, lifting, and memory bounded under a scan. A clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import {
  type SignInAccount,
  type SignInLock,
  SignInLocks,
  lockedWho,
} from '../../../src/supervision/sign-in-locks.js';

const MIN = 60_000;
const anna: SignInAccount = { type: 'agent', agentId: 'anna' };
const boris: SignInAccount = { type: 'agent', agentId: 'boris' };
const policy = { failures: 3, addressFailures: 5, windowMs: 15 * MIN, lockMs: 10 * MIN };

function locks() {
  const clock = { now: Date.parse('2026-12-06T09:00:00Z') };
  const raised: SignInLock[] = [];
  const guard = new SignInLocks(policy, () => clock.now);
  guard.onLock((lock) => raised.push(lock));
  return { clock, guard, raised };
}

describe('sign-in locks', () => {
  it('locks an account from one address after its wrong passwords, counting down the tries left', () => {
    const { guard, raised, clock } = locks();
    expect(guard.failed(anna, '10.0.0.9', 'api')).toEqual({ locked: [], triesLeft: 2 });
    expect(guard.failed(anna, '10.0.0.9', 'sip')).toEqual({ locked: [], triesLeft: 1 });
    const third = guard.failed(anna, '10.0.0.9', 'api');
    expect(third.locked).toEqual([
      {
        id: 'anna@10.0.0.9',
        account: anna,
        address: '10.0.0.9',
        failures: 3,
        strike: 1,
        lockedAt: clock.now,
        until: clock.now + 10 * MIN,
        channel: 'api',
      },
    ]);
    expect(raised).toEqual(third.locked);
    // The lock refuses anna from there, not from her own desk, and not boris from there.
    expect(guard.inForce(anna, '10.0.0.9')?.id).toBe('anna@10.0.0.9');
    expect(guard.inForce(anna, '10.0.0.7')).toBeUndefined();
    expect(guard.inForce(boris, '10.0.0.9')).toBeUndefined();
    expect(lockedWho(third.locked[0]!)).toBe('agent anna from 10.0.0.9');
    // It runs out.
    clock.now += 10 * MIN - 1;
    expect(guard.inForce(anna, '10.0.0.9')).toBeDefined();
    clock.now += 1;
    expect(guard.inForce(anna, '10.0.0.9')).toBeUndefined();
    expect(guard.standing()).toEqual([]);
  });

  it('forgets wrong passwords older than the window', () => {
    const { guard, clock } = locks();
    guard.failed(anna, '10.0.0.9', 'api');
    guard.failed(anna, '10.0.0.9', 'api');
    clock.now += 15 * MIN;
    expect(guard.failed(anna, '10.0.0.9', 'api')).toEqual({ locked: [], triesLeft: 2 });
  });

  it('doubles each further lock of the same pair, and a right password starts it again', () => {
    const { guard, clock } = locks();
    const lockOnce = () => {
      let last: SignInLock | undefined;
      for (let i = 0; i < 3; i++) last = guard.failed(anna, '10.0.0.9', 'sip').locked[0] ?? last;
      return last!;
    };
    expect(lockOnce().until - clock.now).toBe(10 * MIN);
    clock.now += 10 * MIN;
    const second = lockOnce();
    expect(second.strike).toBe(2);
    expect(second.until - clock.now).toBe(20 * MIN);
    clock.now += 20 * MIN;
    expect(lockOnce().until - clock.now).toBe(40 * MIN);
    clock.now += 40 * MIN;
    guard.succeeded(anna, '10.0.0.9');
    expect(lockOnce()).toMatchObject({ strike: 1, until: clock.now + 10 * MIN });
  });

  it('a wrong password while locked (SIP goes on regardless) counts towards no new lock until it ends', () => {
    const { guard, raised } = locks();
    for (let i = 0; i < 3; i++) guard.failed(anna, '10.0.0.9', 'api');
    expect(guard.failed(anna, '10.0.0.9', 'sip').locked).toEqual([]);
    expect(raised).toHaveLength(1);
    expect(guard.inForce(anna, '10.0.0.9')?.channel).toBe('sip');
  });

  it('locks a whole address guessing across accounts, for every account, even after one right password', () => {
    const { guard } = locks();
    const accounts = ['a1', 'a2', 'a3', 'a4'].map((id): SignInAccount => ({ type: 'agent', agentId: id }));
    for (const account of accounts) guard.failed(account, '10.0.0.66', 'api');
    guard.succeeded(anna, '10.0.0.66'); // one password known does not wipe the count
    const fifth = guard.failed({ type: 'supervisor-token' }, '10.0.0.66', 'api');
    expect(fifth.locked).toEqual([expect.objectContaining({ id: '*@10.0.0.66', address: '10.0.0.66' })]);
    expect(fifth.locked[0]!.account).toBeUndefined();
    expect(guard.inForce(boris, '10.0.0.66')?.id).toBe('*@10.0.0.66');
    expect(guard.inForce(boris, '10.0.0.67')).toBeUndefined();
    expect(lockedWho(fifth.locked[0]!)).toBe('every sign-in from 10.0.0.66');
    // The tries left are the fewer of the pair's and the address's.
    expect(guard.failed(boris, '10.0.0.68', 'api').triesLeft).toBe(2);
  });

  it('counts supervisors and the supervisor token apart from agents of the same name', () => {
    const { guard } = locks();
    const sam: SignInAccount = { type: 'supervisor', supervisorId: 'anna' };
    for (let i = 0; i < 3; i++) guard.failed(sam, '10.0.0.9', 'api');
    expect(guard.inForce(sam, '10.0.0.9')?.id).toBe('~anna@10.0.0.9');
    expect(guard.inForce(anna, '10.0.0.9')).toBeUndefined();
    expect(lockedWho(guard.inForce(sam, '10.0.0.9')!)).toBe('supervisor anna from 10.0.0.9');
  });

  it('a supervisor lifts a lock: the pair starts again with nothing counted; an unknown one is not found', () => {
    const { guard, clock } = locks();
    for (let i = 0; i < 3; i++) guard.failed(anna, '10.0.0.9', 'api');
    for (let i = 0; i < 3; i++) guard.failed(boris, '10.0.0.8', 'api');
    clock.now += MIN;
    expect(guard.standing().map((l) => l.id)).toEqual(['anna@10.0.0.9', 'boris@10.0.0.8']);
    expect(guard.lift('nobody@10.0.0.1')).toBeUndefined();
    expect(guard.lift('anna@10.0.0.9')?.account).toEqual(anna);
    expect(guard.inForce(anna, '10.0.0.9')).toBeUndefined();
    // The pair's count starts again (2 left of 3); the address's stands (4 of 5: 1 left), the fewer shown.
    expect(guard.failed(anna, '10.0.0.9', 'api').triesLeft).toBe(1);
    expect(guard.failed(anna, '10.0.0.9', 'api').locked[0]?.id).toBe('*@10.0.0.9');
    expect(guard.standing().map((l) => l.id)).toEqual(['*@10.0.0.9', 'boris@10.0.0.8']);
  });

  it('forgets quiet tallies once it remembers many (a scan from many addresses), keeping the locks', () => {
    const { guard, clock } = locks();
    for (let i = 0; i < 3; i++) guard.failed(anna, '10.0.0.9', 'api');
    for (let i = 0; i < 6000; i++) guard.failed(boris, `10.1.${i >> 8}.${i & 255}`, 'sip');
    clock.now += 16 * MIN;
    guard.failed(boris, '10.2.0.1', 'sip');
    const internals = guard as unknown as { pairs: Map<string, unknown>; addresses: Map<string, unknown> };
    expect(internals.pairs.size + internals.addresses.size).toBeLessThan(10);
    // anna's lock ran out but is remembered (a day), so her next lock is the second.
    for (let i = 0; i < 3; i++) guard.failed(anna, '10.0.0.9', 'api');
    expect(guard.inForce(anna, '10.0.0.9')?.strike).toBe(2);
  });
});
