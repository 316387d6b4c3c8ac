import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { CallSession, LINE_LOST } from '../../../src/calls/call-session.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import type { Telephony } from '../../../src/telephony/telephony.js';

/** A call's timeline writes: in order, and those of one moment in one commit. */
describe('CallSession writes', () => {
  let log: InteractionLog;
  let session: CallSession;
  let transactions: number;

  beforeEach(async () => {
    const { db, sqlite } = openDatabase(':memory:');
    await migrateToLatest(db);
    log = new InteractionLog(db);
    transactions = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    // Counts commits however they are made (prepared once and run many times, or through kysely).
    sqlite.prepare = ((source: string) => {
      const stmt = prepare(source);
      if (!/^commit/i.test(source)) return stmt;
      const run = stmt.run.bind(stmt);
      stmt.run = ((...args: unknown[]) => {
        transactions++;
        return run(...(args as []));
      }) as typeof stmt.run;
      return stmt;
    }) as typeof sqlite.prepare;
    session = new CallSession(
      'chan-1',
      'int-1',
      1000,
      { telephony: {} as Telephony, log, logger: pino({ level: 'silent' }), now: () => 2000 },
      '+15550001',
    );
  });

  const types = async () => (await log.timeline('int-1')).map((e) => e.type);

  it('queues the entries of one moment behind the opening row and commits them together', async () => {
    const opened = session.enqueueWrite('interaction.opened', () =>
      log.open({ id: 'int-1', direction: 'inbound', channelId: 'chan-1', startedAt: 1000 }),
    );
    const enqueued = session.record({
      type: 'acd.enqueued',
      payload: { queueId: 'q', position: 1, priority: 0, estimatedWaitSeconds: null },
    });
    const offered = session.record({
      type: 'acd.offered',
      payload: {
        queueId: 'q',
        agentIds: ['a1'],
        ringTimeoutSeconds: 20,
        why: { strategy: 'longest_idle', rule: 'r', considered: [] },
      },
    });
    await Promise.all([opened, enqueued, offered]);
    expect(await types()).toEqual(['interaction.opened', 'acd.enqueued', 'acd.offered']);
    expect(transactions).toBe(1);
  });

  it('holds later entries behind a write that awaits before it writes, in order', async () => {
    await session.enqueueWrite('interaction.opened', () =>
      log.open({ id: 'int-1', direction: 'inbound', channelId: 'chan-1', startedAt: 1000 }),
    );
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = session.enqueueWrite('call.resumed', async () => {
      await gate;
      await log.record('int-1', 2000, { type: 'call.answered', payload: { channelId: 'chan-1' } });
    });
    const after = session.record({ type: 'call.hangup', payload: { channelId: 'chan-1', by: 'caller' } });
    await new Promise((r) => setTimeout(r, 10));
    expect(await types()).toEqual(['interaction.opened']);
    release();
    await Promise.all([slow, after]);
    expect(await types()).toEqual(['interaction.opened', 'call.answered', 'call.hangup']);
  });

  it('logs a failed write and goes on with the next', async () => {
    const failed = session.record({ type: 'call.answered', payload: { channelId: 'chan-1' } }); // no row yet
    const opened = session.enqueueWrite('interaction.opened', () =>
      log.open({ id: 'int-1', direction: 'inbound', channelId: 'chan-1', startedAt: 1000 }),
    );
    const thrown = session.enqueueWrite('broken', () => {
      throw new Error('broken before writing');
    });
    const next = session.record({ type: 'call.hangup', payload: { channelId: 'chan-1', by: 'caller' } });
    await expect(Promise.all([failed, opened, thrown, next])).resolves.toBeDefined();
    expect(await types()).toEqual(['interaction.opened', 'call.hangup']);
  });

  /** The call opened, then Asterisk's hang-up (soft: its device given up on) and the channel's end. */
  const hungUp = async (hangup: { cause: number; soft?: true }, end: 'ended' | 'left-app') => {
    await session.enqueueWrite('interaction.opened', () =>
      log.open({ id: 'int-1', direction: 'inbound', channelId: 'chan-1', startedAt: 1000 }),
    );
    session.onTelephonyEvent({ type: 'channel.hangup-requested', at: 1900, channelId: 'chan-1', ...hangup });
    session.onTelephonyEvent(
      end === 'ended'
        ? { type: 'channel.ended', at: 2000, channelId: 'chan-1', cause: 16, causeText: 'Normal Clearing' }
        : { type: 'channel.left-app', at: 2000, channelId: 'chan-1' },
    );
    await session.closed;
    return (await log.get('int-1'))?.hangup_cause;
  };

  it("says a line Asterisk gave up on (no audio: the trunk's media timeout) was that, not a plain hang-up", async () => {
    // Asterisk's soft hang-up with AST_SOFTHANGUP_DEV, then the channel's end with the cause it set.
    expect(await hungUp({ cause: 1, soft: true }, 'ended')).toBe(`16 ${LINE_LOST}`);
    const hangup = (await log.timeline('int-1')).find((e) => e.type === 'call.hangup')!;
    expect(JSON.parse(hangup.payload)).toEqual({
      channelId: 'chan-1',
      by: 'caller',
      cause: 16,
      causeText: LINE_LOST,
      lineLost: true,
    });
  });

  it('gives a line lost no cause number when the call leaves the application before the channel ends', async () => {
    // As seen on the quick start: StasisEnd came first, and the soft hangup flag (1) is no Q.850 cause.
    expect(await hungUp({ cause: 1, soft: true }, 'left-app')).toBe(LINE_LOST);
  });

  it("keeps Asterisk's own words for the caller's hang-up (a BYE)", async () => {
    expect(await hungUp({ cause: 16 }, 'ended')).toBe('16 Normal Clearing');
  });
});
