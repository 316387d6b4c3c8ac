/** CPU and RSS of a few processes from /proc/<pid>/stat and /proc/<pid>/status, sampled in the background. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcReading {
  /** utime + stime of every thread, in seconds. */
  cpuSeconds: number;
  rssKb: number;
}

export function readProc(pid: number): ProcReading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces), counted from field 3 (state).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
    return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssKb };
  } catch {
    return undefined;
  }
}

/** All CPUs of the machine: busy and total jiffies from /proc/stat (busy = everything but idle and iowait). */
export function readMachine(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** This process's own CPU plus that of its children it has reaped (the step's SIPp processes), in seconds. */
export function readSelfAndReapedChildren(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(rest[i]), 0) / TICKS_PER_SECOND;
}

/**
 * CPU used on the whole machine by anything that is not part of the benchmark: all CPUs' busy time minus the
 * measured processes, this process and its reaped children (SIPp). Other people's work on the machine shows
 * up here and makes a step's numbers suspect.
 */
export class ForeignLoad {
  private readonly start: ReturnType<ForeignLoad['snapshot']>;

  constructor(private readonly pids: number[]) {
    this.start = this.snapshot();
  }

  private snapshot() {
    const machine = readMachine();
    const ours = this.pids.reduce((sum, pid) => sum + (readProc(pid)?.cpuSeconds ?? 0), 0);
    return { at: Date.now(), machine, ours: ours + readSelfAndReapedChildren() };
  }

  /** { benchCpuPercent, foreignCpuPercent } as % of all CPUs since construction. */
  finish(): { benchCpuPercent: number; foreignCpuPercent: number } {
    const end = this.snapshot();
    const totalSeconds = (end.machine.total - this.start.machine.total) / TICKS_PER_SECOND;
    const busySeconds = (end.machine.busy - this.start.machine.busy) / TICKS_PER_SECOND;
    const ours = end.ours - this.start.ours;
    const pct = (v: number) => (totalSeconds > 0 ? Math.round((v / totalSeconds) * 1000) / 10 : Number.NaN);
    return { benchCpuPercent: pct(ours), foreignCpuPercent: pct(Math.max(0, busySeconds - ours)) };
  }
}

export interface WindowStats {
  cpuSeconds: number;
  wallSeconds: number;
  rssStartKb: number;
  rssMaxKb: number;
  rssEndKb: number;
}

/** Samples named processes every `intervalMs`; `window()` reports CPU used and RSS seen since `mark()`. */
export class ProcSampler {
  private timer: NodeJS.Timeout | undefined;
  private start:
    | { at: number; readings: Map<string, ProcReading>; machine: { busy: number; total: number } }
    | undefined;
  private maxRss = new Map<string, number>();

  constructor(
    private readonly pids: Record<string, number>,
    private readonly intervalMs = 250,
  ) {}

  mark(): void {
    const readings = new Map<string, ProcReading>();
    for (const [name, pid] of Object.entries(this.pids)) {
      const r = readProc(pid);
      if (r) readings.set(name, r);
    }
    this.start = { at: Date.now(), readings, machine: readMachine() };
    this.maxRss = new Map([...readings].map(([name, r]) => [name, r.rssKb]));
    clearInterval(this.timer);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const r = readProc(pid);
      if (r) this.maxRss.set(name, Math.max(this.maxRss.get(name) ?? 0, r.rssKb));
    }
  }

  /** CPU and RSS since the last mark, per process; sampling continues until `stop()`. */
  window(): Record<string, WindowStats> {
    this.sample();
    const now = Date.now();
    const out: Record<string, WindowStats> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const begin = this.start?.readings.get(name);
      const end = readProc(pid);
      if (!begin || !end) continue;
      out[name] = {
        cpuSeconds: end.cpuSeconds - begin.cpuSeconds,
        wallSeconds: (now - (this.start?.at ?? now)) / 1000,
        rssStartKb: begin.rssKb,
        rssMaxKb: this.maxRss.get(name) ?? end.rssKb,
        rssEndKb: end.rssKb,
      };
    }
    return out;
  }

  /** Share of all the machine's CPUs that was busy since the last mark (every process, SIPp included), in %. */
  machineBusyPercent(): number {
    const now = readMachine();
    const begin = this.start?.machine ?? now;
    const total = now.total - begin.total;
    return total > 0 ? Math.round(((now.busy - begin.busy) / total) * 1000) / 10 : Number.NaN;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
