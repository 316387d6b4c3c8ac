import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ArchivedFlow } from '../../../flow-loader/archive.js';
import type { FlowFileStatus } from '../../../flow-loader/registry.js';
import type { RecordChange } from '../../admin-audit.js';
import type { ApiAuth } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { type FlowFileDto, FlowListBody, FlowVersionBody, FlowVersionParams } from './schemas.js';

/** What the plugin needs from the FlowRegistry. */
export interface FlowStatusSource {
  readonly dir: string;
  status(): FlowFileStatus[];
  reloadAll(): Promise<FlowFileStatus[]>;
}

/** The flow archive: every version that went live, by its content hash. */
export interface FlowVersionSource {
  version(version: string): Promise<ArchivedFlow | undefined>;
}

export interface FlowsPluginOptions {
  /** Undefined when the service runs without a flows directory. */
  flows: FlowStatusSource | undefined;
  versions?: FlowVersionSource | undefined;
  auth: ApiAuth;
  recordChange: RecordChange;
}

const toDto = (s: FlowFileStatus): FlowFileDto => ({
  file: s.file,
  ok: s.ok,
  ...(s.flowId !== undefined ? { flowId: s.flowId } : {}),
  ...(s.version !== undefined ? { version: s.version } : {}),
  ...(s.loadedAt !== undefined ? { loadedAt: s.loadedAt } : {}),
  ...(s.fromArchive ? { fromArchive: true } : {}),
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
      const principal = opts.auth.require(request);
      const r = registry();
      const files = (await r.reloadAll()).map(toDto);
      await opts.recordChange(principal, {
        action: 'flows.reloaded',
        subject: 'flows',
        // Which version each file serves now, and the errors of a file refused (the last good one serves).
        after: files.map((f) => ({
          file: f.file,
          ok: f.ok,
          ...(f.version ? { version: f.version } : {}),
          ...(f.errors.length ? { errors: f.errors } : {}),
        })),
      });
      return { dir: r.dir, files };
    },
  );

  app.get(
    '/api/flows/versions/:version',
    {
      schema: {
        tags: ['flows'],
        summary:
          'One flow version as it went live, source included: the flow a call ran (its `flowVersion`), even after the file changed (supervisors)',
        params: FlowVersionParams,
        response: { 200: FlowVersionBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      opts.auth.require(request);
      if (!opts.versions) throw new ApiError(503, 'FLOWS_UNAVAILABLE', 'the service keeps no flow archive');
      const kept = await opts.versions.version(request.params.version);
      if (!kept)
        throw new ApiError(
          404,
          'FLOW_VERSION_UNKNOWN',
          `no flow version ${request.params.version} went live on this service`,
        );
      return {
        version: kept.version,
        flowId: kept.flowId,
        file: kept.file,
        source: kept.source,
        firstLoadedAt: new Date(kept.firstLoadedAt).toISOString(),
        lastLoadedAt: new Date(kept.lastLoadedAt).toISOString(),
      };
    },
  );
};
