/**
 * Flow loader: the I/O edge of the IVR (file system, TypeScript compiler, dynamic import, watcher).
 */
export * from './archive.js';
export * from './compile.js';
export * from './registry.js';
export * from './sounds.js';
