import request from 'supertest';
import type { App } from 'supertest/types';
import { ADMIN_TOKEN, TestApp } from './test-app';

/** Fixtures every suite builds on: one place that knows how to make agents, sessions and keys. */
export type Http = ReturnType<typeof request>;

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
export const admin = bearer(ADMIN_TOKEN);

export function http(t: TestApp): Http {
  return request(t.app.getHttpServer() as App);
}

let agentCounter = 0;

export async function createAgent(t: TestApp, body: Record<string, unknown> = {}): Promise<{ id: string; name: string; [key: string]: unknown }> {
  const response = await http(t)
    .post('/api/agents')
    .set(admin)
    .send({ name: `agent-${process.pid}-${++agentCounter}`, ...body })
    .expect(201);
  return response.body;
}

export interface CreatedSession {
  sessionId: string;
  channelId: string;
  token: string;
  expiresAt: string;
  [key: string]: unknown;
}

export async function createSession(
  t: TestApp,
  body: Record<string, unknown> = {},
  auth: Record<string, string> = admin,
): Promise<CreatedSession> {
  const agentId = (body.agentId as string | undefined) ?? (await createAgent(t)).id;
  const response = await http(t)
    .post('/api/messaging/sessions')
    .set(auth)
    .send({ userId: 'user-1', ...body, agentId })
    .expect(201);
  return response.body;
}

/** A new API key with exactly these scopes; returns its token and id. */
export async function createApiKey(t: TestApp, scopes: string[], name = `key-${scopes.join('+')}`): Promise<{ id: string; token: string }> {
  const response = await http(t).post('/api/auth/keys').set(admin).send({ name, scopes }).expect(201);
  return { id: response.body.id, token: response.body.token };
}
