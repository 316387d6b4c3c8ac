import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RecordingRetention } from '../../../src/calls/recording-retention.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import { buildApi, SUPERVISOR } from '../http/http-harness.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-02T10:00:00Z');

async function setUp() {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  const log = new InteractionLog(db);
  const dir = mkdtempSync(join(tmpdir(), 'retention-'));
  /** A call that began `daysAgo` days ago with its recording file; closed unless told. */
  const call = async (name: string, daysAgo: number, options: { open?: boolean; file?: boolean } = {}) => {
    const id = await log.open({ direction: 'inbound', startedAt: NOW - daysAgo * DAY });
    if (options.file !== false) writeFileSync(join(dir, `${name}.wav`), 'RIFF');
    await log.record(
      id,
      NOW - daysAgo * DAY + 60_000,
      { type: 'recording.started', payload: { name: `${name}.wav`, path: `${name}.wav` } },
      { recording_path: `${name}.wav`, ...(options.open ? {} : { state: 'closed' as const }) },
    );
    return id;
  };
  const retention = (days: number) =>
    new RecordingRetention({
      log,
      logger: pino({ level: 'silent' }),
      recordingsDir: dir,
      days,
      timeZone: 'UTC',
      now: () => NOW,
    });
  return { db, log, dir, call, retention };
}

describe('recording retention', () => {
  it('deletes the recordings of calls past retention, noting it on each timeline; keeps the rest', async () => {
    const { log, dir, call, retention } = await setUp();
    const old = await call('old', 40);
    const recent = await call('recent', 10);
    const stillOpen = await call('open', 45, { open: true });
    const gone = await call('gone', 50, { file: false }); // its file is already missing
    expect(await retention(30).sweep()).toBe(2);
    expect(existsSync(join(dir, 'old.wav'))).toBe(false);
    expect(existsSync(join(dir, 'recent.wav'))).toBe(true);
    expect(existsSync(join(dir, 'open.wav'))).toBe(true);
    expect((await log.get(old))?.recording_path).toBeNull();
    expect((await log.get(gone))?.recording_path).toBeNull();
    expect((await log.get(recent))?.recording_path).toBe('recent.wav');
    expect((await log.get(stillOpen))?.recording_path).toBe('open.wav');
    const note = (await log.timeline(old)).at(-1)!;
    expect(note.type).toBe('recording.deleted');
    expect(JSON.parse(note.payload)).toEqual({ path: 'old.wav', reason: 'retention', retentionDays: 30 });
    // Nothing left to do the next time.
    expect(await retention(30).sweep()).toBe(0);
  });

  it("keeps a file an open interaction still needs (a voicemail not worked yet, linked from the caller's call)", async () => {
    const { log, dir, call, retention } = await setUp();
    const callerCall = await call('vm-1', 60);
    const voicemail = await log.open({ direction: 'voicemail', startedAt: NOW - 60 * DAY });
    await log.record(
      voicemail,
      NOW - 60 * DAY,
      { type: 'call.answered', payload: { channelId: 'c' } },
      {
        recording_path: 'vm-1.wav',
      },
    );
    expect(await retention(30).sweep()).toBe(0);
    expect(existsSync(join(dir, 'vm-1.wav'))).toBe(true);
    expect((await log.get(callerCall))?.recording_path).toBe('vm-1.wav');
  });

  it('does nothing when retention is off (0 days)', async () => {
    const { dir, call, retention } = await setUp();
    await call('ancient', 3000);
    const off = retention(0);
    off.start();
    await off.stop();
    expect(existsSync(join(dir, 'ancient.wav'))).toBe(true);
  });

  it('answers a request for a deleted recording with 410 and when and why it went', async () => {
    const api = await buildApi();
    try {
      const id = await api.log.open({ direction: 'inbound', startedAt: NOW - 40 * DAY });
      await api.log.record(
        id,
        NOW - 40 * DAY,
        { type: 'recording.started', payload: { name: 'x.wav', path: 'x.wav' } },
        { recording_path: 'x.wav', state: 'closed' },
      );
      const sweep = new RecordingRetention({
        log: api.log,
        logger: pino({ level: 'silent' }),
        recordingsDir: mkdtempSync(join(tmpdir(), 'retention-api-')),
        days: 30,
        timeZone: 'UTC',
        now: () => NOW,
      });
      expect(await sweep.sweep()).toBe(1);
      const reply = await api.app.inject({
        url: `/api/interactions/${id}/recording`,
        headers: api.as(SUPERVISOR),
      });
      expect(reply.statusCode).toBe(410);
      expect(reply.json()).toMatchObject({
        code: 'RECORDING_DELETED',
        message: `the recording of interaction ${id} was deleted on 2026-12-02T10:00:00.000Z by the retention policy (30 days)`,
      });
    } finally {
      await api.app.close();
    }
  });
});
