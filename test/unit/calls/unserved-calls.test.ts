import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NumberPlan } from '../../../src/calls/number-plan.js';
import { UNSERVED_REASON, UnservedCallImporter } from '../../../src/calls/unserved-calls.js';
import { EventHub, type StreamEvent } from '../../../src/events/event-hub.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import type { TelephonyStatus } from '../../../src/telephony/telephony.js';
import type { UnservedCallNote } from '../../../src/telephony/unserved-notes.js';

/** Asterisk as far as the importer sees it: its link status and the notes in AstDB. */
class FakeAsterisk extends EventEmitter<{ status: [TelephonyStatus] }> {
  notes = new Map<string, UnservedCallNote>();
  current: TelephonyStatus = { ari: 'down', ami: 'down', ariRequests: 'http' };
  reads = 0;
  readFails = false;
  /** Resolves the next read only when released (to hold a pass open). */
  gate: Promise<void> | undefined;

  status = () => this.current;
  async unservedCalls(): Promise<UnservedCallNote[]> {
    this.reads++;
    await this.gate;
    if (this.readFails) throw new Error('AMI is not connected');
    return [...this.notes.values()];
  }
  async forgetUnservedCall(channelId: string): Promise<void> {
    this.notes.delete(channelId);
  }
  set(status: Partial<TelephonyStatus>): void {
    this.current = { ...this.current, ...status };
    this.emit('status', this.current);
  }
}

const NOTE: UnservedCallNote = {
  channelId: 'cc-1796143643.0',
  at: 1_796_143_643_696,
  trunk: 'carrier',
  dialedNumber: '100',
  callerNumber: '+15550777001',
  callerName: 'Smith, Jane | VIP',
};
const NOW = 1_796_143_700_000;

let asterisk: FakeAsterisk;
let log: InteractionLog;
let hub: EventHub;
let published: StreamEvent[];
let importer: UnservedCallImporter;

beforeEach(async () => {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  log = new InteractionLog(db);
  hub = new EventHub(() => NOW, 10_000, 'throw');
  published = [];
  hub.subscribe((event) => published.push(event));
  asterisk = new FakeAsterisk();
  importer = new UnservedCallImporter({
    telephony: asterisk,
    log,
    hub,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
    secondLookMs: 1000,
  });
});

afterEach(async () => {
  vi.useRealTimers();
  await importer.stop();
});

async function recorded() {
  return (await log.list({ limit: 50, offset: 0 })).items;
}

/** Lets every pending promise (and the import they make up) run to its end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('UnservedCallImporter (calls Asterisk turned away while the service was away)', () => {
  it('puts every note on record, closed and rejected, once ARI and AMI are both up, then deletes it', async () => {
    asterisk.notes.set(NOTE.channelId, NOTE);
    importer.start();
    asterisk.set({ ari: 'up' });
    await settle();
    expect(asterisk.reads).toBe(0); // AMI, which holds the notes, is still down

    asterisk.set({ ami: 'up' });
    await settle();
    const [row, ...more] = await recorded();
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      direction: 'inbound',
      state: 'closed',
      channel_id: NOTE.channelId,
      trunk: 'carrier',
      caller_number: '+15550777001',
      caller_name: 'Smith, Jane | VIP',
      dialed_number: '100',
      started_at: NOTE.at,
      ended_at: NOTE.at,
      answered_at: null,
      disposition: 'rejected',
      ended_by: 'system',
      hangup_cause: 'service unavailable',
    });
    const timeline = await log.timeline(row!.id);
    expect(timeline.map((e) => [e.type, e.at])).toEqual([
      ['interaction.opened', NOTE.at],
      ['call.unserved', NOTE.at],
      ['interaction.closed', NOTE.at],
    ]);
    expect(JSON.parse(timeline[1]!.payload)).toEqual({ reason: UNSERVED_REASON, importedAt: NOW });
    expect(asterisk.notes.size).toBe(0);
    expect(published).toMatchObject([
      {
        topic: 'interaction',
        type: 'call.unserved',
        at: new Date(NOTE.at!).toISOString(),
        data: { interactionId: row!.id, callerNumber: '+15550777001', dialedNumber: '100' },
      },
    ]);
  });

  it("records the caller's number in the numbering plan's form, with the form Asterisk noted", async () => {
    const planned = new UnservedCallImporter({
      telephony: asterisk,
      log,
      hub,
      logger: pino({ level: 'silent' }),
      now: () => NOW,
      numbers: new NumberPlan({
        countryCode: '1',
        internationalPrefix: '011',
        trunkPrefix: '1',
        nationalNumberLengths: [10],
      }),
    });
    asterisk.set({ ari: 'up', ami: 'up' });
    asterisk.notes.set(NOTE.channelId, { ...NOTE, callerNumber: '15550777001' });
    expect(await planned.importNow()).toBe(1);
    const [row] = await recorded();
    expect(row).toMatchObject({ caller_number: '+15550777001' });
    const [opened] = await log.timeline(row!.id);
    expect(JSON.parse(opened!.payload)).toMatchObject({
      callerNumber: '+15550777001',
      callerNumberAsDelivered: '15550777001',
    });
    expect(published).toMatchObject([{ data: { callerNumber: '+15550777001' } }]);
    await planned.stop();
  });

  it('records a channel once: a note left behind by an import cut short is only deleted', async () => {
    asterisk.set({ ari: 'up', ami: 'up' });
    asterisk.notes.set(NOTE.channelId, NOTE);
    expect(await importer.importNow()).toBe(1);
    asterisk.notes.set(NOTE.channelId, NOTE); // as if the delete had never happened
    expect(await importer.importNow()).toBe(0);
    expect(await recorded()).toHaveLength(1);
    expect(asterisk.notes.size).toBe(0);
    expect(published).toHaveLength(1);
  });

  it('keeps a note in Asterisk when its record cannot be written, and records it on a later pass', async () => {
    asterisk.notes.set(NOTE.channelId, NOTE);
    const write = vi.spyOn(log, 'recordTurnedAway').mockRejectedValueOnce(new Error('disk full'));
    expect(await importer.importNow()).toBe(0);
    expect(asterisk.notes.has(NOTE.channelId)).toBe(true);
    expect(await importer.importNow()).toBe(1);
    expect(write).toHaveBeenCalledTimes(2);
    expect(asterisk.notes.size).toBe(0);
  });

  it('keeps the notes when they cannot be read, and reads them when the links are up again', async () => {
    asterisk.notes.set(NOTE.channelId, NOTE);
    importer.start();
    asterisk.readFails = true;
    asterisk.set({ ari: 'up', ami: 'up' });
    await settle();
    expect(asterisk.reads).toBe(1);
    expect(await recorded()).toEqual([]);

    asterisk.readFails = false;
    asterisk.set({ ami: 'down' });
    asterisk.set({ ami: 'up' });
    await settle();
    expect(await recorded()).toHaveLength(1);
    expect(asterisk.notes.size).toBe(0);
  });

  it('looks again a while after the links come up, for a call turned away just before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    importer.start();
    asterisk.set({ ari: 'up', ami: 'up' });
    await settle();
    expect(asterisk.reads).toBe(1);
    asterisk.notes.set(NOTE.channelId, NOTE); // written while the first pass was done already
    await vi.advanceTimersByTimeAsync(999);
    expect(asterisk.reads).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(asterisk.reads).toBe(2);
    expect(await recorded()).toHaveLength(1);
  });

  it('runs one pass at a time, and one more after it when asked meanwhile', async () => {
    let release!: () => void;
    asterisk.gate = new Promise((resolve) => {
      release = resolve;
    });
    const first = importer.importNow();
    const second = importer.importNow();
    expect(asterisk.reads).toBe(1); // the second waits for the first
    asterisk.notes.set(NOTE.channelId, NOTE);
    asterisk.gate = undefined;
    release();
    await Promise.all([first, second]);
    await settle();
    expect(asterisk.reads).toBe(2);
    expect(await recorded()).toHaveLength(1);
  });

  it('keeps an unreadable note on the timeline, timed at the import', async () => {
    asterisk.notes.set('c9', { channelId: 'c9', trunk: 'carrier', unreadable: 'soon|carrier|100|??|' });
    expect(await importer.importNow()).toBe(1);
    const [row] = await recorded();
    expect(row).toMatchObject({ channel_id: 'c9', started_at: NOW, disposition: 'rejected' });
    const why = (await log.timeline(row!.id)).find((e) => e.type === 'call.unserved');
    expect(JSON.parse(why!.payload)).toEqual({
      reason: UNSERVED_REASON,
      importedAt: NOW,
      note: 'soon|carrier|100|??|',
    });
  });
});
