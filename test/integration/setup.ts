/**
 * Integration tests: a test in which a service it started logged a timeline entry or stream event that strays
 * from its documented schema fails (the unit tests throw on one; the service writes it and says so).
 */
import { afterEach } from 'vitest';
import { newSchemaMismatches } from './harness/service.js';

afterEach(() => {
  const found = newSchemaMismatches();
  if (found.length > 0) {
    throw new Error(
      `the service wrote ${found.length} record(s) its schemas do not allow:\n${found.join('\n')}`,
    );
  }
});
