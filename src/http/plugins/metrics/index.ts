import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type MetricsGauges, renderMetrics, type StreamCounters } from '../../../events/metrics.js';
import type { ApiAuth } from '../../auth.js';
import { ErrorBody } from '../../errors.js';

export interface MetricsPluginOptions {
  auth: ApiAuth;
  counters: StreamCounters;
  gauges: () => Promise<MetricsGauges>;
}

/**
 * GET /metrics for Prometheus (text format 0.0.4), with the supervisor token (Prometheus' `authorization`
 * setting): call volumes are the business's own figures, so they are not left open on the agents' network.
 */
export const metricsPlugin: FastifyPluginAsyncTypebox<MetricsPluginOptions> = async (app, opts) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary:
          'Prometheus metrics: links up, calls, queues (waiting, longest wait, answered, abandoned, ring-no-answer), agents per state, load',
        response: { 200: Type.String(), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      opts.auth.require(request); // supervisors
      const text = renderMetrics(await opts.gauges(), opts.counters.snapshot());
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
    },
  );
};
