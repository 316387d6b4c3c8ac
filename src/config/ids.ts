import { Type } from '@sinclair/typebox';

/**
 * An id in the config (agent, supervisor, switch, evaluation form): short, lowercase, safe in URLs, SIP user
 * names and logs.
 */
export const ConfigId = (description: string) =>
  Type.String({
    pattern: '^[a-z0-9][a-z0-9_-]{0,31}$',
    description,
    // What a refusal says instead of the regular expression (see parseConfig).
    patternHint: '1 to 32 lowercase letters, digits, _ or -, starting with a letter or digit',
  });
