import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FlowLogger,
  FlowRegistry,
  type FlowRegistryEvent,
  promptsFromSoundsDir,
  resolveInRoot,
} from '../../../src/flow-loader/index.js';
import { simulate } from '../../../src/ivr/index.js';
import { flowSource } from './flow-sources.js';

const catalogue = {
  queues: new Set(['sales', 'support']),
  prompts: new Set(['hello-world', 'beep', 'goodbye']),
};

function collectingLogger() {
  const lines: string[] = [];
  const logger: FlowLogger = {
    info: (_o, m) => lines.push(`info ${m}`),
    warn: (_o, m) => lines.push(`warn ${m}`),
    error: (_o, m) => lines.push(`error ${m}`),
  };
  return { lines, logger };
}

function waitFor(
  reg: FlowRegistry,
  pred: (e: FlowRegistryEvent) => boolean,
  ms = 8000,
): Promise<FlowRegistryEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for a registry event'));
    }, ms);
    const off = reg.on((e) => {
      if (pred(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

let dir: string;
let registries: FlowRegistry[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cc-flow-loader-test-'));
  registries = [];
});

afterEach(async () => {
  for (const r of registries) await r.close();
  await rm(dir, { recursive: true, force: true });
});

function registry(extra: Partial<ConstructorParameters<typeof FlowRegistry>[0]> = {}) {
  const log = collectingLogger();
  const reg = new FlowRegistry({
    dir,
    catalogue,
    logger: log.logger,
    displayBase: dir,
    debounceMs: 50,
    ...extra,
  });
  registries.push(reg);
  return { reg, log };
}

describe('FlowRegistry', { timeout: 30_000 }, () => {
  it('loads a good file: type-checked, imported, checked, versioned', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    const { reg, log } = registry();
    const status = await reg.reloadAll();
    expect(status).toEqual([
      expect.objectContaining({
        file: 'main.ts',
        ok: true,
        flowId: 'main',
        errors: [],
        version: expect.stringMatching(/^[0-9a-f]{12}$/),
      }),
    ]);
    const flow = reg.getFlow('main');
    expect(flow?.version).toBe(status[0]?.version);
    expect(Object.isFrozen(flow)).toBe(true);
    expect(log.lines[0]).toMatch(/^info flow 'main' loaded from main.ts/);
    const r = await simulate(flow!, {});
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'sales' });
  });

  it('refuses a syntax error with file:line and keeps the last good version serving', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main'));
    const { reg, log } = registry();
    await reg.reloadAll();
    const good = reg.getFlow('main');

    await writeFile(file, flowSource('main').replace("next: 'q' }),", "next: 'q' },"));
    const st = await reg.reloadFile('main.ts');
    expect(st?.ok).toBe(false);
    expect(st?.errors[0]).toBe("main.ts:8: ',' expected.");
    expect(st?.version).toBe(good?.version);
    expect(st?.attemptedVersion).not.toBe(good?.version);
    expect(reg.getFlow('main')).toBe(good);
    expect(log.lines.at(-1)).toMatch(
      /^warn flow file main.ts refused \(version [0-9a-f]+ keeps serving\):\nmain\.ts:8: ',' expected/,
    );
  });

  it('refuses a type error (a step target that does not exist) at the line of the typo', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main'));
    const { reg } = registry();
    await reg.reloadAll();
    const good = reg.getFlow('main');
    await writeFile(file, flowSource('main').replace("next: 'q'", "next: 'qq'"));
    const st = await reg.reloadFile('main.ts');
    expect(st?.errors).toEqual([`main.ts:7: Type '"qq"' is not assignable to type '"hi" | "q"'.`]);
    expect(reg.getFlow('main')).toBe(good);
  });

  it('refuses a file that throws while loading at the line that threw, and keeps the last good version', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main'));
    const { reg } = registry();
    await reg.reloadAll();
    const good = reg.getFlow('main');
    // Type-checks, but its top-level code throws on line 5 (a hook that reads config it was never given).
    const throwing = flowSource('main').replace(
      '\nexport default defineFlow({',
      [
        '',
        'const hours: Record<string, { open: number }> = {};',
        'function openingHour(day: string): number {',
        '  const h = hours[day];',
        "  if (!h) throw new Error('no opening hours for ' + day);",
        '  return h.open;',
        '}',
        "const opensAt: number = openingHour('mon');",
        '',
        'export default defineFlow({',
      ].join('\n'),
    );
    await writeFile(file, throwing);
    const st = await reg.reloadFile('main.ts');
    expect(st?.ok).toBe(false);
    expect(st?.errors).toEqual(['main.ts:6: flow module failed to load: no opening hours for mon']);
    expect(reg.getFlow('main')).toBe(good);
  });

  it('refuses a file failing the static checks (unknown queue, unknown prompt) with file:line', async () => {
    await writeFile(
      path.join(dir, 'main.ts'),
      flowSource('main', 'salez').replace("'hello-world'", "'welcome'"),
    );
    const { reg } = registry();
    const [st] = await reg.reloadAll();
    expect(st?.ok).toBe(false);
    expect(st?.errors).toEqual(["main.ts:7: unknown prompt 'welcome'", "main.ts:8: unknown queue 'salez'"]);
    expect(st?.version).toBeUndefined();
    expect(reg.getFlow('main')).toBeUndefined();
  });

  it('refuses imports other than the flow API, and files without a default flow export', async () => {
    await writeFile(path.join(dir, 'a.ts'), `import { readFileSync } from 'node:fs';\n${flowSource('a')}`);
    await writeFile(path.join(dir, 'b.ts'), `export const x = 1;\n`);
    await writeFile(path.join(dir, 'c.ts'), `export default { id: 'c' };\n`);
    const { reg } = registry();
    const st = await reg.reloadAll();
    expect(st.map((s) => [s.file, s.ok, s.errors])).toEqual([
      ['a.ts', false, ["a.ts:1: flows may only import the flow API ('../src/ivr/index.js'), not 'node:fs'"]],
      ['b.ts', false, ['b.ts:1: the file must `export default defineFlow({ ... })`']],
      ['c.ts', false, ['c.ts:1: the file must `export default defineFlow({ ... })`']],
    ]);
  });

  it('refuses a second file using an existing flow id', async () => {
    await writeFile(path.join(dir, 'a.ts'), flowSource('main'));
    await writeFile(path.join(dir, 'b.ts'), flowSource('main', 'support'));
    const { reg } = registry();
    const st = await reg.reloadAll();
    expect(st[0]?.ok).toBe(true);
    expect(st[1]?.errors).toEqual(["b.ts:4: flow id 'main' is already used by a.ts"]);
    expect(reg.getFlow('main')?.steps.q).toMatchObject({ queueId: 'sales' });
  });

  it('refuses a flow id the service keeps for its own flow (a queue voicemail)', async () => {
    await writeFile(path.join(dir, 'vm.ts'), flowSource('queue-voicemail'));
    const { reg } = registry();
    const st = await reg.reloadAll();
    expect(st[0]?.errors).toEqual([
      "vm.ts:4: flow id 'queue-voicemail' is reserved for a flow the service runs itself: choose another",
    ]);
    expect(reg.getFlow('queue-voicemail')).toBeUndefined();
  });

  it('checks gotoFlow targets against the flows in the directory', async () => {
    const gotoSource = (target: string) => `import { defineFlow, gotoFlow } from '../src/ivr/index.js';
export default defineFlow({ id: 'entry', entry: 'go', steps: { go: gotoFlow('${target}') } });
`;
    await writeFile(path.join(dir, 'entry.ts'), gotoSource('main'));
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    const { reg } = registry();
    let st = await reg.reloadAll();
    expect(st.every((s) => s.ok)).toBe(true);
    await writeFile(path.join(dir, 'entry.ts'), gotoSource('mian'));
    st = [(await reg.reloadFile('entry.ts'))!];
    expect(st[0]?.errors).toEqual(["entry.ts:2: unknown flow 'mian'"]);
  });

  it('a file renamed by copy then delete takes over its flow id once the old file is gone', async () => {
    await writeFile(path.join(dir, 'welcome.ts'), flowSource('main'));
    const { reg } = registry();
    await reg.reloadAll();
    await writeFile(path.join(dir, 'greeting.ts'), flowSource('main'));
    expect((await reg.reloadFile('greeting.ts'))?.errors).toEqual([
      "greeting.ts:4: flow id 'main' is already used by welcome.ts",
    ]);
    await unlink(path.join(dir, 'welcome.ts'));
    await reg.reloadFile('welcome.ts');
    expect(reg.getFlow('main')).toBeDefined();
    expect(reg.status().map((f) => [f.file, f.ok])).toEqual([['greeting.ts', true]]);
  });

  it('keeps serving a deleted flow other flows still go to, and flags them', async () => {
    await writeFile(
      path.join(dir, 'entry.ts'),
      `import { defineFlow, gotoFlow } from '../src/ivr/index.js';
export default defineFlow({ id: 'entry', entry: 'go', steps: { go: gotoFlow('main') } });
`,
    );
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    const { reg, log } = registry();
    await reg.reloadAll();
    await unlink(path.join(dir, 'main.ts'));
    await reg.reloadFile('main.ts');
    // The callers of `entry` still reach it...
    expect(reg.getFlow('main')?.steps.q).toMatchObject({ queueId: 'sales' });
    expect(log.lines.join('\n')).toMatch(/main\.ts deleted, but entry\.ts still go to flow 'main'/);
    // ...and `entry` is flagged, its last good version serving.
    const entry = reg.status().find((f) => f.file === 'entry.ts');
    expect(entry).toMatchObject({ ok: false, errors: ["entry.ts:2: unknown flow 'main'"] });
    expect(reg.getFlow('entry')).toBeDefined();
  });

  it('keeps serving a deleted flow a route or a queue still sends callers to, and says so', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    await writeFile(path.join(dir, 'other.ts'), flowSource('other'));
    const { reg, log } = registry({
      usedElsewhere: (id) =>
        id === 'main' ? ['the route for 100', 'queue sales (its after-call flow)'] : [],
    });
    await reg.reloadAll();
    const removed: FlowRegistryEvent[] = [];
    reg.on((e) => {
      if (e.type === 'removed') removed.push(e);
    });
    await unlink(path.join(dir, 'main.ts'));
    await reg.reloadFile('main.ts');
    expect(reg.getFlow('main')?.steps.q).toMatchObject({ queueId: 'sales' });
    expect(log.lines.join('\n')).toMatch(
      /main\.ts deleted, but the route for 100, queue sales \(its after-call flow\) still go to flow 'main'.*a restart without it drops it/,
    );
    // A flow nothing else uses goes when its file does.
    await unlink(path.join(dir, 'other.ts'));
    await reg.reloadFile('other.ts');
    expect(reg.getFlow('other')).toBeUndefined();
    expect(removed.map((e) => (e as { flowId?: string }).flowId)).toEqual(['other']);
  });

  it('a call holding the old version keeps it after a reload; new calls get the new one', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main', 'sales'));
    const { reg } = registry();
    await reg.reloadAll();
    const heldByCall = reg.getFlow('main')!;
    await writeFile(file, flowSource('main', 'support'));
    await reg.reloadFile('main.ts');
    const current = reg.getFlow('main')!;
    expect(current).not.toBe(heldByCall);
    expect(current.version).not.toBe(heldByCall.version);
    expect((await simulate(heldByCall)).action).toMatchObject({ queueId: 'sales' });
    expect((await simulate(current)).action).toMatchObject({ queueId: 'support' });
  });

  it('picks up a broken then fixed file through the watcher, and unloads a deleted one', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main', 'sales'));
    const { reg } = registry();
    await reg.reloadAll();
    reg.watch();
    const good = reg.getFlow('main')!;

    const refused = waitFor(reg, (e) => e.type === 'refused');
    await writeFile(file, flowSource('main', 'sales').replace('defineFlow({', 'defineFlow({{'));
    const r = await refused;
    expect(r).toMatchObject({ type: 'refused', file: 'main.ts', serving: good.version });
    expect(reg.getFlow('main')).toBe(good);

    const loaded = waitFor(reg, (e) => e.type === 'loaded');
    await writeFile(file, flowSource('main', 'support'));
    const l = await loaded;
    expect(l).toMatchObject({ type: 'loaded', flowId: 'main' });
    expect(reg.getFlow('main')?.steps.q).toMatchObject({ queueId: 'support' });
    expect(reg.status()[0]).toMatchObject({ ok: true, errors: [] });

    const added = waitFor(reg, (e) => e.type === 'loaded' && e.flowId === 'other');
    await writeFile(path.join(dir, 'other.ts'), flowSource('other'));
    await added;
    expect(reg.getFlow('other')).toBeDefined();

    const removed = waitFor(reg, (e) => e.type === 'removed');
    await unlink(file);
    expect(await removed).toMatchObject({ flowId: 'main' });
    expect(reg.getFlow('main')).toBeUndefined();
    expect(reg.status().map((s) => s.file)).toEqual(['other.ts']);
  });

  it('close() stops watching', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    const { reg } = registry();
    await reg.reloadAll();
    reg.watch();
    await reg.close();
    const events: FlowRegistryEvent[] = [];
    reg.on((e) => events.push(e));
    await writeFile(path.join(dir, 'main.ts'), flowSource('main', 'support'));
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([]);
    expect(reg.getFlow('main')?.steps.q).toMatchObject({ queueId: 'sales' });
  });

  it('loads the shipped example flows with the real prompt list', async () => {
    const { reg } = registry({
      dir: path.resolve('ivr-flows'),
      displayBase: process.cwd(),
      catalogue: { queues: new Set(['sales', 'support', 'billing']), prompts: await shippedPrompts() },
    });
    const st = await reg.reloadAll();
    expect(st.map((s) => [s.file, s.ok, s.errors])).toEqual([
      ['ivr-flows/after-hours.ts', true, []],
      ['ivr-flows/csat-survey.ts', true, []],
      ['ivr-flows/main.ts', true, []],
    ]);
    expect(
      reg
        .flows()
        .map((f) => f.id)
        .sort(),
    ).toEqual(['after-hours', 'csat-survey', 'main']);
  });
});

describe('sounds catalogue', () => {
  it('lists prompt names from a sounds dir, following an absolute symlink inside an Asterisk root', async () => {
    const real = path.join(dir, 'usr/share/asterisk/sounds/en_US_f_Allison');
    await mkdir(path.join(real, 'digits'), { recursive: true });
    await mkdir(path.join(dir, 'etc/alternatives'), { recursive: true });
    await writeFile(path.join(real, 'hello-world.gsm'), '');
    await writeFile(path.join(real, 'hello-world.wav'), '');
    await writeFile(path.join(real, 'README.txt'), '');
    await writeFile(path.join(real, 'digits/1.gsm'), '');
    await symlink(
      '/usr/share/asterisk/sounds/en_US_f_Allison',
      path.join(dir, 'etc/alternatives/asterisk-prompt-en'),
    );
    await symlink('/etc/alternatives/asterisk-prompt-en', path.join(dir, 'usr/share/asterisk/sounds/en'));
    const resolved = await resolveInRoot(dir, 'usr/share/asterisk/sounds/en');
    expect(resolved).toBe(real);
    expect([...(await promptsFromSoundsDir(resolved))].sort()).toEqual(['digits/1', 'hello-world']);
  });

  it("adds the contact center's own sounds as custom/<name>, from where the root's sounds/custom leads", async () => {
    const english = path.join(dir, 'usr/share/asterisk/sounds/en');
    const own = path.join(dir, 'usr/local/share/asterisk/sounds');
    await mkdir(english, { recursive: true });
    await mkdir(path.join(own, 'queues'), { recursive: true });
    await writeFile(path.join(english, 'beep.gsm'), '');
    await writeFile(path.join(own, 'welcome.wav'), '');
    await writeFile(path.join(own, 'queues/sales.sln16'), '');
    await writeFile(path.join(own, 'README.md'), '');
    // Debian's link, relative as the package ships it.
    await symlink('../../../local/share/asterisk/sounds', path.join(dir, 'usr/share/asterisk/sounds/custom'));
    const { promptsFromAsteriskRoot } = await import('../../../src/flow-loader/index.js');
    expect([...(await promptsFromAsteriskRoot(dir))].sort()).toEqual([
      'beep',
      'custom/queues/sales',
      'custom/welcome',
    ]);
  });
});

/** The real core sound set when the Asterisk root is built, else the names the example flows use (checked above against it). */
async function shippedPrompts(): Promise<Set<string>> {
  const { promptsFromAsteriskRoot } = await import('../../../src/flow-loader/index.js');
  const real = await promptsFromAsteriskRoot();
  if (real.size > 0) return real;
  return new Set(
    'hello vm-press digits/0 digits/1 digits/2 digits/3 digits/4 digits/5 digits/6 digits/7 digits/8 digits/9 basic-pbx-ivr-main pm-invalid-option please-try-again one-moment-please im-sorry please-try-call-later goodbye vm-nobodyavail vm-leavemsg vm-tocallback vm-intro vm-msgsaved vm-goodbye telephone-number if-correct-press vm-enter-num-to-call auth-thankyou'.split(
      ' ',
    ),
  );
}
