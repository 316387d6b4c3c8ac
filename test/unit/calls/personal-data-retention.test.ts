/**
 * Customers' personal data past its retention (retention.personalDataDays), with the real SQLite log and a
 * recordings folder: calls older than the policy lose the customer's number, name, data, notes and recording,
 * their timelines say [erased] where those were; newer and open calls, and a voicemail's file an open
 * interaction still needs, are kept; what each call was stays; a second sweep finds nothing.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { NumberPlan } from '../../../src/calls/number-plan.js';
import { PersonalDataRetention } from '../../../src/calls/personal-data-retention.js';
import { CustomerDataLog } from '../../../src/store/customer-data-log.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T10:00:00Z');

async function setUp() {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  const log = new InteractionLog(db);
  const dir = mkdtempSync(join(tmpdir(), 'personal-data-'));
  const told: string[] = [];
  log.webhookEvents = {
    types: new Set(['interaction.erased', 'recording.deleted']),
    written: (t) => told.push(t),
  };
  /** A call from `number` that began `daysAgo` days ago: answered by anna in sales, noted, recorded. */
  const call = async (
    number: string,
    daysAgo: number,
    options: { open?: boolean; direction?: 'inbound' | 'outbound'; recording?: string } = {},
  ) => {
    const direction = options.direction ?? 'inbound';
    const id = await log.open({
      direction,
      ...(direction === 'outbound'
        ? { callerNumber: '2001', dialedNumber: number }
        : { callerNumber: number }),
      callerName: 'Ada Lovelace',
      startedAt: NOW - daysAgo * DAY,
    });
    const file = options.recording ?? `${id}.wav`;
    writeFileSync(join(dir, file), 'RIFF');
    await log.record(
      id,
      NOW - daysAgo * DAY + 60_000,
      { type: 'wrapup.saved', payload: { agentId: 'anna', code: 'handled', notes: 'Ada wants a refund' } },
      {
        recording_path: file,
        notes: 'Ada wants a refund',
        queue_id: 'sales',
        agent_id: 'anna',
        talk_seconds: 95,
        ...(options.open ? {} : { state: 'closed' as const }),
      },
    );
    return id;
  };
  const retention = (days: number) =>
    new PersonalDataRetention({
      store: new CustomerDataLog(db, log.commit),
      log,
      numbers: new NumberPlan(undefined),
      logger: pino({ level: 'silent' }),
      recordingsDir: dir,
      days,
      timeZone: 'UTC',
      now: () => NOW,
    });
  return { log, dir, call, retention, told };
}

describe('personal data retention', () => {
  it("erases the customer's data from calls past retention, as an erasure would; keeps the rest", async () => {
    const { log, dir, call, retention, told } = await setUp();
    const old = await call('+15550100001', 100);
    const out = await call('+15550100002', 95, { direction: 'outbound' });
    const recent = await call('+15550100003', 10);
    const open = await call('+15550100004', 120, { open: true });
    expect(await retention(90).sweep()).toBe(2);

    const row = await log.get(old);
    expect(row).toMatchObject({
      caller_number: null,
      caller_name: null,
      notes: null,
      recording_path: null,
      caller_data: '{}',
      // What the call was stays.
      queue_id: 'sales',
      agent_id: 'anna',
      talk_seconds: 95,
      state: 'closed',
    });
    expect(existsSync(join(dir, `${old}.wav`))).toBe(false);
    const timeline = (await log.timeline(old)).map((e) => ({ type: e.type, payload: JSON.parse(e.payload) }));
    expect(JSON.stringify(timeline)).not.toMatch(/15550100001|Ada|refund/);
    expect(timeline.slice(-2)).toEqual([
      { type: 'recording.deleted', payload: { path: `${old}.wav`, reason: 'retention', retentionDays: 90 } },
      {
        type: 'interaction.erased',
        payload: { reason: 'personal data kept 90 days (retention.personalDataDays)', retentionDays: 90 },
      },
    ]);
    // An agent's call out: the number dialled is the customer's; the agent's own line stays.
    expect(await log.get(out)).toMatchObject({
      dialed_number: null,
      caller_number: '2001',
      caller_name: null,
    });
    expect(await log.get(recent)).toMatchObject({
      caller_number: '+15550100003',
      notes: 'Ada wants a refund',
    });
    expect(await log.get(open)).toMatchObject({ caller_number: '+15550100004', caller_name: 'Ada Lovelace' });
    expect(existsSync(join(dir, `${recent}.wav`))).toBe(true);
    expect(new Set(told)).toEqual(new Set(['interaction.erased', 'recording.deleted']));

    // Done once: the next night's sweep finds nothing more.
    expect(await retention(90).sweep()).toBe(0);
    expect((await log.timeline(old)).filter((e) => e.type === 'interaction.erased')).toHaveLength(1);
    // Off (0 days): never started.
    retention(0).start();
  });

  it('waits with a call whose recording an open interaction still needs (a voicemail not worked yet)', async () => {
    const { log, dir, call, retention } = await setUp();
    const caller = await call('+15550100005', 100, { recording: 'vm-1.wav' });
    await call('+15550100005', 100, { open: true, recording: 'vm-1.wav' });
    expect(await retention(90).sweep()).toBe(0);
    expect(existsSync(join(dir, 'vm-1.wav'))).toBe(true);
    expect((await log.get(caller))?.caller_number).toBe('+15550100005');
  });
});
