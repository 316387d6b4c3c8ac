export * from './schema.js';
export * from './seat.js';
export * from './transitions.js';
export { refuseGuard, refuseIllegal } from './refusals.js';
export {
  type ValidationIssue,
  type ValidationResult,
  pointerToPath,
  schemaIssues,
  validateWithSchema,
} from './validation.js';
export * from './restore.js';
