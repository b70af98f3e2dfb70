import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from '../errors/error-classes';

/** No request of the contract nests deeper than metadata's 5 levels plus a few of its own. */
export const MAX_BODY_DEPTH = 16;

/** Depth of a JSON value without recursion, so a hostile body cannot overflow the stack. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Refuses bodies nested deeper than any request needs, before validation copies them recursively.
 * Runs right after the JSON body parser.
 */
export function rejectDeepJson(request: Request, _response: Response, next: NextFunction): void {
  if (exceedsDepth(request.body, MAX_BODY_DEPTH)) {
    next(new ValidationError(`The body is nested deeper than ${MAX_BODY_DEPTH} levels`, { maxDepth: MAX_BODY_DEPTH }));
    return;
  }
  next();
}
