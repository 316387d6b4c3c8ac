import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Caps a process's CPU (all its threads, and threads it starts later) at `percent` of one core with a CFS
 * bandwidth limit in a cgroup of its own, as a machine with more work than CPU would: the process runs
 * until its share of each 100 ms period is spent, then waits for the next period. Unlike SIGSTOP/SIGCONT,
 * the waits fall wherever the work does, so a request that arrives mid-work waits too. Needs root and the
 * cgroup `cpu` controller (v1 at /sys/fs/cgroup/cpu, or v2); throws saying which is missing otherwise.
 * Returns the function that lifts the cap.
 */
export function capCpu(pid: number, percent: number): () => void {
  const periodUs = 100_000;
  const quotaUs = Math.max(1000, Math.round((periodUs * percent) / 100));
  const name = `cc-test-cap-${pid}`;
  const v1 = '/sys/fs/cgroup/cpu';
  if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
    const dir = join(v1, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.cfs_period_us'), String(periodUs));
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
    const home = v1Home(pid, v1);
    writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    return () => {
      if (processAlive(pid)) writeFileSync(join(home, 'cgroup.procs'), String(pid));
      rmdirSync(dir);
    };
  }
  const v2 = '/sys/fs/cgroup';
  if (
    existsSync(join(v2, 'cgroup.controllers')) &&
    readFileSync(join(v2, 'cgroup.controllers'), 'utf8').includes('cpu')
  ) {
    const home = join(
      v2,
      (/^0::(.*)$/m.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))?.[1] ?? '/').trim(),
    );
    const dir = join(v2, name);
    writeFileSync(join(v2, 'cgroup.subtree_control'), '+cpu');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.max'), `${quotaUs} ${periodUs}`);
    writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    return () => {
      if (processAlive(pid)) writeFileSync(join(home, 'cgroup.procs'), String(pid));
      rmdirSync(dir);
    };
  }
  throw new Error(
    'capCpu needs the cgroup cpu controller: neither /sys/fs/cgroup/cpu (v1) nor a v2 hierarchy with "cpu" in cgroup.controllers is available',
  );
}

function v1Home(pid: number, mount: string): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
    .split('\n')
    .find((l) => /^\d+:([^:]*,)?cpu(,[^:]*)?:/.test(l));
  return join(mount, line?.split(':')[2] ?? '/');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
