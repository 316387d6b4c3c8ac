/**
 * The `setLanguage` step: the caller hears the language from there on (the port sets it, every prompt after
 * is heard in it), it is the caller data `language` with the step's skills, a computed language is checked
 * when the call gets there, and the flow check refuses a language Asterisk has no sounds for.
 */
import { describe, expect, it } from 'vitest';
import {
  checkFlow,
  dataDip,
  defineFlow,
  type IvrPort,
  play,
  queue,
  runFlow,
  setLanguage,
  simulate,
} from '../../../src/ivr/index.js';
import { fakePort } from './fake-port.js';

const flow = defineFlow({
  id: 'lang',
  entry: 'hello',
  onError: 'sorry',
  steps: {
    hello: play('hello', { next: 'spanish' }),
    spanish: setLanguage('es', { skills: { spanish: 1 }, next: 'menu' }),
    menu: play(['vm-press', 'digits/2'], { next: 'wait' }),
    wait: queue('support'),
    sorry: queue('support'),
  },
});

describe('setLanguage', () => {
  it('makes every prompt after it heard in the language, and is the caller data language with the skills', async () => {
    const r = await simulate(flow, { queues: new Set(['support']) });
    expect(r.path).toEqual(['hello', 'spanish', 'menu', 'wait']);
    const plays = r.steps.flatMap((s) => s.plays);
    expect(plays.map((p) => [p.media.join(' '), p.language])).toEqual([
      ['hello', undefined],
      ['vm-press digits/2', 'es'],
    ]);
    expect(r.action).toMatchObject({
      type: 'queue',
      queueId: 'support',
      skills: { spanish: 1 },
      data: { language: 'es' },
    });
    const step = r.steps.find((s) => s.event.stepId === 'spanish')?.event;
    expect(step).toMatchObject({
      kind: 'language',
      outcome: 'set',
      detail: { language: 'es', skills: ['spanish'] },
    });
  });

  it("starts in the line's language when the call brings one (a route's language), a step may change it", async () => {
    const r = await simulate(flow, { queues: new Set(['support']), language: 'en_US', data: { vip: true } });
    expect(r.steps.flatMap((s) => s.plays).map((p) => p.language)).toEqual(['en_US', 'es']);
    expect(r.data).toEqual({ vip: true, language: 'es' });
    const stays = await simulate(
      defineFlow({
        id: 'line',
        entry: 'hi',
        steps: { hi: play('hello', { next: 'q' }), q: queue('support') },
      }),
      { language: 'es' },
    );
    expect(stays.steps.flatMap((s) => s.plays).map((p) => p.language)).toEqual(['es']);
    expect(stays.action).toMatchObject({ type: 'queue', data: { language: 'es' } });
  });

  it('takes a language computed from what the flow learnt (a CRM says the customer speaks French)', async () => {
    const crm = defineFlow({
      id: 'crm',
      entry: 'dip',
      onError: 'sorry',
      steps: {
        dip: dataDip({
          request: () => ({ method: 'GET', url: 'http://crm/x' }),
          map: (res) => ({ preferred: String((res.body as { lang: string }).lang) }),
          next: 'lang',
          onFail: 'wait',
        }),
        lang: setLanguage((ctx) => String(ctx.data.preferred), { next: 'wait' }),
        wait: queue('support'),
        sorry: queue('support'),
      },
    });
    const fr = await simulate(crm, { dips: { 'http://crm/x': { body: { lang: 'fr_CA' } } } });
    expect(fr.path).toEqual(['dip', 'lang', 'wait']);
    expect(fr.data).toMatchObject({ language: 'fr_CA' });
    // Not a language code: the error path, the caller's language unchanged.
    const bad = await simulate(crm, { dips: { 'http://crm/x': { body: { lang: 'French' } } } });
    expect(bad.path).toEqual(['dip', 'lang', 'sorry']);
    expect(bad.data).not.toHaveProperty('language');
    const failed = bad.steps.find((s) => s.event.stepId === 'lang')?.event;
    expect(failed).toMatchObject({ outcome: 'error' });
    expect(String(failed?.detail?.error)).toContain("'French' is not a language code");
  });

  it('a caller gone as the language is set has hung up there; a refusal takes the error path', async () => {
    const port = (setLanguage: IvrPort['setLanguage']) => fakePort({ setLanguage });
    const gone = await runFlow(
      flow,
      port(async () => ({ hungUp: true })),
      { callId: 'c' },
    );
    expect(gone.action).toMatchObject({ type: 'caller-hung-up', atStep: 'spanish' });
    const set: string[] = [];
    const ok = await runFlow(
      flow,
      port(async (l) => {
        set.push(l);
        return {};
      }),
      { callId: 'c' },
    );
    expect(set).toEqual(['es']);
    expect(ok.action).toMatchObject({ type: 'queue', data: { language: 'es' } });
    const refused = await runFlow(
      flow,
      port(async () => {
        throw new Error('channel not found');
      }),
      { callId: 'c' },
    );
    expect(refused.path).toEqual(['hello', 'spanish', 'sorry']);
  });

  it('the flow check warns of each prompt a caller hears after the step that their language has no sound for', () => {
    const menuFlow = defineFlow({
      id: 'm',
      entry: 'hi',
      steps: {
        hi: play('hello', { next: 'spanish' }),
        spanish: setLanguage('es', { next: 'menu' }),
        menu: play(['vm-press', 'basic-pbx-ivr-main', 'custom/greeting', 'custom/offer'], { next: 'wait' }),
        wait: queue('support'),
      },
    });
    const catalogue = {
      prompts: new Set(['hello', 'vm-press', 'basic-pbx-ivr-main', 'custom/greeting', 'custom/offer']),
      languages: new Set(['en', 'es']),
      // Spanish has vm-press of Asterisk's own and a greeting recorded in sounds/es/, not the rest.
      languagePrompts: new Map([['es', new Set(['vm-press', 'custom/greeting'])]]),
    };
    const issues = checkFlow(menuFlow, catalogue);
    expect(issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(issues.map((i) => `${i.stepId}: ${i.message}`)).toEqual([
      "menu: prompt 'basic-pbx-ivr-main' has no es sound: callers who hear es from step 'spanish' hear it in English",
      "menu: prompt 'custom/offer' has no es sound: callers who hear es from step 'spanish' hear it in English (record it as es/offer in the sounds folder)",
    ]);
    // Before the step (hello) nothing is said; without the per-language catalogue nothing is checked.
    expect(checkFlow(menuFlow, { ...catalogue, languagePrompts: new Map() })).toEqual([]);
  });

  it('the flow check refuses a language that is no code, or one Asterisk has no sounds for; a computed one waits', () => {
    const withLanguage = (language: string | (() => string)) =>
      defineFlow({
        id: 'f',
        entry: 'l',
        steps: { l: setLanguage(language, { next: 'q' }), q: queue('support') },
      });
    const languages = new Set(['en', 'en_US', 'es', 'es_MX']);
    const problems = (language: string | (() => string)) =>
      checkFlow(withLanguage(language), { languages }).map((i) => `${i.stepId}: ${i.message}`);
    expect(problems('es')).toEqual([]);
    expect(problems('es_MX')).toEqual([]);
    expect(problems('fr')).toEqual([
      "l: no sounds for language 'fr' in Asterisk (there are: en, en_US, es, es_MX): callers would hear English",
    ]);
    expect(problems('Spanish')).toEqual([
      "l: language 'Spanish' is not a language code such as 'es' or 'en_US'",
    ]);
    expect(checkFlow(withLanguage('fr'), {})).toEqual([]); // no catalogue of languages: not checked
    expect(problems(() => 'fr')).toEqual([]);
  });
});
