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
    // fetch keeps connections alive, as load balancers and browsers do.
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${await t.app.getUrl()}${path}`, { headers });
      return { status: response.status, connection: response.headers.get('connection'), body: (await response.json()) as Record<string, unknown> };
    };
    expect(await get('/readyz')).toMatchObject({ status: 200, connection: 'keep-alive' });

    t.app.get(DrainState).begin();

    const ready = await get('/readyz');
    expect(ready).toMatchObject({ status: 503, connection: 'close', body: { error: 'ServiceUnavailableError', message: 'This instance is shutting down' } });
    expect(await get('/api/agents', admin)).toMatchObject({ status: 200, connection: 'close' });
    await http(t).get('/livez').expect(200);
  });
});
