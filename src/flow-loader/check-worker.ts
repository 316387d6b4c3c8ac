/**
 * The flow type checker in a worker thread (see check-thread.ts): the TypeScript compiler's second or more
 * on a cold check, and its tens of milliseconds on each edit, are spent beside the service's event loop,
 * not on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FlowApiLocation, FlowTypeChecker } from './compile.js';
import type { CheckReply, CheckRequest } from './check-thread.js';

const checker = new FlowTypeChecker((workerData as { api: FlowApiLocation }).api);
const port = parentPort!;

port.on('message', (request: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = { id: request.id, ok: true, ...checker.checkAgainstApi(request.fileName, request.text) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
