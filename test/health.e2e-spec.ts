import { DataSource } from 'typeorm';
import { DrainState } from '@switchboard/common';
import { admin, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

describe('health when the database does not answer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 200 while the database answers, then 503 ServiceUnavailableError once it is gone', async () => {
    await http(t).get('/api/messaging/sessions/health').set(admin).expect(200);
    await http(t).get('/readyz').expect(200);

    await t.app.get(DataSource).destroy();

    const health = await http(t).get('/api/messaging/sessions/health').set(admin).expect(503);
    expect(health.body).toMatchObject({ error: 'ServiceUnavailableError', code: 'SERVICE_UNAVAILABLE', details: { status: 'unhealthy' } });
    const ready = await http(t).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({ error: 'ServiceUnavailableError' });
    await http(t).get('/livez').expect(200);
  });
});

describe('readiness during a drain', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 503 on /readyz once the drain begins, while accepted requests still get their normal answer, with Connection: close', async () => {
    const before = await http(t).get('/readyz').expect(200);
    expect(before.headers.connection).not.toBe('close');

    t.app.get(DrainState).begin();

    const ready = await http(t).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({ error: 'ServiceUnavailableError', message: 'This instance is shutting down' });
    expect(ready.headers.connection).toBe('close');
    const agents = await http(t).get('/api/agents').set(admin).expect(200);
    expect(agents.headers.connection).toBe('close');
    await http(t).get('/livez').expect(200);
  });
});
