/** Settles like `promise`, or rejects naming `what` once `ms` have passed: no test waits forever. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Resolves once `condition()` holds, checking whenever `subscribe`'s callback fires; rejects after `ms`. */
export function until(subscribe: (wake: () => void) => () => void, condition: () => boolean, ms: number, what: string): Promise<void> {
  if (condition()) return Promise.resolve();
  let unsubscribe: (() => void) | undefined;
  const met = new Promise<void>((resolve) => {
    unsubscribe = subscribe(() => {
      if (condition()) resolve();
    });
  });
  return within(met, ms, what).finally(() => unsubscribe?.());
}

/** A promise and the function that resolves it: holds a scripted reply until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
