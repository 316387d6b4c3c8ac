import type { Static, TSchema } from '@sinclair/typebox';
import { Value, type ValueError, ValueErrorType } from '@sinclair/typebox/value';

/** One problem found while validating configuration; `path` names the field, e.g. `queues[sales].ringTimeoutSeconds`. */
export interface ValidationIssue {
  code: string;
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Turns a JSON pointer from TypeBox (`/skills/spanish`) into a readable field path (`skills.spanish`). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .filter((part) => part.length > 0)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Checks `input` against `schema` and reports every violation with the field it concerns.
 * `prefix` is prepended to paths so errors inside a collection name the item (e.g. `agents[alice]`).
 */
export function schemaIssues(schema: TSchema, input: unknown, prefix: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of flattenErrors(Value.Errors(schema, input))) {
    const field = pointerToPath(error.path);
    const joiner = field.startsWith('[') || prefix.length === 0 ? '' : '.';
    const path = field.length === 0 ? prefix || '(root)' : `${prefix}${joiner}${field}`;
    // TypeBox reports "required" and "expected string" for the same missing field; one sentence is enough.
    if (seen.has(path)) continue;
    seen.add(path);
    issues.push({ code: 'SCHEMA_VIOLATION', path, message: `${path}: ${error.message}` });
  }
  return issues;
}

interface FlatError {
  path: string;
  message: string;
}

/**
 * A failed union ("Expected union value") says nothing useful. For discriminated unions (objects with a
 * `type` literal) we report the errors of the branch the value claims to be, or list the allowed types.
 */
function flattenErrors(errors: Iterable<ValueError>): FlatError[] {
  const out: FlatError[] = [];
  for (const error of errors) {
    if (error.errors.length === 0 || literalChoiceMessage(error) !== undefined) {
      out.push({ path: error.path, message: messageOf(error) });
      continue;
    }
    const branches = error.errors.map((branch) => [...branch]);
    const typePath = `${error.path}/type`;
    const matching = branches.find((branch) => !branch.some((e) => e.path === typePath));
    if (matching) {
      out.push(...flattenErrors(matching));
      continue;
    }
    const literals = ((error.schema as { anyOf?: TSchema[] }).anyOf ?? [])
      .map((branch) => (branch as { properties?: { type?: { const?: unknown } } }).properties?.type?.const)
      .filter((c): c is string => typeof c === 'string');
    out.push({
      path: literals.length > 0 ? typePath : error.path,
      message: literals.length > 0 ? `Expected type to be one of: ${literals.join(', ')}` : error.message,
    });
  }
  return out;
}

/** A regular expression means little to whoever edits the config: the field's description says what is wanted. */
function messageOf(error: ValueError): string {
  const { description } = error.schema as { description?: string };
  if (error.type === ValueErrorType.StringPattern && description) return `Expected ${description}`;
  return literalChoiceMessage(error) ?? error.message;
}

/**
 * A value outside a union of literals (a strategy, a transport) is told the values allowed, not
 * "Expected union value"; undefined for any other error.
 */
export function literalChoiceMessage(error: ValueError): string | undefined {
  if (error.type !== ValueErrorType.Union) return undefined;
  const branches = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf ?? [];
  const allowed = branches.map((b) => b.const);
  if (allowed.length === 0 || allowed.some((c) => c === undefined)) return undefined;
  return `Expected one of: ${allowed.map((c) => JSON.stringify(c)).join(', ')}`;
}

/** Validates against a schema, applying schema defaults to a copy first so callers get a complete value. */
export function validateWithSchema<S extends TSchema>(
  schema: S,
  input: unknown,
  prefix = '',
): ValidationResult<Static<S>> {
  const withDefaults = Value.Default(schema, Value.Clone(input));
  const issues = schemaIssues(schema, withDefaults, prefix);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: withDefaults as Static<S> };
}
