/**
 * Summarises a V8 .cpuprofile (from `BENCH_CPU_PROFILE=dir npm run bench`, or any `node --cpu-prof`):
 * self time by function and by file/package, and inclusive time of the functions that matter most.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [--steps <steps.json>] [--top N] [--match text]
 *
 * With --steps (defaults to steps.json beside the profile when present) only the samples taken while a
 * measured step's callers were running count (the bench writes those windows, warm-up excluded); without
 * it, the whole profile counts. Percentages are of the busy samples (idle excluded).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
interface StepMark {
  side: string;
  rate: number;
  warmup: boolean;
  startUs: number;
  endUs: number;
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const top = Number(option('--top') ?? 40);
const match = option('--match');
const stepsArg = option('--steps');
/** Also print the commonest call stacks (innermost frames) of samples whose leaf function matches this. */
const stacksOf = option('--stacks');
/** Only these step rates (comma-separated), e.g. --rates 16,32. */
const rates = option('--rates')?.split(',').map(Number);
const file = args[0];
if (!file) {
  process.stderr.write(
    'usage: tsx bench/profile-summary.ts <file.cpuprofile> [--steps steps.json] [--top N]\n',
  );
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const stepsFile = stepsArg ?? join(dirname(file), 'steps.json');
const marks = existsSync(stepsFile)
  ? (JSON.parse(readFileSync(stepsFile, 'utf8')) as StepMark[]).filter(
      (m) =>
        !m.warmup &&
        m.startUs >= profile.startTime &&
        m.endUs <= profile.endTime &&
        (!rates || rates.includes(m.rate)),
    )
  : [];

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const cwd = process.cwd();
const shortUrl = (url: string): string => {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return `npm:${path.slice(nm + 14)}`;
  return path.startsWith('/') ? relative(cwd, path) : path;
};
/** A package (npm:name) or a source file, for the by-file table. */
const fileKey = (url: string): string => {
  const s = shortUrl(url);
  if (s.startsWith('npm:')) {
    const parts = s.slice(4).split('/');
    const pkg = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    return `npm:${pkg}`;
  }
  return s || '(native)';
};
// Column too: code loaded through tsx often reports every function on line 1.
const fnKey = (f: CallFrame): string =>
  `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`;

// Sample timestamps: startTime + cumulative deltas.
const inWindow = (t: number) => marks.length === 0 || marks.some((m) => t >= m.startUs && t <= m.endUs);
const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclusiveByFn = new Map<string, number>();
const stacks = new Map<string, number>();
let busy = 0;
let idle = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  if (!inWindow(t)) continue;
  const leaf = nodes.get(profile.samples[i]!)!;
  const name = leaf.callFrame.functionName;
  if (name === '(idle)') {
    idle++;
    continue;
  }
  busy++;
  const k = fnKey(leaf.callFrame);
  selfByFn.set(k, (selfByFn.get(k) ?? 0) + 1);
  const fk = name === '(garbage collector)' || name === '(program)' ? name : fileKey(leaf.callFrame.url);
  selfByFile.set(fk, (selfByFile.get(fk) ?? 0) + 1);
  if (stacksOf && k.includes(stacksOf)) {
    const frames: string[] = [];
    for (let id: number | undefined = leaf.id; id !== undefined && frames.length < 8; id = parent.get(id)) {
      const f = nodes.get(id)!.callFrame;
      if (!f.url.startsWith('node:')) frames.push(fnKey(f));
    }
    const key = frames.join('\n      < ');
    stacks.set(key, (stacks.get(key) ?? 0) + 1);
  }
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const key = fnKey(nodes.get(id)!.callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusiveByFn.set(key, (inclusiveByFn.get(key) ?? 0) + 1);
  }
}

const pct = (n: number) => `${((n / Math.max(1, busy)) * 100).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>, n: number, filter?: string) => {
  process.stdout.write(`\n${title}\n`);
  const rows = [...map.entries()]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
  for (const [k, v] of rows) process.stdout.write(`${pct(v)} ${String(v).padStart(7)}  ${k}\n`);
};

const windowNote =
  marks.length > 0
    ? `${marks.length} step windows (${marks.map((m) => m.rate).join(', ')} cps)`
    : 'whole profile (no step marks)';
process.stdout.write(
  `${file}\n${windowNote}: ${busy} busy samples, ${idle} idle ` +
    `(busy ${((busy / Math.max(1, busy + idle)) * 100).toFixed(1)}% of the window)\n`,
);
print('self time by file / package', selfByFile, 25);
print('self time by function', selfByFn, top, match);
print('inclusive time by function', inclusiveByFn, top, match);
if (stacksOf) print(`stacks of ${stacksOf}`, stacks, 15);
