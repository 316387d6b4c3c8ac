import { createRequire } from 'node:module';
import type * as TS from 'typescript';

/**
 * The TypeScript compiler, loaded with `require`: imported as an ES module, Node first scans its 9 MB
 * CommonJS file for the names it exports, about 0.4 s more of every start (on the service's main thread, and
 * again in the flow-check worker), while callers wait for a restarted service.
 */
export const ts: typeof TS = createRequire(import.meta.url)('typescript');
