/**
 * A route's reply as plain JSON, for replies the handler builds field by field from the store (nothing to
 * strip) whose schema has unions: fast-json-stringify picks a union's branch by validating the data
 * against each branch with Ajv, and compiles those validators on first use. For an interaction's timeline
 * (a union of every event type) that first reply held the event loop, and every call with it, for ~1.6 s
 * after each start, long enough for the overload guard to turn callers away. The schema still documents and
 * types the reply.
 */
export const plainJson = () => (data: unknown) => JSON.stringify(data);
