/**
 * GET /health (the real app, fake sources): up only once every part is and the calls a previous run left are
 * taken over, so a restart is ready when it says so; 503 naming what is not.
 */
import { describe, expect, it } from 'vitest';
import { buildApi } from './http-harness.js';

describe('the health check', () => {
  it('says taking over (503) until the calls a previous run left are settled, then up', async () => {
    let settled = false;
    const api = await buildApi({ callsSettled: () => settled });
    try {
      const before = await api.app.inject({ url: '/health' });
      expect(before.statusCode).toBe(503);
      expect(before.json()).toMatchObject({
        status: 'degraded',
        ari: 'up',
        ami: 'up',
        db: 'up',
        calls: 'taking over',
      });
      settled = true;
      const after = await api.app.inject({ url: '/health' });
      expect(after.statusCode).toBe(200);
      expect(after.json()).toMatchObject({ status: 'up', calls: 'settled' });
    } finally {
      await api.app.close();
    }
  });
});
