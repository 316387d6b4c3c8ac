import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

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
  for (const error of Value.Errors(schema, input)) {
    const field = pointerToPath(error.path);
    const path =
      field.length === 0
        ? prefix
        : prefix.length === 0
          ? field
          : `${prefix}${field.startsWith('[') ? '' : '.'}${field}`;
    issues.push({
      code: 'SCHEMA_VIOLATION',
      path: path.length === 0 ? '(root)' : path,
      message: `${path.length === 0 ? 'value' : path}: ${error.message}`,
    });
  }
  return issues;
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
