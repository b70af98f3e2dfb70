import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
export const MAX_REQUEST_ID_LENGTH = 128;

/** Printable ASCII, spaces inside allowed: nothing that could break a log line or a header. */
const SANE_REQUEST_ID = new RegExp(`^[\\x21-\\x7e](?:[\\x20-\\x7e]{0,${MAX_REQUEST_ID_LENGTH - 2}}[\\x21-\\x7e])?$`);

/** The caller's `X-Request-Id` when it is sane, so a trace keeps one id across services; a new one otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
