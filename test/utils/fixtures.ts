import request from 'supertest';
import type { App } from 'supertest/types';
import * as kit from '@switchboard/testing';
import { ADMIN_TOKEN, TestApp } from './test-app';

/** Fixtures every suite builds on, through the kit's factories (the public API). */
export type Http = ReturnType<typeof request>;
export type { CreatedSession } from '@switchboard/testing';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
export const admin = bearer(ADMIN_TOKEN);

export function http(t: TestApp): Http {
  return request(t.app.getHttpServer() as App);
}

export function createAgent(t: TestApp, body: Record<string, unknown> = {}): Promise<kit.CreatedAgent> {
  return kit.createAgent(t, body);
}

/** A session as `auth` (headers such as `bearer(token)`; the admin token by default). */
export function createSession(t: TestApp, body: Record<string, unknown> = {}, auth: Record<string, string> = admin): Promise<kit.CreatedSession> {
  return kit.createSession(t, body, { headers: auth });
}

/** A new API key with exactly these scopes; returns its token and id. */
export function createApiKey(t: TestApp, scopes: string[], name?: string): Promise<kit.CreatedApiKey> {
  return kit.createApiKey(t, scopes, name);
}
