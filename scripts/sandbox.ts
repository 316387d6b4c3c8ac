/**
 * Asterisk sandbox CLI: `tsx scripts/sandbox.ts start|stop|status|cli "<command>"`.
 * Uses the service's own configuration (config.json / CC_* env) so ports and secrets always agree. With the
 * config's `sipEdge`, the SIP edge (Kamailio) starts after Asterisk and stops before it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load.js';
import { AsteriskSandbox } from './sandbox/asterisk-sandbox.js';
import { SipEdge } from './sandbox/sip-edge.js';

const [command = 'status', ...rest] = process.argv.slice(2);
const config = loadConfig();
const sandbox = new AsteriskSandbox({
  config,
  instance: process.env.CC_ASTERISK_INSTANCE ?? 'default',
  recordingsDir: config.recordingsDir,
  customSoundsDir: config.customSoundsDir,
});
const pidFile = sandbox.hostPath('run', 'sandbox.pid');
const edgeDir = sandbox.hostPath('edge');

function runningPid(): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

switch (command) {
  case 'start': {
    const pid = runningPid();
    if (pid) {
      console.log(`Asterisk already running (pid ${pid})`);
      break;
    }
    await sandbox.start();
    console.log(`Asterisk running (pid ${sandbox.pid}); log: ${sandbox.logFile}`);
    if (config.sipEdge) {
      const edge = new SipEdge(config, edgeDir);
      await edge.start();
      const { host, port } = edge.settings;
      console.log(
        `SIP edge (Kamailio) for carriers on udp and tcp ${host}:${port} (pid ${edge.pid}); log: ${edge.logFile}`,
      );
    }
    process.exit(0); // leave it running detached
    break;
  }
  case 'stop': {
    if (SipEdge.stopByPidFile(edgeDir)) console.log('SIP edge stopped');
    const pid = runningPid();
    if (!pid) {
      console.log('Asterisk is not running');
      break;
    }
    await sandbox.cli('core stop now').catch(() => process.kill(pid, 'SIGTERM'));
    for (let i = 0; i < 100 && runningPid(); i++) await new Promise((r) => setTimeout(r, 50));
    if (runningPid()) process.kill(pid, 'SIGKILL');
    await sandbox.stop();
    console.log('Asterisk stopped');
    break;
  }
  case 'status': {
    const pid = runningPid();
    console.log(pid ? `Asterisk running (pid ${pid})` : 'Asterisk stopped');
    if (config.sipEdge) {
      const edgePid = SipEdge.runningPid(edgeDir);
      console.log(edgePid ? `SIP edge running (pid ${edgePid})` : 'SIP edge stopped');
    }
    break;
  }
  case 'cli':
    process.stdout.write(await sandbox.cli(rest.join(' ')));
    break;
  default:
    console.error('usage: sandbox.ts start|stop|status|cli "<asterisk command>"');
    process.exit(2);
}
