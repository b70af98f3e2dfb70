import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a WebSocket (or Socket.IO) request may connect: with CORS_ORIGINS set, a browser's
 * `Origin` must be on the list; a client that sends no Origin (a server, a CLI) is not a browser
 * page another site could drive, so it is let through to authenticate like any other.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0 || origin === undefined) return true;
  return allowed.includes(origin);
}

export function originOf(headers: IncomingHttpHeaders): string | undefined {
  const origin = headers.origin;
  return typeof origin === 'string' ? origin : undefined;
}
