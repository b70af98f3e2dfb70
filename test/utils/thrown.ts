/** The error an action throws, so a test can look at its class, code and details; fails if it throws nothing. */
export function errorThrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
