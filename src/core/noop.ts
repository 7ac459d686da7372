/** Does nothing: the listener or teardown of a branch that has nothing to undo. */
export function noop(): void {}
