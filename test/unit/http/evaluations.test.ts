/**
 * Quality evaluations over the API (the real app and SQLite log; fake Asterisk): a supervisor scores the
 * agent of an ended call against the site's form; the agent sees it on their stream (colleagues do not),
 * lists their own and acknowledges it with a reply; supervisors list, summarise per agent and withdraw one
 * (change log); bad answers, calls still going on and agents not on the call are refused with a reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];

beforeEach(async () => {
  api = await buildApi();
  told = [];
  api.hub.subscribe((event) => {
    if (event.type.startsWith('evaluation.')) told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
});

const post = (url: string, token: string, payload: object = {}) =>
  api.app.inject({ method: 'POST', url, headers: api.as(token), payload });
const get = (url: string, token: string) => api.app.inject({ url, headers: api.as(token) });
// The shipped form: greeting, identity (critical, may be n/a), understood, resolved, tone (scales of 5).
const GOOD = { greeting: true, identity: true, understood: 5, resolved: 4, tone: 5 };

/** Sam scores a call each agent handled (ended) with these answers; the evaluations' ids, in order. */
async function scoreCalls(
  scored: readonly (readonly [string, Record<string, unknown>])[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [agent, answers] of scored) {
    const call = await api.callHandledBy(agent, { ended: true });
    const reply = await post(`/api/interactions/${call}/evaluations`, api.supervisorTokenOf('sam'), {
      formId: 'call-review',
      answers,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    ids.push(reply.json().id);
  }
  return ids;
}

describe('quality evaluations', () => {
  it('a supervisor scores the agent of an ended call; the agent sees it live, lists it and acknowledges it with a reply', async () => {
    const sam = api.supervisorTokenOf('sam');
    const anna = api.tokenOf('agent1');
    const forms = await get('/api/evaluation-forms', anna);
    expect(forms.statusCode).toBe(200);
    expect(forms.json().items.map((f: { id: string }) => f.id)).toEqual(['call-review']);

    const call = await api.callHandledBy('agent1', { ended: true });
    const scored = await post(`/api/interactions/${call}/evaluations`, sam, {
      formId: 'call-review',
      answers: { ...GOOD, greeting: false },
      comment: 'Warm, but give your name',
    });
    expect(scored.statusCode, scored.body).toBe(201);
    const evaluation = scored.json();
    // greeting 0 of 10, the rest 20 + 25 + 20 + 20 = 85 of 100.
    expect(evaluation).toMatchObject({
      interactionId: call,
      agentId: 'agent1',
      formId: 'call-review',
      formName: 'Call review',
      passMark: 80,
      score: 85,
      passed: true,
      criticalFailed: [],
      comment: 'Warm, but give your name',
      by: { id: 'sam', name: 'Sam Super' },
    });
    expect(evaluation.answers[0]).toEqual({
      id: 'greeting',
      text: 'Greeted the caller and gave their name',
      kind: 'yes-no',
      weight: 10,
      critical: false,
      answer: false,
    });
    // On the stream: the agent scored and supervisors, not colleagues.
    expect(told.map((e) => e.type)).toEqual(['evaluation.created']);
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, told[0]!)).toBe(true);
    expect(mayReceive({ role: 'agent', agentId: 'agent2' }, told[0]!)).toBe(false);
    expect(mayReceive({ role: 'supervisor' }, told[0]!)).toBe(true);

    // Anna lists her own; asking for a colleague's is refused; the colleague sees none of hers.
    const mine = await get('/api/evaluations', anna);
    expect(mine.json().items.map((e: { id: string }) => e.id)).toEqual([evaluation.id]);
    // Which call it is of: when, with whom, whether it can be played.
    expect(mine.json().items[0].call).toEqual({
      startedAt: expect.any(String),
      direction: 'inbound',
      callerNumber: '+15551230000',
      callerName: null,
      queueId: 'sales',
      recorded: false,
    });
    expect((await get('/api/evaluations?agentId=agent2', anna)).statusCode).toBe(403);
    expect((await get('/api/evaluations', api.tokenOf('agent2'))).json().items).toEqual([]);
    expect((await get(`/api/interactions/${call}/evaluations`, api.tokenOf('agent2'))).statusCode).toBe(403);
    expect((await get(`/api/interactions/${call}/evaluations`, anna)).json().items).toHaveLength(1);

    // She acknowledges it once, with a reply; supervisors cannot for her.
    expect((await post(`/api/evaluations/${evaluation.id}/acknowledge`, sam)).statusCode).toBe(403);
    expect(
      (await post(`/api/evaluations/${evaluation.id}/acknowledge`, api.tokenOf('agent2'))).json(),
    ).toEqual({
      code: 'NOT_YOUR_EVALUATION',
      message: `evaluation ${evaluation.id} is not of agent2`,
    });
    const read = await post(`/api/evaluations/${evaluation.id}/acknowledge`, anna, {
      reply: 'I did, at the start',
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ reply: 'I did, at the start' });
    expect(read.json().acknowledgedAt).toEqual(expect.any(String));
    const twice = await post(`/api/evaluations/${evaluation.id}/acknowledge`, anna);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ALREADY_ACKNOWLEDGED');
    expect(told.map((e) => e.type)).toEqual(['evaluation.created', 'evaluation.acknowledged']);
    // Kept: the call's evaluations say so.
    const onCall = (await get(`/api/interactions/${call}/evaluations`, sam)).json().items;
    expect(onCall).toMatchObject([{ id: evaluation.id, reply: 'I did, at the start', score: 85 }]);
  });

  it('refuses bad answers, an unknown form, a call still going on, an agent not on it, a second score, and agents scoring', async () => {
    const sam = api.supervisorTokenOf('sam');
    const call = await api.callHandledBy('agent1', { ended: true });
    const refused = async (body: object, id = call) => {
      const reply = await post(`/api/interactions/${id}/evaluations`, sam, body);
      return [reply.statusCode, reply.json().code, reply.json().message];
    };
    expect(await refused({ formId: 'call-review', answers: { ...GOOD, tone: 6 } })).toEqual([
      400,
      'EVALUATION_INVALID',
      '"tone" (Courteous, clear and patient) is answered with a whole mark from 0 to 5',
    ]);
    expect(await refused({ formId: 'call-review', answers: { greeting: true } })).toEqual([
      400,
      'EVALUATION_INVALID',
      '"identity" (Checked the caller\'s identity before discussing the account) is not answered',
    ]);
    expect(await refused({ formId: 'sales-review', answers: GOOD })).toEqual([
      400,
      'EVALUATION_FORM_NOT_FOUND',
      'no evaluation form "sales-review" (the forms: call-review)',
    ]);
    expect(await refused({ formId: 'call-review', agentId: 'agent2', answers: GOOD })).toEqual([
      409,
      'AGENT_NOT_ON_CALL',
      `agent2 took no part in call ${call} (its agents: agent1)`,
    ]);
    const open = await api.callHandledBy('agent1');
    expect((await refused({ formId: 'call-review', answers: GOOD }, open)).slice(0, 2)).toEqual([
      409,
      'CALL_NOT_ENDED',
    ]);
    expect((await refused({ formId: 'call-review', answers: GOOD }, 'nope')).slice(0, 2)).toEqual([
      404,
      'INTERACTION_NOT_FOUND',
    ]);
    expect(await refused({ formId: 'call-review', answers: { ...GOOD, greeting: 'yes' } })).toEqual([
      400,
      'EVALUATION_INVALID',
      '"greeting" (Greeted the caller and gave their name) is answered yes (true) or no (false)',
    ]);
    // Agents do not score.
    const byAgent = await post(`/api/interactions/${call}/evaluations`, api.tokenOf('agent1'), {
      formId: 'call-review',
      answers: GOOD,
    });
    expect(byAgent.statusCode).toBe(403);
    // Nothing was kept by any of those; then one scores, and a second is refused naming it.
    expect(told).toEqual([]);
    // Not applicable is left out of the score, not read as a no: 75 of 80.
    const other = await api.callHandledBy('agent2', { ended: true });
    const na = await post(`/api/interactions/${other}/evaluations`, sam, {
      formId: 'call-review',
      answers: { ...GOOD, identity: null },
    });
    expect(na.statusCode, na.body).toBe(201);
    expect(na.json()).toMatchObject({ agentId: 'agent2', score: 93.8, criticalFailed: [] });
    expect(na.json().answers[1]).toMatchObject({ id: 'identity', answer: null });
    // A string is not read as a mark or a yes.
    const typed = await post(`/api/interactions/${call}/evaluations`, sam, {
      formId: 'call-review',
      answers: { ...GOOD, understood: '4' },
    });
    expect(typed.json()).toEqual({
      code: 'EVALUATION_INVALID',
      message: '"understood" (Understood the caller\'s need) is answered with a whole mark from 0 to 5',
    });
    expect(
      (await post(`/api/interactions/${call}/evaluations`, sam, { formId: 'call-review', answers: GOOD }))
        .statusCode,
    ).toBe(201);
    const again = await refused({ formId: 'call-review', answers: GOOD });
    expect(again.slice(0, 2)).toEqual([409, 'ALREADY_EVALUATED']);
    expect(again[2]).toContain('agent1 was already evaluated on call');
  });

  it('supervisors see quality by question: met, mean marks, not applicable, critical fails; per agent or form; as CSV', async () => {
    const sam = api.supervisorTokenOf('sam');
    await scoreCalls([
      ['agent1', GOOD],
      ['agent1', { ...GOOD, identity: false, understood: 2 }],
      ['agent2', { ...GOOD, greeting: false, identity: null, understood: 3 }],
    ]);
    const figures = await get('/api/evaluations/questions', SUPERVISOR);
    expect(figures.statusCode, figures.body).toBe(200);
    const body = figures.json();
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(30 * 24 * 3_600_000);
    // Scores: 95; 0 (identity failed); 0 + 15 + 20 + 20 of the 80 that applied (identity n/a): 68.8, failed.
    expect(body.forms).toHaveLength(1);
    expect(body.forms[0]).toMatchObject({
      formId: 'call-review',
      formName: 'Call review',
      evaluations: 3,
      passed: 1,
      averageScore: 54.6,
    });
    expect(body.forms[0].questions).toEqual([
      {
        id: 'greeting',
        text: 'Greeted the caller and gave their name',
        kind: 'yes-no',
        weight: 10,
        critical: false,
        asked: 3,
        notApplicable: 0,
        met: 2,
        percent: 66.7,
        criticalFails: 0,
      },
      {
        id: 'identity',
        text: "Checked the caller's identity before discussing the account",
        kind: 'yes-no',
        weight: 20,
        critical: true,
        asked: 3,
        notApplicable: 1,
        met: 1,
        percent: 50,
        criticalFails: 1,
      },
      {
        id: 'understood',
        text: "Understood the caller's need",
        kind: 'scale',
        max: 5,
        weight: 25,
        critical: false,
        asked: 3,
        notApplicable: 0,
        averageMark: 3.3,
        percent: 66.7,
        criticalFails: 0,
      },
      expect.objectContaining({ id: 'resolved', averageMark: 4, percent: 80 }),
      expect.objectContaining({ id: 'tone', averageMark: 5, percent: 100 }),
    ]);
    // One agent's only: agent2 was never asked identity where it applied.
    const agent2 = (await get('/api/evaluations/questions?agentId=agent2', sam)).json();
    expect(agent2.agentId).toBe('agent2');
    expect(agent2.forms[0].questions[1]).toMatchObject({
      id: 'identity',
      asked: 1,
      notApplicable: 1,
      percent: null,
    });
    expect((await get('/api/evaluations/questions?formId=other', sam)).json().forms).toEqual([]);
    // As a spreadsheet: one line per question.
    const csv = await get('/api/evaluations/questions?format=csv', sam);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'formId,formName,questionId,text,kind,max,weight,critical,asked,notApplicable,met,averageMark,percent,criticalFails',
    );
    expect(lines.slice(1, 3)).toEqual([
      'call-review,Call review,greeting,Greeted the caller and gave their name,yes-no,,10,false,3,0,2,,66.7,0',
      "call-review,Call review,identity,Checked the caller's identity before discussing the account,yes-no,,20,true,3,1,1,,50,1",
    ]);
    expect(lines).toHaveLength(6);
    // Every evaluation as a spreadsheet: a line each, the newest first, a column per question.
    const all = await get('/api/evaluations?format=csv', sam);
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-disposition']).toMatch(
      /^attachment; filename="evaluations-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const table = all.body
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','));
    const header = table[0]!;
    expect(header).toEqual([
      'at',
      'agentId',
      'agentName',
      'interactionId',
      'callStartedAt',
      'callerNumber',
      'queueId',
      'formId',
      'formName',
      'score',
      'passed',
      'criticalFailed',
      'by',
      'comment',
      'acknowledgedAt',
      'reply',
      'withdrawnAt',
      'answer:greeting',
      'answer:identity',
      'answer:understood',
      'answer:resolved',
      'answer:tone',
    ]);
    // The newest first (scored within a millisecond, two may tie: compared by score here).
    const evaluationLines = table.slice(1);
    const at = evaluationLines.map((row) => Date.parse(row[0]!));
    expect(at).toEqual([...at].sort((x, y) => y - x));
    const rows = evaluationLines
      .map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])))
      .sort((x, y) => Number(y.score) - Number(x.score));
    const pick = (...names: string[]) => rows.map((row) => names.map((n) => row[n]));
    expect(pick('agentId', 'score', 'passed', 'criticalFailed', 'by', 'queueId')).toEqual([
      ['agent1', '95', 'true', '', 'Sam Super', 'sales'],
      ['agent2', '68.8', 'false', '', 'Sam Super', 'sales'],
      ['agent1', '0', 'false', 'identity', 'Sam Super', 'sales'],
    ]);
    expect(pick('answer:greeting', 'answer:identity', 'answer:understood')).toEqual([
      ['yes', 'yes', '5'],
      ['no', 'n/a', '3'],
      ['yes', 'no', '2'],
    ]);
    // An agent's own only.
    const own = await get('/api/evaluations?format=csv', api.tokenOf('agent1'));
    expect(own.body.trim().split(/\r?\n/)).toHaveLength(3);
    expect((await get('/api/evaluations/questions', api.tokenOf('agent1'))).statusCode).toBe(403);
    expect((await get('/api/evaluations/questions?from=2026-12-06&to=2026-12-01', sam)).statusCode).toBe(400);
  });

  it('supervisors summarise per agent and withdraw one scored in error (change log); the withdrawn one stops counting', async () => {
    const sam = api.supervisorTokenOf('sam');
    const scores = await scoreCalls([
      ['agent1', GOOD],
      ['agent1', { ...GOOD, identity: false }],
      ['agent2', { ...GOOD, understood: 3 }],
    ]);
    await post(`/api/evaluations/${scores[0]}/acknowledge`, api.tokenOf('agent1'));
    const summary = await get('/api/evaluations/summary', SUPERVISOR);
    expect(summary.statusCode, summary.body).toBe(200);
    // agent1: 95 and 0 (the critical fail): 47.5; agent2: understood 3/5 of 25 = 15: 85.
    expect(summary.json().agents).toEqual([
      {
        agentId: 'agent1',
        name: 'agent1',
        evaluations: 2,
        averageScore: 47.5,
        passed: 1,
        criticalFailed: 1,
        unacknowledged: 1,
      },
      {
        agentId: 'agent2',
        name: 'agent2',
        evaluations: 1,
        averageScore: 85,
        passed: 1,
        criticalFailed: 0,
        unacknowledged: 1,
      },
    ]);
    expect((await get('/api/evaluations/summary', api.tokenOf('agent1'))).statusCode).toBe(403);
    expect((await get('/api/evaluations?agentId=agent1', sam)).json().items).toHaveLength(2);
    expect((await get('/api/evaluations', sam)).json().items).toHaveLength(3);
    // A range that ends before it starts is refused; one before the scores lists none.
    expect((await get('/api/evaluations?from=2026-12-06&to=2026-12-01', sam)).statusCode).toBe(400);
    expect((await get('/api/evaluations?to=2020-01-01T00:00:00Z', sam)).json().items).toEqual([]);

    const withdrawn = await api.app.inject({
      method: 'DELETE',
      url: `/api/evaluations/${scores[1]}`,
      headers: api.as(sam),
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ withdrawnBy: { id: 'sam', name: 'Sam Super' } });
    expect(
      (
        await api.app.inject({ method: 'DELETE', url: `/api/evaluations/${scores[1]}`, headers: api.as(sam) })
      ).json().code,
    ).toBe('EVALUATION_WITHDRAWN');
    expect(
      (await api.app.inject({ method: 'DELETE', url: '/api/evaluations/nope', headers: api.as(sam) }))
        .statusCode,
    ).toBe(404);
    // Now the lowest average first is agent2's.
    expect((await get('/api/evaluations/summary', sam)).json().agents).toMatchObject([
      { agentId: 'agent2', averageScore: 85 },
      { agentId: 'agent1', evaluations: 1, averageScore: 95, criticalFailed: 0 },
    ]);
    expect((await get('/api/evaluations?agentId=agent1', sam)).json().items).toHaveLength(1);
    expect((await get('/api/evaluations?agentId=agent1&withdrawn=true', sam)).json().items).toHaveLength(2);
    const changes = (await get('/api/changes', sam)).json().changes as {
      action: string;
      subject: string;
      before: unknown;
    }[];
    expect(changes[0]).toMatchObject({
      action: 'evaluation.withdrawn',
      subject: scores[1],
      before: { agentId: 'agent1', formName: 'Call review', score: 0 },
    });
    expect(told.at(-1)?.type).toBe('evaluation.withdrawn');
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, told.at(-1)!)).toBe(true);
  });
});
