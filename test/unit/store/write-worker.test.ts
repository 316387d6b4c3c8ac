/** The write worker of a database file: a failing write must not take later writes with it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';

let dir = '';
let log: InteractionLog | undefined;
afterEach(async () => {
  await log?.commit.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fileLog(ids?: () => string) {
  dir = mkdtempSync(join(tmpdir(), 'cc-write-worker-'));
  const { db } = openDatabase(join(dir, 'cc.db'));
  await migrateToLatest(db);
  log = new InteractionLog(db, ids);
  return { db, log };
}

describe('the write worker after a failed write', () => {
  it('records the calls that follow a timeline write for an unknown interaction', async () => {
    const { db, log } = await fileLog();
    // The first timeline write of the run fails half-way (its update finds no row)...
    await expect(
      log.record('no-such-id', 1, { type: 'call.answered', payload: { channelId: 'x' } }, { answered_at: 1 }),
    ).rejects.toThrow(/no-such-id/);
    // ...and every write after it, using the same statements, still lands.
    const id = await log.open({ direction: 'inbound', channelId: 'c1', startedAt: 1000 });
    await log.record(
      id,
      1500,
      { type: 'call.answered', payload: { channelId: 'c1' } },
      { answered_at: 1500 },
    );
    expect((await db.selectFrom('interactions').select('id').execute()).map((r) => r.id)).toEqual([id]);
    expect(await db.selectFrom('interaction_events').select('type').execute()).toEqual(
      expect.arrayContaining([{ type: 'call.answered' }]),
    );
  });

  it('records the calls that follow an open that failed on its row (a duplicate id)', async () => {
    let n = 0;
    const { db, log } = await fileLog(() => (n++ === 0 ? 'dup' : `fresh-${n}`));
    await db
      .insertInto('interactions')
      .values({ id: 'dup', direction: 'inbound', state: 'open', started_at: 0 } as never)
      .execute();
    // The run's first open fails (the id is taken), with a valid one in the same batch.
    const results = await Promise.allSettled([
      log.open({ direction: 'inbound', startedAt: 2 }), // dup: refused
      log.open({ direction: 'inbound', startedAt: 3 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    await log.open({ direction: 'inbound', startedAt: 4 });
    expect((await db.selectFrom('interactions').select('id').execute()).length).toBe(3);
  });
});
