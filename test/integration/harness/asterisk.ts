import type { Config } from '../../../src/config/schema.js';
import { parseConfig } from '../../../src/config/load.js';
import { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { TEST_SECRET } from './service.js';

/** Configuration shared by the Asterisk sandbox and the service under test, so ports and secrets agree. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  const ice = process.env.CC_ICE_HOST_CANDIDATES?.split(',').map((pair) => {
    const [local = '', advertised = ''] = pair.split('=');
    return { local, advertised };
  });
  const base = {
    asterisk: {
      ariPassword: TEST_SECRET,
      amiSecret: TEST_SECRET,
      iceHostCandidates: ice ?? [],
      // Test callers send no audio unless a test says so; the trunk's timeout is tested on its own.
      trunkMediaTimeoutSeconds: 0,
      // Most tests' SIPp desk phones do not answer OPTIONS; qualifying is tested on its own.
      deskPhoneQualifySeconds: 0,
    },
  };
  return parseConfig(deepMerge(base, overrides));
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** Starts a real Asterisk 22 from the project's root with this test's config; stop it in afterAll. */
export async function startAsterisk(
  config: Config,
  instance: string,
  options: {
    recordingsDir?: string;
    customSoundsDir?: string;
    /** Asterisk's messages.log with its verbose messages up to this level (3: each sound it plays). */
    verboseLog?: number;
  } = {},
): Promise<AsteriskSandbox> {
  // CC_TEST_ASTERISK_DEBUG=1: Asterisk's debug log (full.log in the instance's log directory) for a
  // post-mortem of a failure the service's log cannot explain (a bridge or RTP stall).
  const debug = process.env.CC_TEST_ASTERISK_DEBUG === '1';
  const { verboseLog, ...paths } = options;
  const logger = debug ? DEBUG_LOGGER : verboseLog ? verboseLogger(verboseLog) : undefined;
  const sandbox = new AsteriskSandbox({
    config,
    instance: `${instance}${process.env.CC_TEST_INSTANCE_SUFFIX ?? ''}`,
    ...paths,
    ...(logger ? { extraConfig: { 'logger.conf': logger } } : {}),
  });
  await sandbox.start();
  if (debug) {
    await sandbox.cli('core set debug 3');
    await sandbox.cli('core set verbose 5');
  }
  // Leftovers of an earlier, crashed run would otherwise confuse the test (lab notes, gotcha 11).
  await sandbox.cli('channel request hangup all').catch(() => undefined);
  // Notes of calls turned away with no service (AstDB, kept across Asterisk restarts on purpose) would be
  // put on record by this test's service as calls it never made.
  await sandbox.cli('database deltree cc-unserved').catch(() => undefined);
  return sandbox;
}

/** Verbose messages are logged at the level a log channel names (a remote `core set verbose` is its own). */
const verboseLogger = (level: number) => `[general]
dateformat = %F %T.%3q

[logfiles]
console => notice,warning,error
messages.log => notice,warning,error,verbose(${level})
`;

const DEBUG_LOGGER = `[general]
dateformat = %F %T.%3q

[logfiles]
console => notice,warning,error
messages.log => notice,warning,error,verbose
full.log => notice,warning,error,verbose,debug
`;
