import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { QueueDefinitionSchema, validateQueueDefinition } from '../../../src/acd/schema.js';
import {
  AgentDefinitionSchema,
  ReasonCodeSchema,
  validateAgentDefinition,
  validateReasonCodes,
} from '../../../src/agents/schema.js';
import { patternMessage } from '../../../src/agents/validation.js';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { problemsOf } from '../config/problems.js';

interface Found {
  at: string;
  schema: TSchema;
}

/** Every string with a pattern, and every map whose names have one, in a schema (JSON Schema walk). */
function patterned(schema: TSchema, at = ''): Found[] {
  const s = schema as Record<string, unknown>;
  const found: Found[] = [];
  if (typeof s.pattern === 'string' || s.patternProperties) found.push({ at: at || '(root)', schema });
  const children: [string, unknown][] = [
    ...Object.entries((s.properties as object) ?? {}).map(([k, v]) => [`${at}.${k}`, v] as [string, unknown]),
    ...Object.values((s.patternProperties as object) ?? {}).map((v) => [`${at}.*`, v] as [string, unknown]),
    ...((s.anyOf as unknown[]) ?? []).map((v, i) => [`${at}|${i}`, v] as [string, unknown]),
    ...(s.items ? [[`${at}[]`, s.items] as [string, unknown]] : []),
  ];
  for (const [where, child] of children) {
    if (child && typeof child === 'object') found.push(...patterned(child as TSchema, where));
  }
  return found;
}

/** A value no pattern in these schemas admits: spaces and a tilde. */
const MISFIT = ' ~ ~ ';

describe('refusals of a value that does not match a pattern', () => {
  const schemas = {
    config: ConfigSchema,
    agent: AgentDefinitionSchema,
    reasonCode: ReasonCodeSchema,
    queue: QueueDefinitionSchema,
  };

  it.each(Object.entries(schemas))(
    'say what is wanted, not the regular expression, for every pattern in the %s schema',
    (_name, schema) => {
      const fields = patterned(schema);
      expect(fields.length).toBeGreaterThan(0);
      for (const { at, schema: field } of fields) {
        const isMap = Boolean((field as { patternProperties?: object }).patternProperties);
        const errors = [...Value.Errors(field, isMap ? { [MISFIT]: 1 } : MISFIT)];
        const error = errors.find((e) => patternMessage(e) !== undefined);
        // Each field is named, so a failure says which one lacks its sentence.
        expect({ at, message: error && patternMessage(error) }).toEqual({
          at,
          message: expect.stringMatching(/^Expected [a-z0-9]/),
        });
        const pattern =
          (field as { pattern?: string }).pattern ??
          Object.keys((field as unknown as { patternProperties: object }).patternProperties)[0]!;
        expect(patternMessage(error!)).not.toContain(pattern);
      }
    },
  );

  it('name the field and the wanted form, in the agents, reason codes and queues ops write', () => {
    const agent = validateAgentDefinition({ id: 'ann', name: 'Ann', endpoint: 'pjsip ann' });
    expect(agent.ok ? [] : agent.issues.map((i) => i.message)).toEqual([
      'agents[ann].endpoint: Expected an Asterisk dial string: PJSIP, SIP, IAX2 or Local, a slash, then a device with no spaces',
    ]);
    const codes = validateReasonCodes([{ code: 'Lunch', label: 'Lunch' }]);
    expect(codes.ok ? [] : codes.issues.map((i) => i.message)).toEqual([
      'reasonCodes[0].code: Expected a code of 1 to 32 lowercase letters, digits or _, starting with a letter',
    ]);
    const queue = validateQueueDefinition({
      id: 'sales',
      name: 'Sales',
      strategy: 'ring_all',
      exitKey: '11',
    });
    expect(queue.ok ? [] : queue.issues.map((i) => i.message)).toEqual([
      'queues[sales].exitKey: Expected one key: a digit, * or #',
    ]);
  });

  it('the config file says the same for its own fields', () => {
    const problems = problemsOf(() =>
      parseConfig({
        asterisk: { ariPassword: 'secret-secret', amiSecret: 'secret-secret', ariApp: 'my app' },
      }),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^asterisk\.ariApp: Expected a name of letters, digits, _ or -, got "my app"/),
    );
  });
});

describe('skill names', () => {
  // Names are compared as written: an agent's `Spanish` never meets a queue's `spanish`, so callers needing
  // it would wait for an agent who exists. Before, the name's pattern was declared but not enforced.
  it('outside the one spelling are refused, for agents and for queues, saying what a name may be', () => {
    const agent = validateAgentDefinition({
      id: 'ann',
      name: 'Ann',
      endpoint: 'PJSIP/ann',
      skills: { Spanish: 5, billing: 3 },
    });
    expect(agent.ok ? [] : agent.issues.map((i) => i.message)).toEqual([
      'agents[ann].skills.Spanish: Expected skill names of lowercase letters, digits, _ or -, each with a level from 1 to 10',
    ]);
    const queue = validateQueueDefinition({
      id: 'sales',
      name: 'Sales',
      strategy: 'skills_based',
      requiredSkills: { 'spanish ': 2 },
    });
    expect(queue.ok).toBe(false);
    expect(queue.ok ? [] : queue.issues.map((i) => i.path)).toEqual([
      'queues[sales].requiredSkills.spanish ',
    ]);
  });

  it('in the one spelling are accepted', () => {
    expect(
      validateAgentDefinition({ id: 'ann', name: 'Ann', endpoint: 'PJSIP/ann', skills: { spanish_2: 5 } }).ok,
    ).toBe(true);
  });
});

describe('a field the object does not have', () => {
  it('is told the fields it does have (a misspelling is found at once)', () => {
    const queue = validateQueueDefinition({
      id: 'sales',
      name: 'Sales',
      strategy: 'ring_all',
      callbackHours: {
        timeZone: 'UTC',
        windows: [{ days: ['mon'], start: '09:00', end: '17:00', ends: 'x' }],
      },
    });
    expect(queue.ok ? [] : queue.issues.map((i) => i.message)).toEqual([
      'queues[sales].callbackHours.windows[0].ends: Unknown field; the fields here are days, start, end',
    ]);
  });
});
