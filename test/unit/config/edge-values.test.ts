/**
 * Ops edit the config file by hand. Every field of the shipped example, given what a slip of the keyboard
 * gives (nothing, an empty string, a negative, a number no timer can wait, a word, a list, an object, a
 * page of text), is either taken or refused as a ConfigError that names the field: never another error,
 * which would stop the service with a stack trace instead of a sentence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config/load.js';
import { ConfigSchema } from '../../../src/config/schema.js';

const example = JSON.parse(
  readFileSync(new URL('../../../config.example.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
// The generated secrets the service adds before parsing.
const base = {
  ...example,
  asterisk: { ...(example.asterisk as object), ariPassword: 'ari-secret', amiSecret: 'ami-secret' },
};

const SLIPS: unknown[] = [
  null,
  '',
  -1,
  0,
  1e308,
  'x',
  [],
  {},
  true,
  'x'.repeat(10_000),
  [null],
  [{}],
  { a: 1 },
];

type Path = (string | number)[];
function fields(value: unknown, at: Path = []): Path[] {
  const here = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => fields(v, [...at, i]))];
  if (value && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => fields(v, [...at, k]))];
  return here;
}

function withValue(path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1)!] = value;
  return copy;
}

describe('the config file with a slip in any field', () => {
  it('is taken or refused naming a field, never failing otherwise', () => {
    expect(() => parseConfig(base)).not.toThrow();
    const paths = fields(base);
    expect(paths.length).toBeGreaterThan(80); // the example's queues, agents, routes… not a corner of it
    const failures: string[] = [];
    let refused = 0;
    for (const path of paths) {
      for (const slip of SLIPS) {
        const what = `${path.join('.')} = ${JSON.stringify(slip)?.slice(0, 30)}`;
        try {
          parseConfig(withValue(path, slip));
        } catch (error) {
          if (!(error instanceof ConfigError)) {
            failures.push(`${what}: ${(error as Error).stack?.split('\n').slice(0, 2).join(' ')}`);
            continue;
          }
          refused++;
          // Each problem on its own line, "field.path: what is wrong".
          if (!/^ {2}[a-zA-Z][\w.[\]*-]*: \S/m.test(error.message))
            failures.push(`${what}: ${error.message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(paths.length * 5); // most slips are refused
  });

  it('bounds every number it takes (waits run timers; a count or a time has a largest sensible value)', () => {
    type Node = {
      type?: string;
      maximum?: number;
      exclusiveMaximum?: number;
      properties?: Record<string, Node>;
      items?: Node;
      anyOf?: Node[];
      patternProperties?: Record<string, Node>;
      additionalProperties?: Node | boolean;
    };
    const unbounded: string[] = [];
    const walk = (node: Node | undefined, at: string) => {
      if (!node || typeof node !== 'object') return;
      if ((node.type === 'integer' || node.type === 'number') && node.maximum === undefined)
        if (node.exclusiveMaximum === undefined) unbounded.push(at);
      for (const [name, inner] of Object.entries(node.properties ?? {})) walk(inner, `${at}.${name}`);
      walk(node.items, `${at}[]`);
      for (const branch of node.anyOf ?? []) walk(branch, at);
      for (const inner of Object.values(node.patternProperties ?? {})) walk(inner, `${at}{}`);
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${at}{}`);
    };
    walk(ConfigSchema as Node, 'config');
    // A 1e308 there would be taken: a timer at Infinity, a figure no page can show.
    expect(unbounded).toEqual([]);
  });
});
