/**
 * Ops CLI: a backup of the database now (`npm run backup`), while the service runs or not: the same
 * snapshot the service takes on its schedule (config `database.backups`), into the same folder, checked
 * before it takes its name; the oldest beyond `keep` are deleted. Reads the config the service reads
 * (CC_CONFIG, ./config.json, CC_*). Prints the backup's path and size; exit code 1 when it failed.
 *
 * To restore: stop the service, copy the backup over the database file (`database.path`) and delete the
 * `-wal` and `-shm` files beside it, start the service (migrations bring an older backup up to date).
 */
import { ConfigError, loadConfig } from '../src/config/load.js';
import { configuredBackups } from '../src/store/database-backups.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const backups = configuredBackups(config.database);
  const file = await backups.take();
  const megabytes = (file.bytes / 1048576).toFixed(1);
  process.stdout.write(`backup: ${file.path} (${megabytes} MB); ${backups.list().length} kept\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`backup: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
