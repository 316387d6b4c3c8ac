import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Caps a process's CPU (all its threads, and threads it starts later) at `percent` of one core with a CFS
 * bandwidth limit in a cgroup of its own, as a machine with more work than CPU would: the process runs
 * until its share of each 100 ms period is spent, then waits for the next period. Unlike SIGSTOP/SIGCONT,
 * the waits fall wherever the work does, so a request that arrives mid-work waits too. Needs root and the
 * cgroup `cpu` controller (v1 or v2). Returns the function that lifts the cap.
 */
export function capCpu(pid: number, percent: number): () => void {
  const periodUs = 100_000;
  const quotaUs = Math.max(1000, Math.round((periodUs * percent) / 100));
  const hierarchy = cpuHierarchy();
  const home = join(hierarchy.root, cgroupOf(pid, hierarchy.version));
  const dir = join(hierarchy.root, `cc-test-cap-${pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    if (hierarchy.version === 1) {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(periodUs));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
    } else {
      writeFileSync(join(dir, 'cpu.max'), `${quotaUs} ${periodUs}`);
    }
    writeFileSync(join(dir, 'cgroup.procs'), String(pid));
  } catch (error) {
    if (existsSync(dir)) rmdirSync(dir);
    hierarchy.release();
    throw error;
  }
  return () => {
    if (processAlive(pid)) writeFileSync(join(home, 'cgroup.procs'), String(pid));
    rmdirSync(dir);
    hierarchy.release();
  };
}

interface CpuHierarchy {
  version: 1 | 2;
  root: string;
  release(): void;
}

/**
 * Where the cpu controller's hierarchy is. `ip netns exec` (the test run's network namespace) mounts a fresh
 * /sys without /sys/fs/cgroup, so when neither is visible the hierarchy is mounted on a temporary folder
 * (in the run's own mount namespace) and unmounted again on release.
 */
function cpuHierarchy(): CpuHierarchy {
  const stay = () => undefined;
  if (existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'))
    return { version: 1, root: '/sys/fs/cgroup/cpu', release: stay };
  if (hasCpuV2('/sys/fs/cgroup')) {
    writeFileSync('/sys/fs/cgroup/cgroup.subtree_control', '+cpu');
    return { version: 2, root: '/sys/fs/cgroup', release: stay };
  }
  const mountPoint = mkdtempSync(join(tmpdir(), 'cc-cgroup-'));
  const unmount = () => {
    execFileSync('umount', [mountPoint]);
    rmdirSync(mountPoint);
  };
  try {
    execFileSync('mount', ['-t', 'cgroup', '-o', 'cpu', 'cgroup', mountPoint], { stdio: 'pipe' });
    return { version: 1, root: mountPoint, release: unmount };
  } catch {}
  try {
    execFileSync('mount', ['-t', 'cgroup2', 'cgroup2', mountPoint], { stdio: 'pipe' });
    if (hasCpuV2(mountPoint)) {
      writeFileSync(join(mountPoint, 'cgroup.subtree_control'), '+cpu');
      return { version: 2, root: mountPoint, release: unmount };
    }
    unmount();
  } catch {
    rmdirSync(mountPoint);
  }
  throw new Error(
    'capCpu needs root and the cgroup cpu controller (v1 or v2); neither could be found or mounted',
  );
}

function hasCpuV2(root: string): boolean {
  const controllers = join(root, 'cgroup.controllers');
  return existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu');
}

/** The process's cgroup in the cpu hierarchy, relative to the hierarchy's root. */
function cgroupOf(pid: number, version: 1 | 2): string {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  const line =
    version === 1
      ? lines.find((l) => /^\d+:([^:]*,)?cpu(,[^:]*)?:/.test(l))
      : lines.find((l) => l.startsWith('0::'));
  return line?.split(':')[2] ?? '/';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
