/** The rules of breaks overstayed: which not readies are watched, when one becomes an overstay, how it ends. */
import { describe, expect, it } from 'vitest';
import { BreakOverstayBoard, overSeconds } from '../../../src/supervision/break-overstays.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 9, 0);
const limits: Record<string, number> = { break: 15, lunch: 60 };
const board = () => new BreakOverstayBoard((reason) => limits[reason]);
const notReady = (reason: string) => ({ type: 'not_ready', reason });

describe('BreakOverstayBoard', () => {
  it('watches a not ready whose reason has a limit, and becomes an overstay only once it is due', () => {
    const b = board();
    expect(b.changed('anna', notReady('break'), T0)).toEqual({ wakeAt: T0 + 15 * MIN });
    // Early (a timer may fire a little before): nothing yet.
    expect(b.due('anna', T0 + 15 * MIN - 1, 'o-1')).toBeUndefined();
    const overstay = b.due('anna', T0 + 15 * MIN, 'o-1');
    expect(overstay).toEqual({
      id: 'o-1',
      agentId: 'anna',
      reason: 'break',
      limitMinutes: 15,
      since: T0,
      dueAt: T0 + 15 * MIN,
    });
    // One at a time: a second wake-up starts nothing new.
    expect(b.due('anna', T0 + 16 * MIN, 'o-2')).toBeUndefined();
    expect(b.list()).toEqual([overstay]);
    expect(overSeconds(overstay!, T0 + 20 * MIN + 999)).toBe(300);

    // Back to available at 20:30: it ends, 330 s over, and nothing is watched any more.
    const back = b.changed('anna', { type: 'available' }, T0 + 20.5 * MIN);
    expect(back).toEqual({
      disarm: true,
      ended: { ...overstay, endedAt: T0 + 20.5 * MIN, endedTo: 'available' },
    });
    expect(overSeconds(back.ended!, back.ended!.endedAt)).toBe(330);
    expect(b.list()).toEqual([]);
    expect(b.due('anna', T0 + 30 * MIN, 'o-3')).toBeUndefined();
  });

  it('leaves reasons without a limit and other states alone; back in time is no overstay', () => {
    const b = board();
    expect(b.changed('anna', notReady('meeting'), T0)).toEqual({});
    expect(b.changed('anna', { type: 'available' }, T0 + MIN)).toEqual({});
    expect(b.changed('anna', notReady('break'), T0 + 2 * MIN)).toEqual({ wakeAt: T0 + 17 * MIN });
    // Ready after 10 minutes: the wake-up is not wanted, no overstay ever was.
    expect(b.changed('anna', { type: 'available' }, T0 + 12 * MIN)).toEqual({ disarm: true });
    expect(b.due('anna', T0 + 17 * MIN, 'o-1')).toBeUndefined();
    expect(b.list()).toEqual([]);
  });

  it("a change of reason is a new period with the new reason's limit; the same reason again changes nothing", () => {
    const b = board();
    b.changed('anna', notReady('break'), T0);
    expect(b.changed('anna', notReady('break'), T0 + 5 * MIN)).toEqual({});
    const overstay = b.due('anna', T0 + 15 * MIN, 'o-1');
    expect(overstay?.since).toBe(T0);
    // Over her break, Anna switches to lunch: the break's overstay ends into not_ready, lunch is watched anew.
    const lunch = b.changed('anna', notReady('lunch'), T0 + 18 * MIN);
    expect(lunch).toEqual({
      wakeAt: T0 + 78 * MIN,
      ended: { ...overstay, endedAt: T0 + 18 * MIN, endedTo: 'not_ready' },
    });
    // Logging out during a meeting (no limit) after lunch began: nothing watched, nothing standing.
    expect(b.changed('anna', notReady('meeting'), T0 + 20 * MIN)).toEqual({ disarm: true });
    expect(b.changed('anna', { type: 'logged_out' }, T0 + 21 * MIN)).toEqual({});
  });

  it('keeps agents apart, longest over listed first', () => {
    const b = board();
    b.changed('ben', notReady('break'), T0 + MIN);
    b.changed('anna', notReady('break'), T0);
    b.due('ben', T0 + 16 * MIN, 'o-ben');
    b.due('anna', T0 + 16 * MIN, 'o-anna');
    expect(b.list().map((o) => o.agentId)).toEqual(['anna', 'ben']);
    expect(b.changed('anna', { type: 'logged_out' }, T0 + 17 * MIN).ended?.endedTo).toBe('logged_out');
    expect(b.of('anna')).toBeUndefined();
    expect(b.of('ben')?.id).toBe('o-ben');
  });

  it('after a restart keeps the overstays still standing and watches every limited not ready from when it began', () => {
    const b = board();
    const kept = {
      id: 'o-1',
      agentId: 'anna',
      reason: 'break',
      limitMinutes: 15,
      since: T0,
      dueAt: T0 + 15 * MIN,
    };
    const wakes = b.restore(
      [kept],
      [
        { agentId: 'anna', reason: 'break', since: T0 },
        { agentId: 'ben', reason: 'lunch', since: T0 + 5 * MIN },
        { agentId: 'cleo', reason: 'meeting', since: T0 },
      ],
    );
    expect(wakes).toEqual([{ agentId: 'ben', wakeAt: T0 + 65 * MIN }]);
    expect(b.list()).toEqual([kept]);
    // Anna's kept overstay ends as any other.
    expect(b.changed('anna', { type: 'available' }, T0 + 25 * MIN).ended).toMatchObject({
      id: 'o-1',
      endedTo: 'available',
    });
    expect(b.due('ben', T0 + 65 * MIN, 'o-2')?.reason).toBe('lunch');
  });

  it('lets one supervisor take a standing overstay on; refuses a second, and one the agent came back from', () => {
    const b = board();
    b.changed('anna', notReady('break'), T0);
    expect(b.acknowledge('anna', T0 + MIN)).toMatchObject({ refused: { code: 'OVERSTAY_NOT_STANDING' } });
    b.due('anna', T0 + 15 * MIN, 'o-1');
    const sam = { id: 'sam', name: 'Sam Super' };
    expect(b.acknowledge('anna', T0 + 16 * MIN, sam)).toEqual({
      overstay: expect.objectContaining({ id: 'o-1', acknowledged: { at: T0 + 16 * MIN, by: sam } }),
    });
    const again = b.acknowledge('anna', T0 + 17 * MIN);
    expect(again).toMatchObject({ refused: { code: 'OVERSTAY_ACKNOWLEDGED' } });
    expect('refused' in again && again.refused.reason).toContain('Sam Super');
    expect(b.of('anna')?.acknowledged?.by).toEqual(sam);
    // It ends as any other, with who took it on; the agent's next overstay is nobody's yet.
    expect(b.changed('anna', { type: 'available' }, T0 + 20 * MIN).ended).toMatchObject({
      acknowledged: { by: sam },
      endedTo: 'available',
    });
    expect(b.acknowledge('anna', T0 + 21 * MIN)).toMatchObject({
      refused: { code: 'OVERSTAY_NOT_STANDING' },
    });
    b.changed('anna', notReady('break'), T0 + 30 * MIN);
    expect(b.due('anna', T0 + 45 * MIN, 'o-2')).not.toHaveProperty('acknowledged');
    // On the supervisor token: nobody named.
    expect(b.acknowledge('anna', T0 + 46 * MIN)).toEqual({
      overstay: expect.objectContaining({ acknowledged: { at: T0 + 46 * MIN } }),
    });
    // Taken back (its write failed): nobody has it, and it may be taken on again; another id is left alone.
    b.unacknowledge('anna', 'o-1');
    expect(b.of('anna')?.acknowledged).toEqual({ at: T0 + 46 * MIN });
    b.unacknowledge('anna', 'o-2');
    expect(b.of('anna')).not.toHaveProperty('acknowledged');
    expect(b.acknowledge('anna', T0 + 47 * MIN, sam)).toMatchObject({
      overstay: { acknowledged: { by: sam } },
    });
  });
});
