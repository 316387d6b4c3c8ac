import { beforeEach, describe, expect, it } from 'vitest';
import { SeatRefusal } from '../../../../src/calls/seat/refusal.js';
import { closeVoicemail } from '../../../../src/calls/seat/seat-info.js';
import { migrateToLatest, openDatabase } from '../../../../src/store/database.js';
import { InteractionLog } from '../../../../src/store/interaction-log.js';

const CODES = [
  { code: 'resolved', label: 'Resolved' },
  { code: 'callback-scheduled', label: 'Call back later' },
];
let log: InteractionLog;
let ids: number;

beforeEach(async () => {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  ids = 0;
  log = new InteractionLog(db, () => `i-${++ids}`);
});

const refusalOf = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeatRefusal);
  return error as SeatRefusal;
};

describe('closeVoicemail (working a message left in the IVR)', () => {
  it('closes an open voicemail with the code, notes and agent, and says so on its timeline', async () => {
    const id = await log.open({ direction: 'voicemail', callerNumber: '+1555', startedAt: 1000 });
    await closeVoicemail(
      log,
      CODES,
      { interactionId: id, agentId: 'a1', code: 'resolved', notes: ' rang back ' },
      5000,
    );
    const row = await log.get(id);
    expect(row).toMatchObject({
      state: 'closed',
      ended_at: 5000,
      agent_id: 'a1',
      wrap_up_code: 'resolved',
      notes: 'rang back',
    });
    const worked = (await log.timeline(id)).filter((e) => e.type === 'voicemail.worked');
    expect(worked).toHaveLength(1);
    expect(JSON.parse(worked[0]!.payload)).toEqual({ agentId: 'a1', code: 'resolved', notes: 'rang back' });
  });

  it('lets only the first of two agents close it; the second is told who did, and nothing more is written', async () => {
    const id = await log.open({ direction: 'voicemail', startedAt: 1000 });
    const [first, second] = await Promise.allSettled([
      closeVoicemail(log, CODES, { interactionId: id, agentId: 'a1', code: 'resolved' }, 5000),
      closeVoicemail(log, CODES, { interactionId: id, agentId: 'a2', code: 'resolved' }, 5001),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { status: 409, code: 'ALREADY_CLOSED', message: expect.stringContaining('by a1') },
    });
    expect((await log.timeline(id)).filter((e) => e.type === 'voicemail.worked')).toHaveLength(1);
    expect((await log.get(id))?.agent_id).toBe('a1');
  });

  it('refuses a call, an unknown interaction and an unknown code, changing nothing', async () => {
    const call = await log.open({ direction: 'inbound', startedAt: 1000 });
    expect(
      await refusalOf(closeVoicemail(log, CODES, { interactionId: call, code: 'resolved' }, 2000)),
    ).toMatchObject({
      status: 409,
      code: 'NOT_A_VOICEMAIL',
    });
    expect((await log.get(call))?.state).toBe('open');
    expect(
      await refusalOf(closeVoicemail(log, CODES, { interactionId: 'nope', code: 'resolved' }, 2000)),
    ).toMatchObject({
      status: 404,
      code: 'INTERACTION_NOT_FOUND',
    });
    const vm = await log.open({ direction: 'voicemail', startedAt: 1000 });
    expect(
      await refusalOf(closeVoicemail(log, CODES, { interactionId: vm, code: 'bogus' }, 2000)),
    ).toMatchObject({
      status: 400,
      code: 'WRAP_UP_CODE_UNKNOWN',
    });
    expect((await log.get(vm))?.state).toBe('open');
  });

  it('records a supervisor close without an agent', async () => {
    const id = await log.open({ direction: 'voicemail', startedAt: 1000 });
    await closeVoicemail(log, CODES, { interactionId: id, code: 'callback-scheduled' }, 3000);
    expect(await log.get(id)).toMatchObject({
      state: 'closed',
      agent_id: null,
      wrap_up_code: 'callback-scheduled',
    });
  });
});
