/**
 * The link from an agent's screen pop to the caller in the company's CRM (config `crmLink`): a URL
 * template whose `{placeholders}` take the call's values, each URL-encoded, so the agent opens the right
 * customer record with one click. Checked at start (a placeholder it does not know, a link that is no web
 * address, are refused in words); filled per call for the screen pop.
 */

/** What a template may name, besides `{data.<key>}` (the caller data an IVR flow gathered). */
export const CRM_LINK_FIELDS = [
  'callerNumber',
  'callerName',
  'dialedNumber',
  'interactionId',
  'agentId',
  'queueId',
] as const;
export type CrmLinkField = (typeof CRM_LINK_FIELDS)[number];

export interface CrmLinkValues {
  readonly fields: Partial<Record<CrmLinkField, string | null>>;
  readonly data?: Readonly<Record<string, unknown>>;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const DATA_KEY = /^data\.([A-Za-z0-9_-]+)$/;

/** What is wrong with a template, in words (empty: it is good). */
export function crmLinkProblems(template: string): string[] {
  const problems: string[] = [];
  for (const [, name = ''] of template.matchAll(PLACEHOLDER)) {
    if (!(CRM_LINK_FIELDS as readonly string[]).includes(name) && !DATA_KEY.test(name)) {
      problems.push(
        `unknown placeholder {${name}}; use ${CRM_LINK_FIELDS.map((f) => `{${f}}`).join(', ')} or {data.<key>}`,
      );
    }
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, '')))
    problems.push('a { or } that opens or closes no placeholder');
  let url: URL | undefined;
  try {
    url = new URL(template.replace(PLACEHOLDER, 'x'));
  } catch {
    problems.push('not a web address (https://crm.example.com/customers?phone={callerNumber})');
  }
  // The link opens in the agent's browser: only a web page, never a script.
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`a ${url.protocol} link; only http: and https: links are opened`);
  }
  return problems;
}

/** The template with the call's values in it, each URL-encoded; a value the call has not is left empty. */
export function crmLinkFor(template: string, values: CrmLinkValues): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const key = DATA_KEY.exec(name)?.[1];
    const value = key !== undefined ? values.data?.[key] : values.fields[name as CrmLinkField];
    return value === undefined || value === null ? '' : encodeURIComponent(String(value));
  });
}
