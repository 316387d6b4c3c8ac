/**
 * Integration tests: a test in which a service it started logged a timeline entry or stream event that strays
 * from its documented schema fails (the unit tests throw on one; the service writes it and says so); and no
 * caller's SIPp outlives its file.
 */
import { afterAll, afterEach } from 'vitest';
import { newSchemaMismatches } from './harness/service.js';
import { stopLeftoverCallers } from './harness/sipp.js';

// A caller's SIPp a file did not wait for (still retrying its BYE to a stopped Asterisk, say) must not hold
// its ports, or place calls, into the next file.
afterAll(() => {
  stopLeftoverCallers();
});

afterEach(() => {
  const found = newSchemaMismatches();
  if (found.length > 0) {
    throw new Error(
      `the service wrote ${found.length} record(s) its schemas do not allow:\n${found.join('\n')}`,
    );
  }
});
