import { DataSource } from 'typeorm';
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
