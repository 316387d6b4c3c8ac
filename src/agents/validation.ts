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

function messageOf(error: ValueError): string {
  return patternMessage(error) ?? literalChoiceMessage(error) ?? unknownFieldMessage(error) ?? error.message;
}

/** A field the object does not have (often a misspelling: `timezone`) is told the fields it does have. */
export function unknownFieldMessage(error: ValueError): string | undefined {
  if (error.type !== ValueErrorType.ObjectAdditionalProperties) return undefined;
  const known = Object.keys((error.schema as { properties?: object }).properties ?? {});
  if (known.length === 0) return undefined;
  return `Unknown field; the fields here are ${known.join(', ')}`;
}

/**
 * A regular expression means little to whoever edits the config: a value (or a name in a map, such as a
 * skill) that does not match one is told what is wanted instead. That is the field's `patternHint`, where
 * its description is documentation (the config file's own fields), else its description (the agent and
 * queue schemas, which also serve as API response schemas and so take no unknown keyword). Undefined for
 * any other error.
 */
export function patternMessage(error: ValueError): string | undefined {
  const schema = error.schema as { patternHint?: string; description?: string; patternProperties?: object };
  const hint = schema.patternHint ?? schema.description;
  if (!hint) return undefined;
  if (error.type === ValueErrorType.StringPattern) return `Expected ${hint}`;
  if (error.type === ValueErrorType.ObjectAdditionalProperties && schema.patternProperties) {
    return `Expected ${hint}`;
  }
  return undefined;
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
