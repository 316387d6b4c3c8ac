import pino from 'pino';
import { ConfigError, loadConfig } from './config/load.js';
import { startService } from './service.js';
import { BackupBeforeUpgradeFailed } from './store/database-backups.js';

/** Entry point: load and validate the configuration, start the service, stop cleanly on a signal. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`contact-center: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'contact-center' } });
  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService(config, logger);
  } catch (error) {
    // Found only once the stored queues are read (a route to a queue that exists nowhere); or an upgrade
    // that could not back the database up first, and so was not made.
    if (error instanceof ConfigError || error instanceof BackupBeforeUpgradeFailed) {
      process.stderr.write(`contact-center: ${error.message}
`);
      process.exit(2);
    }
    throw error;
  }
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      service.stop().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error) => {
  process.stderr.write(`contact-center: failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
