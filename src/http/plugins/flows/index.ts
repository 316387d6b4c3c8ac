import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FlowFileStatus } from '../../../flow-loader/registry.js';
import type { ApiAuth } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { type FlowFileDto, FlowListBody } from './schemas.js';

/** What the plugin needs from the FlowRegistry. */
export interface FlowStatusSource {
  readonly dir: string;
  status(): FlowFileStatus[];
  reloadAll(): Promise<FlowFileStatus[]>;
}

export interface FlowsPluginOptions {
  /** Undefined when the service runs without a flows directory. */
  flows: FlowStatusSource | undefined;
  auth: ApiAuth;
}

const toDto = (s: FlowFileStatus): FlowFileDto => ({
  file: s.file,
  ok: s.ok,
  ...(s.flowId !== undefined ? { flowId: s.flowId } : {}),
  ...(s.version !== undefined ? { version: s.version } : {}),
  ...(s.loadedAt !== undefined ? { loadedAt: s.loadedAt } : {}),
  attemptedVersion: s.attemptedVersion,
  checkedAt: s.checkedAt,
  errors: [...s.errors],
  warnings: [...s.warnings],
});

/** IVR flows: what is loaded from the flows directory, what was refused and why; reload on demand. */
export const flowsPlugin: FastifyPluginAsyncTypebox<FlowsPluginOptions> = async (app, opts) => {
  const registry = (): FlowStatusSource => {
    if (!opts.flows)
      throw new ApiError(503, 'FLOWS_UNAVAILABLE', 'the service runs without a flows directory');
    return opts.flows;
  };

  app.get(
    '/api/flows',
    {
      schema: {
        tags: ['flows'],
        summary:
          'IVR flow files: loaded version per file, or the `file:line: message` errors that refused it (supervisors)',
        response: { 200: FlowListBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      opts.auth.require(request);
      const r = registry();
      return { dir: r.dir, files: r.status().map(toDto) };
    },
  );

  app.post(
    '/api/flows/reload',
    {
      schema: {
        tags: ['flows'],
        summary:
          'Re-check and reload every flow file now (supervisors only); bad files keep the last good version',
        response: { 200: FlowListBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      opts.auth.require(request);
      const r = registry();
      const files = await r.reloadAll();
      return { dir: r.dir, files: files.map(toDto) };
    },
  );
};
