/**
 * An agent as a file names them (a roster, a callback list): their id, or the one agent of that name, any
 * case; as given when neither (the caller then refuses it as unknown). Two agents of one name: as given too,
 * so the file must use the id. Pure.
 */
export function agentIdNamed(agents: readonly { id: string; name: string }[], given: string): string {
  if (agents.some((a) => a.id === given)) return given;
  const wanted = given.toLowerCase();
  const named = agents.filter((a) => a.name.toLowerCase() === wanted);
  return named.length === 1 ? named[0]!.id : given;
}
