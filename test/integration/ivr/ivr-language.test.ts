/**
 * Real parts: Asterisk 22 (sandbox root with its English and Spanish sounds), the service as its own
 * process running a flow that sets the caller's language (`setLanguage('es')`) for callers to 101 and not
 * for callers to 100, a Spanish line (102: the route's `language`, into the same flow) and a Spanish line
 * straight to the queue (103), the contact center's own sounds (`customSoundsDir`: `greeting.wav` 1 s and
 * `es/greeting.wav` 3 s), and four SIPp callers waiting in a queue nobody answers that announces each
 * caller's place every 2 s. What Asterisk played, and in which language, is read from its own log.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHoldMusic } from '../../../scripts/sandbox/moh.js';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  eventually,
  newDataDir,
  type ServiceProcess,
  serviceEnv,
  spawnService,
  TEST_SECRET,
  waitHealthy,
  writeConfigFile,
} from '../harness/service.js';
import { type Interaction, interactionsOf, runIvrCaller, stepOf } from './ivr-harness.js';

const FLOW = `import { branch, defineFlow, play, queue, sayNumber, setLanguage } from '../src/ivr/index.js';

export default defineFlow({
  id: 'languages',
  entry: 'first',
  steps: {
    first: play('custom/greeting', { next: 'choose' }),
    choose: branch((ctx) => (ctx.dialed === '101' ? 'spanish' : 'second'), ['spanish', 'second']),
    spanish: setLanguage('es', { skills: { spanish: 1 }, next: 'second' }),
    second: play('custom/greeting', { next: 'number' }),
    number: sayNumber(21, { next: 'wait' }),
    wait: queue('line'),
  },
});
`;

const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [
    { id: 'line', name: 'Line', strategy: 'longest_idle', announce: { everySeconds: 2, position: true } },
  ],
  routes: [
    { dialed: '100', flow: 'languages' },
    { dialed: '101', flow: 'languages' },
    { dialed: '102', flow: 'languages', language: 'es' },
    { dialed: '103', queue: 'line', language: 'es' },
  ],
};
const ENGLISH = '+15550188001';
const SPANISH = '+15550188002';
const SPANISH_LINE = '+15550188003';
const SPANISH_QUEUE = '+15550188004';
const CALLERS = [
  { caller: ENGLISH, dialed: '100' },
  { caller: SPANISH, dialed: '101' },
  { caller: SPANISH_LINE, dialed: '102' },
  { caller: SPANISH_QUEUE, dialed: '103' },
];

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
const calls = new Map<string, Interaction>();
/** Each caller's channel as Asterisk names it (`PJSIP/carrier-…`), to tell its lines in the log. */
const channels = new Map<string, string>();
/**
 * Where this run's lines begin in Asterisk's messages.log: the instance keeps its log across starts, and
 * channel names start again at PJSIP/carrier-00000000 in every run.
 */
let logFrom = 0;
const asteriskLog = () =>
  readFileSync(asterisk.hostPath('log', 'messages.log')).subarray(logFrom).toString('utf8');

beforeAll(async () => {
  const sounds = mkdtempSync(join(tmpdir(), 'cc-sounds-'));
  writeHoldMusic(join(sounds, 'greeting.wav'), 1);
  mkdirSync(join(sounds, 'es'));
  writeHoldMusic(join(sounds, 'es', 'greeting.wav'), 3);
  const flows = mkdtempSync(join(tmpdir(), 'cc-flows-'));
  writeFileSync(join(flows, 'languages.ts'), FLOW);
  const dataDir = newDataDir();
  // Asterisk logs each sound it plays, and in which language, at verbosity 3 (its messages.log).
  asterisk = await startAsterisk(testConfig(), 'ivr-language', { customSoundsDir: sounds, verboseLog: 3 });
  logFrom = statSync(asterisk.hostPath('log', 'messages.log')).size;
  service = spawnService(
    serviceEnv(dataDir, {
      CC_CONFIG: writeConfigFile(dataDir, SETTINGS),
      CC_FLOWS_DIR: flows,
      CC_CUSTOM_SOUNDS_DIR: sounds,
    }),
  );
  await waitHealthy(service.baseUrl);
  // Each waits long enough to hear their place announced at least twice, then hangs up.
  const running = Promise.all(
    CALLERS.map((c) =>
      runIvrCaller({
        scenario: 'ivr-caller-hangs-up',
        ...c,
        actions: [{ pause: 14_000 }],
        timeoutSeconds: 40,
      }),
    ),
  );
  // `core show channels concise`: Channel!Context!Exten!Priority!State!App!Data!CallerID!…
  await eventually(async () => {
    for (const line of (await asterisk.cli('core show channels concise')).split('\n')) {
      const fields = line.split('!');
      if (fields[0]?.startsWith('PJSIP/carrier-') && fields[7]) channels.set(fields[7], fields[0]);
    }
    return CALLERS.every((c) => channels.has(c.caller)) ? true : undefined;
  }, 'the four callers on Asterisk');
  for (const run of await running) expect(run).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  for (const { caller } of CALLERS) {
    calls.set(
      caller,
      await eventually(async () => {
        const [call] = await interactionsOf(service.baseUrl, caller, 'inbound', TEST_SECRET);
        return call?.state === 'closed' ? call : undefined;
      }, `the call from ${caller} to close`),
    );
  }
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await asterisk?.stop();
});

const durationOf = (call: Interaction, stepId: string) => Number(stepOf(call, stepId)?.payload.durationMs);

describe("the caller's language (setLanguage)", () => {
  it("a Spanish caller hears the contact center's Spanish sound from sounds/es/ after the step, an English caller the default", () => {
    const spanish = calls.get(SPANISH)!;
    const english = calls.get(ENGLISH)!;
    expect(stepOf(spanish, 'spanish')?.payload).toMatchObject({
      kind: 'language',
      outcome: 'set',
      detail: { language: 'es', skills: ['spanish'] },
    });
    expect(spanish.callerData).toMatchObject({ language: 'es' });
    expect(english.callerData).not.toHaveProperty('language');
    expect(stepOf(english, 'spanish')).toBeUndefined();
    // The same `custom/greeting`: 1 s before the step (and for the English caller), 3 s after it.
    for (const call of [spanish, english]) {
      expect(durationOf(call, 'first')).toBeGreaterThan(700);
      expect(durationOf(call, 'first')).toBeLessThan(2000);
    }
    expect(durationOf(english, 'second')).toBeLessThan(2000);
    expect(durationOf(spanish, 'second')).toBeGreaterThan(2700);
    expect(durationOf(spanish, 'second')).toBeLessThan(4500);
  });

  it("Asterisk plays the number and the queue's announcements in the caller's language", () => {
    const log = asteriskLog();
    const played = (sound: RegExp, language: string) =>
      log.split('\n').filter((l) => sound.test(l) && l.includes(`(language '${language}')`));
    // "veintiuno", "twenty-one": Asterisk's number rules of each language, from its sounds.
    expect(played(/Playing 'digits\//, 'es').length).toBeGreaterThan(0);
    expect(played(/Playing 'digits\//, 'en').length).toBeGreaterThan(0);
    // Each caller's place in line, in their own language.
    expect(played(/Playing 'queue-(youarenext|thereare|callswaiting)/, 'es').length).toBeGreaterThan(0);
    expect(played(/Playing 'queue-(youarenext|thereare|callswaiting)/, 'en').length).toBeGreaterThan(0);
    const spanish = calls.get(SPANISH)!;
    expect(spanish.timeline.filter((e) => e.type === 'acd.announced').length).toBeGreaterThan(0);
    const enqueued = spanish.timeline.find((e) => e.type === 'acd.enqueued');
    expect(enqueued?.payload).toMatchObject({ queueId: 'line', skills: { spanish: 1 } });
  });

  it("a Spanish line (the route's language) speaks Spanish from the first prompt, into a flow or straight to a queue", () => {
    const line = calls.get(SPANISH_LINE)!;
    expect(line.callerData).toMatchObject({ language: 'es' });
    expect(line.timeline.find((e) => e.type === 'call.language')?.payload).toEqual({
      language: 'es',
      by: 'route',
    });
    // No setLanguage step on its way (the flow's branch sends 102 on), yet both greetings are the Spanish 3 s.
    expect(stepOf(line, 'spanish')).toBeUndefined();
    for (const step of ['first', 'second']) {
      expect(durationOf(line, step)).toBeGreaterThan(2700);
      expect(durationOf(line, step)).toBeLessThan(4500);
    }
    const log = asteriskLog();
    const heard = (caller: string) =>
      log
        .split('\n')
        .filter((l) => l.includes(`<${channels.get(caller)}>`) && l.includes('Playing'))
        .map((l) => /Playing '([^']+)' \(language '(\w+)'\)/.exec(l)?.slice(1).join(' '));
    // Straight to the queue: its place announced in Spanish, and nothing it heard in English.
    const queued = heard(SPANISH_QUEUE);
    expect(queued.some((l) => /^queue-(youarenext|thereare)\.gsm es$/.test(l ?? ''))).toBe(true);
    expect(queued.filter((l) => !/ es$/.test(l ?? ''))).toEqual([]);
    expect(calls.get(SPANISH_QUEUE)!.callerData).toMatchObject({ language: 'es' });
    // And the English caller heard nothing in Spanish.
    expect(heard(ENGLISH).filter((l) => !/ en$/.test(l ?? ''))).toEqual([]);
    expect(heard(ENGLISH).length).toBeGreaterThan(3);
  });
});
