import pino, { type Logger } from 'pino';
import { CallsService } from './calls/calls-service.js';
import type { Config } from './config/schema.js';
import { buildHttpApp, type HttpApp } from './http/app.js';
import { databaseIsUp, migrateToLatest, openDatabase } from './store/database.js';
import { InteractionLog } from './store/interaction-log.js';
import { Telephony } from './telephony/telephony.js';

export interface RunningService {
  http: HttpApp;
  address: string;
  telephony: Telephony;
  calls: CallsService;
  stop(): Promise<void>;
}

/** Wires the rooms together: store, telephony, calls, HTTP. Nothing else constructs them. */
export async function startService(
  config: Config,
  logger: Logger = pino({ level: config.logLevel }),
): Promise<RunningService> {
  const { db, sqlite } = openDatabase(config.database.path);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const log = new InteractionLog(db);

  const a = config.asterisk;
  const telephony = new Telephony({
    ari: {
      baseUrl: `http://${a.host}:${a.httpPort}`,
      user: a.ariUser,
      password: a.ariPassword,
      app: a.ariApp,
    },
    ami: { host: a.host, port: a.amiPort, user: a.amiUser, secret: a.amiSecret },
    logger,
  });
  telephony.on('status', (status) => logger.info(status, 'telephony status'));
  const calls = new CallsService({
    telephony,
    log,
    logger,
    welcomeMedia: [config.prompts.welcome],
  });
  calls.start();
  telephony.start();

  const http = await buildHttpApp({
    logger,
    log,
    health: {
      telephony: () => telephony.status(),
      database: () => databaseIsUp(db),
      activeCalls: () => calls.activeCalls,
    },
    softphone: { sipWsUrl: `ws://${a.host}:${a.httpPort}/ws`, sipDomain: a.sipHost },
  });
  const address = await http.listen({ host: config.http.host, port: config.http.port });
  logger.info({ address }, 'contact center listening');

  return {
    http,
    address,
    telephony,
    calls,
    async stop() {
      await http.close();
      telephony.stop();
      await db.destroy().catch(() => undefined);
      if (sqlite.open) sqlite.close();
    },
  };
}
