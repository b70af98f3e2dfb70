import { admin, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const ALLOWED = 'https://chat.example.com';
const ALSO_ALLOWED = 'https://admin.example.com';
const FOREIGN = 'https://evil.example.net';

const preflight = (t: TestApp, origin: string) =>
  http(t)
    .options('/api/messaging/sessions')
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization,content-type,x-api-key');

describe('security headers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['an open probe', '/livez', {}, 200],
    ['an authenticated route', '/api/agents', admin, 200],
    ['a refused request', '/api/agents', {}, 401],
    ['an unknown path', '/no-such-route', {}, 404],
  ])('come with %s', async (_case, path, headers, status) => {
    const response = await http(t).get(path).set(headers);

    expect(response.status).toBe(status);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'referrer-policy': 'no-referrer',
    });
    expect(response.headers).not.toHaveProperty('x-powered-by');
    // Reached over plain http inside the company, Swagger UI must not have its assets upgraded to https.
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  // Fastify turns Node's limit off; without it a client trickling a request in holds its socket for ever.
  it('gives a client 5 minutes to send a whole request, as Node does', () => {
    expect(t.app.getHttpServer().requestTimeout).toBe(300_000);
  });
});

describe('CORS with CORS_ORIGINS set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: `${ALLOWED}, ${ALSO_ALLOWED}` } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([ALLOWED, ALSO_ALLOWED])('answers a preflight from %s, allowing the auth headers, without a token', async (origin) => {
    const response = await preflight(t, origin);

    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-headers']?.toLowerCase()).toEqual(expect.stringContaining('authorization'));
    expect(response.headers['access-control-allow-headers']?.toLowerCase()).toEqual(expect.stringContaining('x-api-key'));
  });

  it('gives a preflight from another origin no access-control-allow-origin', async () => {
    const response = await preflight(t, FOREIGN);

    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('names the allowed origin on the actual response, refused or not', async () => {
    const [ok, refused] = [await http(t).get('/api/agents').set(admin).set('Origin', ALLOWED), await http(t).get('/api/agents').set('Origin', ALLOWED)];

    expect([ok.status, ok.headers['access-control-allow-origin']]).toEqual([200, ALLOWED]);
    expect([refused.status, refused.headers['access-control-allow-origin']]).toEqual([401, ALLOWED]);
  });

  it('does not name another origin on the actual response', async () => {
    const response = await http(t).get('/api/agents').set(admin).set('Origin', FOREIGN);

    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('does not allow an origin that only starts like an allowed one', async () => {
    const response = await preflight(t, `${ALLOWED}.evil.example.net`);

    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
  });
});

describe('CORS without CORS_ORIGINS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('allows no cross-origin caller', async () => {
    const [asPreflight, actual] = [await preflight(t, ALLOWED), await http(t).get('/api/agents').set(admin).set('Origin', ALLOWED)];

    expect(asPreflight.headers).not.toHaveProperty('access-control-allow-origin');
    expect(actual.headers).not.toHaveProperty('access-control-allow-origin');
  });
});
