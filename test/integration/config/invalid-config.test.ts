/**
 * Real parts: the service started as its own process (no Asterisk needed: it must refuse before connecting).
 */
import { describe, expect, it } from 'vitest';
import { newDataDir, serviceEnv, spawnService, writeConfigFile } from '../harness/service.js';

async function startWith(extra: Record<string, string>) {
  const dataDir = newDataDir();
  const service = spawnService(serviceEnv(dataDir, extra));
  const code = await service.exited;
  return { code, output: service.output() };
}

describe('service start-up with an invalid configuration', () => {
  it('exits 2 and names the bad field given in the environment', async () => {
    const { code, output } = await startWith({ CC_HTTP_PORT: 'three-thousand' });
    expect(code).toBe(2);
    expect(output).toContain('http.port');
    expect(output).toContain('CC_HTTP_PORT');
    expect(output).not.toContain('listening');
  });

  it('exits 2 and names a bad nested field from the config file', async () => {
    const dataDir = newDataDir();
    const path = writeConfigFile(dataDir, { asterisk: { amiPort: 70000 }, prompts: { welcome: 5 } });
    const { code, output } = await startWith({ CC_CONFIG: path });
    expect(code).toBe(2);
    expect(output).toContain('asterisk.amiPort');
    expect(output).toContain('prompts.welcome');
  });

  it('exits 2 and names a route, or a webhook limited, to a queue that exists neither in the file nor through the API', async () => {
    const dataDir = newDataDir();
    const path = writeConfigFile(dataDir, {
      queues: [{ id: 'sales', name: 'Sales', strategy: 'ring_all' }],
      routes: [
        { dialed: '100', queue: 'sales' },
        { dialed: '200', queue: 'salse' },
      ],
      webhooks: [
        {
          id: 'crm',
          url: 'http://127.0.0.1:9/hooks',
          events: ['interaction.closed'],
          queues: ['sales', 'suport'],
        },
      ],
    });
    const { code, output } = await startWith({ CC_CONFIG: path });
    expect(code).toBe(2);
    expect(output).toContain('routes.1.queue: no queue "salse" (the route for 200)');
    expect(output).toContain('webhooks.0.queues.1: no queue "suport"');
    expect(output).not.toContain('routes.0');
    expect(output).not.toContain('queues.0: no queue');
  });

  it('refuses the documented development secret on a non-loopback address', async () => {
    const { code, output } = await startWith({
      CC_ASTERISK_HOST: '192.0.2.10',
      CC_ARI_PASSWORD: 'dev-only-insecure',
    });
    expect(code).toBe(2);
    expect(output).toMatch(
      /asterisk\.ariPassword: the documented development default may only be used on loopback/,
    );
  });
});
