import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import type { Response } from 'supertest';
import { Logger } from '@nestjs/common';
import { expect, vi } from 'vitest';
import { createApiKey } from '../utils/fixtures';
import { TestApp } from '../utils/test-app';

export const apiKeyHeader = (token: string) => ({ 'X-API-KEY': token });

/** Well-formed tokens of both kinds that the app never issued. */
export const unknownKeyToken = () => `sb_key_${randomBytes(32).toString('base64url')}`;
export const unknownSessionToken = () => `sb_sess_${randomBytes(32).toString('base64url')}`;

const AUTH_ERRORS = {
  401: { error: 'UnauthorizedError', code: 'UNAUTHORIZED' },
  403: { error: 'ForbiddenError', code: 'FORBIDDEN' },
} as const;

/** A 401 or 403 written as the contract's envelope, and nothing more. */
export function expectAuthError(response: Response, status: 401 | 403): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { ...AUTH_ERRORS[status], message: expect.any(String), details: expect.any(Object) },
  });
}

/** Any envelope with this status and error class. */
export function expectError(response: Response, status: number, error: string): void {
  expect({ status: response.status, error: response.body?.error }).toEqual({ status, error });
  expect(response.body).toEqual({ error, code: expect.any(String), message: expect.any(String), details: expect.any(Object) });
}

/** API keys by scope set, created once per app: a suite asks for the same scopes many times. */
export function keyRing(t: () => TestApp): (scopes: readonly string[]) => Promise<string> {
  const tokens = new Map<string, Promise<string>>();
  return (scopes) => {
    const id = [...scopes].sort().join('+');
    if (!tokens.has(id)) tokens.set(id, createApiKey(t(), [...scopes], `ring-${id}`.slice(0, 100)).then((key) => key.token));
    return tokens.get(id)!;
  };
}

const LOG_METHODS = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const;

/**
 * Everything written to stdout, stderr and the console while `action` runs, plus every message
 * handed to Nest's Logger at any level: the testing module's logger drops all but errors, so the
 * sink alone would hide what a production logger would print.
 */
export async function captureOutput<T>(action: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const write = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const record = (...args: unknown[]) => void chunks.push(`${format(...args)}\n`);
  const silenced = [
    vi.spyOn(process.stdout, 'write').mockImplementation(write),
    vi.spyOn(process.stderr, 'write').mockImplementation(write),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level).mockImplementation(record)),
  ];
  const logged = LOG_METHODS.flatMap((level) => [vi.spyOn(Logger.prototype, level), vi.spyOn(Logger, level)]);
  try {
    const result = await action();
    const logLines = logged.flatMap((spy) => spy.mock.calls.map((args) => `${format(...args)}\n`));
    return { result, output: chunks.join('') + logLines.join('') };
  } finally {
    [...silenced, ...logged].forEach((spy) => spy.mockRestore());
  }
}
