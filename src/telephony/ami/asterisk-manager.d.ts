// asterisk-manager ships no types; ami-client.ts narrows the factory to the part it uses.
declare module 'asterisk-manager' {
  const createManager: unknown;
  export default createManager;
}
