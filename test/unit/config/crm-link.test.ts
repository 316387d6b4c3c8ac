/** The screen pop's CRM link: its template checked at start, filled in per call with the call's values. */
import { describe, expect, it } from 'vitest';
import { crmLinkFor, crmLinkProblems } from '../../../src/config/crm-link.js';

describe('crmLink', () => {
  it("fills a template with the call's values, each URL-encoded, and leaves a value the call has not empty", () => {
    const template =
      'https://crm.example.com/customers?phone={callerNumber}&name={callerName}&account={data.accountId}&call={interactionId}&q={queueId}';
    expect(
      crmLinkFor(template, {
        fields: { callerNumber: '+15551230000', callerName: 'Ada & Co', interactionId: 'i-1', queueId: null },
        data: { accountId: 'A/1 7', vip: true },
      }),
    ).toBe(
      'https://crm.example.com/customers?phone=%2B15551230000&name=Ada%20%26%20Co&account=A%2F1%207&call=i-1&q=',
    );
    expect(
      crmLinkFor('https://crm.example.com/{data.vip}/{agentId}', { fields: {}, data: { vip: true } }),
    ).toBe('https://crm.example.com/true/');
  });

  it('refuses a placeholder it does not know, a stray brace, a link that is no web address or is a script', () => {
    expect(
      crmLinkProblems('https://crm.example.com/customers?phone={callerNumber}&a={data.account_id}'),
    ).toEqual([]);
    expect(crmLinkProblems('https://crm.example.com/?phone={phone}')).toEqual([
      'unknown placeholder {phone}; use {callerNumber}, {callerName}, {dialedNumber}, {interactionId}, {agentId}, {queueId} or {data.<key>}',
    ]);
    expect(crmLinkProblems('https://crm.example.com/?phone={callerNumber')).toEqual([
      'a { or } that opens or closes no placeholder',
    ]);
    expect(crmLinkProblems('crm.example.com/{callerNumber}')).toEqual([
      'not a web address (https://crm.example.com/customers?phone={callerNumber})',
    ]);
    expect(crmLinkProblems('javascript:alert({callerNumber})')).toEqual([
      'a javascript: link; only http: and https: links are opened',
    ]);
  });
});
