/**
 * Ops CLI: puts the numbers already on record in the numbering plan's form (`npm run numbers -- rewrite`).
 *
 *   numbers rewrite
 *       With config `numbering` set (the same config the service reads: CC_CONFIG, ./config.json, CC_*),
 *       rewrites interactions' caller numbers and contacts recorded before the plan into E.164, so a
 *       caller's history, last-agent routing and searches find those calls too. Run it with the service
 *       stopped (it is one transaction), after a backup of the database; `numbers show` first says how the
 *       plan reads a number.
 *
 *   numbers show <number>...
 *       Prints each number as the plan reads it.
 */
import { parseArgs } from 'node:util';
import { NumberPlan } from '../src/calls/number-plan.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { migrateToLatest, openDatabase } from '../src/store/database.js';
import { InteractionLog } from '../src/store/interaction-log.js';

const USAGE = 'usage: numbers rewrite | numbers show <number>...';

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [command, ...rest] = positionals;
  const config = loadConfig();
  if (!config.numbering) {
    process.stderr.write('numbers: the config has no `numbering` (see README, "One customer, one number")\n');
    return 2;
  }
  const plan = new NumberPlan(config.numbering);
  if (command === 'show' && rest.length > 0) {
    for (const number of rest) process.stdout.write(`${number}\t${plan.canonical(number)}\n`);
    return 0;
  }
  if (command !== 'rewrite' || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { db, sqlite } = openDatabase(config.database.path);
  try {
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const result = await log.rewriteNumbers((n) => plan.canonical(n));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await db.destroy();
    if (sqlite.open) sqlite.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`numbers: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
