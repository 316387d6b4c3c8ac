/**
 * Ops CLI for IVR flows (run with `npx tsx scripts/flow.ts …`, or `npm run flow -- …`).
 *
 *   flow check [dir] [--queues sales,support] [--switches emergency-closure] [--sounds <dir>]
 *       Type-checks and statically checks every flow in dir (default ivr-flows/), prints
 *       `file:line: message` per problem, exits 1 on any error.
 *
 *   flow simulate <flow-file> [--digits "1@2s,2@5s"] [--hangup-at 30s] [--at 2026-12-01T10:00:00Z]
 *                 [--caller +15551234567] [--dialed 8005550100] [--dip 'URL=<json>|timeout|error|<status>']
 *                 [--data key=value] [--language es] [--queues a,b] [--switches-on a,b] [--sounds <dir>]
 *                 [--tz Europe/Madrid] [--json]
 *       Runs the flow against a scripted caller (no Asterisk) and prints the trace. Switches are off unless
 *       named in --switches-on (as a supervisor would have turned them on).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  defaultAsteriskRoot,
  type FlowLogger,
  FlowRegistry,
  languagePromptsFromAsteriskRoot,
  languagesFromAsteriskRoot,
  promptsFromAsteriskRoot,
  promptsFromSoundsDir,
} from '../src/flow-loader/index.js';
import {
  type CallerData,
  type CallerScript,
  type Catalogue,
  type Flow,
  formatTrace,
  LANGUAGE_CODE,
  type ScriptedDip,
  simulate,
} from '../src/ivr/index.js';

const USAGE = `usage:
  flow check [dir] [--queues a,b,c] [--switches a,b] [--sounds <dir>]
  flow simulate <flow-file> [--digits "1@2s,2@5s"] [--hangup-at 30s] [--at <ISO time>]
                [--caller <number>] [--dialed <number>] [--dip 'URL=<json>|timeout|error|<status>']...
                [--data key=value]... [--language es] [--queues a,b,c] [--switches-on a,b] [--sounds <dir>]
                [--tz <zone>] [--json]`;

const silent: FlowLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** `2s`, `1.5s`, `500ms`, `1m`, bare numbers are seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`bad duration '${text}' (use e.g. 2s, 500ms, 1m)`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

/** `"1@2s,1234#@5s"` → key presses. */
export function parseDigits(text: string): { at: number; digits: string }[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [digits, at] = entry.split('@');
      if (!digits || at === undefined || !/^[0-9*#]+$/.test(digits)) {
        throw new Error(`bad --digits entry '${entry}' (use KEYS@TIME, e.g. 1@2s)`);
      }
      return { at: parseDuration(at), digits };
    });
}

function parseDip(text: string): [string, ScriptedDip] {
  const i = text.lastIndexOf('=');
  if (i <= 0) throw new Error(`bad --dip '${text}' (use URL=<json>|timeout|error|<status>)`);
  const url = text.slice(0, i);
  const value = text.slice(i + 1);
  if (value === 'timeout' || value === 'error') return [url, value];
  if (/^\d{3}$/.test(value)) return [url, { status: Number(value) }];
  try {
    return [url, { body: JSON.parse(value) }];
  } catch {
    throw new Error(`bad --dip body for ${url}: not JSON`);
  }
}

function parseData(pairs: readonly string[]): CallerData {
  const out: CallerData = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new Error(`bad --data '${p}' (use key=value)`);
    const v = p.slice(i + 1);
    out[p.slice(0, i)] =
      v === 'true' ? true : v === 'false' ? false : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

async function prompts(soundsDir: string | undefined): Promise<{ set?: Set<string>; note?: string }> {
  if (soundsDir) {
    const set = await promptsFromSoundsDir(soundsDir);
    return set.size > 0 ? { set } : { note: `no sound files in ${soundsDir}; prompts not checked` };
  }
  const set = await promptsFromAsteriskRoot();
  // The contact center's own sounds, also while no Asterisk runs to have them mounted.
  for (const name of await promptsFromSoundsDir(customSoundsDir())) set.add(`custom/${name}`);
  return set.size > 0
    ? { set }
    : {
        note: `no Asterisk sounds under ${defaultAsteriskRoot()} (run scripts/build-asterisk-root.sh or pass --sounds); prompts not checked`,
      };
}

/** The contact center's own sounds folder (custom/<name>), as the service is configured with it. */
function customSoundsDir(): string {
  return path.resolve(process.env.CC_CUSTOM_SOUNDS_DIR ?? 'sounds');
}

/** Every switch the flow names, on when listed in `list`, off otherwise. */
function switchesOn(flow: Flow, list: string): Record<string, boolean> {
  const on = idSet(list) ?? new Set<string>();
  const named = Object.values(flow.steps).flatMap((s) => (s.kind === 'switch' ? [s.switchId] : []));
  return Object.fromEntries([...new Set([...named, ...on])].map((id) => [id, on.has(id)]));
}

/** A comma-separated list of ids (queues, switches), or undefined when not given. */
function idSet(list: string | undefined): Set<string> | undefined {
  return list
    ? new Set(
        list
          .split(',')
          .map((q) => q.trim())
          .filter(Boolean),
      )
    : undefined;
}

async function check(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { queues: { type: 'string' }, switches: { type: 'string' }, sounds: { type: 'string' } },
  });
  const dir = path.resolve(positionals[0] ?? 'ivr-flows');
  if (!existsSync(dir)) {
    console.error(`${dir}: no such directory`);
    return 2;
  }
  const p = await prompts(values.sounds);
  const q = idSet(values.queues);
  const sw = idSet(values.switches);
  if (p.note) console.error(`note: ${p.note}`);
  if (!q) console.error('note: no --queues given; queue ids not checked');
  if (!sw) console.error('note: no --switches given; switch ids not checked');
  // The languages the Asterisk root has sounds for (not known for a --sounds folder).
  const languages = values.sounds ? undefined : await languagesFromAsteriskRoot();
  const languagePrompts =
    languages && (await languagePromptsFromAsteriskRoot(defaultAsteriskRoot(), languages, customSoundsDir()));
  const catalogue: Catalogue = {
    ...(languages && languages.size > 0 ? { languages, languagePrompts } : {}),
    ...(p.set ? { prompts: p.set } : {}),
    ...(q ? { queues: q } : {}),
    ...(sw ? { switches: sw } : {}),
  };
  const registry = new FlowRegistry({ dir, catalogue, logger: silent });
  try {
    const status = await registry.reloadAll();
    let failed = 0;
    for (const s of status) {
      for (const e of s.errors) console.log(e);
      for (const w of s.warnings) console.log(w);
      if (!s.ok) failed++;
    }
    const summary = `${status.length - failed} of ${status.length} flow file(s) ok`;
    if (failed > 0) console.error(`${summary}; ${failed} refused`);
    else console.error(summary);
    return failed > 0 ? 1 : 0;
  } finally {
    await registry.close();
  }
}

async function sim(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      digits: { type: 'string' },
      'hangup-at': { type: 'string' },
      at: { type: 'string' },
      caller: { type: 'string' },
      dialed: { type: 'string' },
      dip: { type: 'string', multiple: true },
      data: { type: 'string', multiple: true },
      language: { type: 'string' },
      queues: { type: 'string' },
      'switches-on': { type: 'string' },
      sounds: { type: 'string' },
      tz: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const file = positionals[0];
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const abs = path.resolve(file);
  if (!existsSync(abs)) {
    console.error(`${file}: no such file`);
    return 2;
  }
  if (values.language !== undefined && !LANGUAGE_CODE.test(values.language)) {
    console.error(`--language '${values.language}' is not a language code such as 'es' or 'en_US'`);
    return 2;
  }
  const p = await prompts(values.sounds);
  const q = idSet(values.queues);
  if (p.note) console.error(`note: ${p.note}`);
  // Load the whole directory so gotoFlow works; only the simulated file has to be good.
  const registry = new FlowRegistry({
    dir: path.dirname(abs),
    catalogue: { ...(p.set ? { prompts: p.set } : {}), ...(q ? { queues: q } : {}) },
    logger: silent,
  });
  try {
    const status = await registry.reloadAll();
    const mine = status.find((s) => path.resolve(s.file) === abs);
    const flow = mine?.ok && mine.flowId ? registry.getFlow(mine.flowId) : undefined;
    if (!mine || !flow) {
      for (const e of mine?.errors ?? [`${file}: not loaded`]) console.log(e);
      return 1;
    }
    const script: CallerScript = {
      ...(values.at ? { start: values.at } : {}),
      ...(values.caller ? { caller: values.caller } : {}),
      ...(values.dialed ? { dialed: values.dialed } : {}),
      ...(values.digits ? { digits: parseDigits(values.digits) } : {}),
      ...(values['hangup-at'] ? { hangupAt: parseDuration(values['hangup-at']) } : {}),
      ...(values.dip ? { dips: Object.fromEntries(values.dip.map(parseDip)) } : {}),
      ...(values.data ? { data: parseData(values.data) } : {}),
      ...(values.language ? { language: values.language } : {}),
      ...(p.set ? { prompts: p.set } : {}),
      ...(q ? { queues: q } : {}),
      ...(values['switches-on'] ? { switches: switchesOn(flow, values['switches-on']) } : {}),
      flows: (id) => registry.getFlow(id),
    };
    const result = await simulate(flow, script);
    if (values.json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      const hours = Object.values(flow.steps).find((s) => s.kind === 'hours');
      const timeZone = values.tz ?? (hours?.kind === 'hours' ? hours.schedule.timeZone : undefined);
      console.log(formatTrace(result, timeZone ? { timeZone } : {}));
    }
    return 0;
  } finally {
    await registry.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'check') return await check(rest);
    if (command === 'simulate' || command === 'sim') return await sim(rest);
    console.error(USAGE);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
