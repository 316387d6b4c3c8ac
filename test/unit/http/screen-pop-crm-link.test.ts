/** The screen pop's link to the caller in the CRM (config `crmLink`; the real app, an in-memory database). */
import { afterEach, describe, expect, it } from 'vitest';
import { buildApi } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>> | undefined;
afterEach(async () => {
  await api?.app.close();
});

const popOf = async (id: string, agentId = 'agent1') =>
  (
    await api!.app.inject({ url: `/api/calls/${id}/screen-pop`, headers: api!.as(api!.tokenOf(agentId)) })
  ).json();

describe("the screen pop's CRM link", () => {
  it("is the configured template filled with this call's values and caller data, URL-encoded", async () => {
    api = await buildApi({
      crmLink: {
        url: 'https://crm.example.com/c?phone={callerNumber}&lang={data.language}&agent={agentId}&q={queueId}',
        label: 'Open in Acme CRM',
      },
    });
    const id = await api.callHandledBy('agent1');
    await api.log.record(
      id,
      Date.now(),
      { type: 'call.language', payload: { language: 'es', by: 'route' } },
      { caller_data: JSON.stringify({ language: 'es' }) },
    );
    expect((await popOf(id)).crmLink).toEqual({
      url: 'https://crm.example.com/c?phone=%2B15551230000&lang=es&agent=agent1&q=sales',
      label: 'Open in Acme CRM',
    });
  });

  it('is null when none is configured', async () => {
    api = await buildApi();
    const id = await api.callHandledBy('agent1');
    expect((await popOf(id)).crmLink).toBeNull();
  });
});
