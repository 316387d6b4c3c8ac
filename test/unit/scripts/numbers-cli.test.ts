/**
 * Numbers recorded before `numbering` was turned on, put in the plan's form: the store's rewrite, and
 * scripts/numbers.ts run on a config and database of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumberPlan } from '../../../src/calls/number-plan.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const UK = { countryCode: '44', internationalPrefix: '00', trunkPrefix: '0', nationalNumberLengths: [9, 10] };
const T0 = Date.parse('2026-12-01T10:00:00Z');

/** Calls and contacts as a site without a plan recorded them: one customer under three forms. */
async function seed(log: InteractionLog) {
  await log.open({ direction: 'inbound', callerNumber: '07700900123', startedAt: T0 });
  await log.open({ direction: 'inbound', callerNumber: '447700900123', startedAt: T0 + 1000 });
  await log.open({ direction: 'outbound', callerNumber: '+447700900123', startedAt: T0 + 2000 });
  await log.open({ direction: 'inbound', callerNumber: 'anonymous', startedAt: T0 + 3000 });
  await log.saveContact({ number: '07700900123', name: 'Ada (old)' }, T0);
  await log.saveContact({ number: '+447700900123', name: 'Ada Lovelace', notes: 'newest' }, T0 + 5000);
  await log.saveContact({ number: '07700900124', name: 'Charles' }, T0);
  await log.afterQueuedWrites();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cc-numbers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rewriting numbers on record into the plan', () => {
  it('one customer under three forms becomes one number; contacts merge, the latest kept', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    await seed(log);
    const plan = new NumberPlan(UK);
    expect(await log.rewriteNumbers((n) => plan.canonical(n))).toEqual({
      interactions: 2,
      numbers: 2,
      contacts: 1,
      contactsMerged: 1,
    });
    const numbers = await db
      .selectFrom('interactions')
      .select('caller_number')
      .orderBy('started_at')
      .execute();
    expect(numbers.map((r) => r.caller_number)).toEqual([
      '+447700900123',
      '+447700900123',
      '+447700900123',
      'anonymous',
    ]);
    expect(await db.selectFrom('contacts').select(['number', 'name']).orderBy('number').execute()).toEqual([
      { number: '+447700900123', name: 'Ada Lovelace' },
      { number: '+447700900124', name: 'Charles' },
    ]);
    // The caller's history is whole now; a second run changes nothing.
    expect(await log.recentOfNumber('+447700900123', 10)).toHaveLength(3);
    expect(await log.rewriteNumbers((n) => plan.canonical(n))).toEqual({
      interactions: 0,
      numbers: 0,
      contacts: 0,
      contactsMerged: 0,
    });
  });

  it('scripts/numbers.ts rewrites the configured database, and refuses without a plan', {
    timeout: 60_000,
  }, async () => {
    const database = path.join(dir, 'cc.db');
    const { db, sqlite } = openDatabase(database);
    await migrateToLatest(db);
    await seed(new InteractionLog(db));
    await db.destroy();
    if (sqlite.open) sqlite.close();
    const cli = async (config: object, ...args: string[]) => {
      const file = path.join(dir, 'config.json');
      await writeFile(file, JSON.stringify(config));
      try {
        const out = await run(tsx, ['scripts/numbers.ts', ...args], {
          env: { ...process.env, CC_CONFIG: file, CC_DB_PATH: database, CC_DATA_DIR: dir },
        });
        return { code: 0, ...out };
      } catch (e) {
        return e as { code: number; stdout: string; stderr: string };
      }
    };
    const without = await cli({}, 'rewrite');
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/the config has no `numbering`/);
    const shown = await cli({ numbering: UK }, 'show', '07700 900123', '1001');
    expect(shown.stdout).toBe('07700 900123\t+447700900123\n1001\t1001\n');
    const rewritten = await cli({ numbering: UK }, 'rewrite');
    expect(rewritten.code, rewritten.stderr).toBe(0);
    expect(JSON.parse(rewritten.stdout)).toEqual({
      interactions: 2,
      numbers: 2,
      contacts: 1,
      contactsMerged: 1,
    });
  });
});
