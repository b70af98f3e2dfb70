import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject, SecuritySchemeObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { scopeTableMarkdown } from '@switchboard/auth';
import { http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Open without a token: the probes and the AsyncAPI document. */
const PROBES = ['/livez', '/readyz', '/api/asyncapi.json'];
const SESSION = '/api/messaging/sessions/{sessionId}';

/** `METHOD /path/{param}` for every route the running app serves, Swagger's own pages, the console's static files and CORS preflights aside. */
function servedRoutes(t: TestApp): string[] {
  return t.routes
    .filter(({ method, path }) => !path.startsWith('/api/docs') && !path.startsWith('/console') && !(method === 'OPTIONS' && path === '*')).map(({ method, path }) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
}

function documentedOperations(doc: OpenAPIObject): Array<{ key: string; path: string; operation: OperationObject }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item?.[method]).map((method) => ({ key: `${method.toUpperCase()} ${path}`, path, operation: item![method]! })),
  );
}

describe('Swagger documentation', () => {
  let t: TestApp;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await http(t).get('/api/docs-json').expect(200)).body as OpenAPIObject;
  });

  afterAll(async () => {
    await t.close();
  });

  it('shows the one table of scopes and what each allows, the same as README\'s', () => {
    const table = scopeTableMarkdown();

    expect(doc.info.description).toContain(table);
    expect(readFileSync('README.md', 'utf8')).toContain(table);
    expect(table).toContain('`messaging:manage`');
  });

  it('serves the Swagger UI at /api/docs as HTML, without a token', async () => {
    const response = await http(t).get('/api/docs').redirects(1).expect(200);

    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it.each(['/api/docs', '/api/docs/'])('serves every script, style sheet and icon the page at %s loads', async (page) => {
    const html = (await http(t).get(page).expect(200)).text;
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map(([, url]) => new URL(url, `http://switchboard${page}`).pathname);

    expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/swagger-ui-bundle\.js$/), expect.stringMatching(/swagger-ui\.css$/)]));
    for (const asset of assets) {
      expect({ asset, status: (await http(t).get(asset)).status }).toEqual({ asset, status: 200 });
    }
  });

  it('serves the OpenAPI JSON at /api/docs-json without a token, and it is a valid OpenAPI 3 document', async () => {
    const response = await http(t).get('/api/docs-json').expect(200);
    const document: Parameters<typeof SwaggerParser.validate>[0] = response.body;

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
  });

  it('documents every route the app serves, and no route it does not', () => {
    const served = servedRoutes(t).sort();
    const documented = documentedOperations(doc)
      .map((op) => op.key)
      .sort();

    expect(documented).toEqual(served);
    expect(documented).toEqual(
      expect.arrayContaining([
        'POST /api/messaging/sessions',
        'GET /api/messaging/sessions',
        'GET /api/messaging/sessions/health',
        `GET ${SESSION}`,
        `DELETE ${SESSION}`,
        `POST ${SESSION}/messages`,
        `GET ${SESSION}/messages`,
        `POST ${SESSION}/renew`,
        `PATCH ${SESSION}/timeout`,
        `POST ${SESSION}/heartbeat`,
        'POST /api/agents',
        'GET /api/agents',
        'GET /api/agents/{agentId}',
        'PATCH /api/agents/{agentId}',
        'DELETE /api/agents/{agentId}',
        'POST /api/auth/keys',
        'GET /api/auth/keys',
        'DELETE /api/auth/keys/{keyId}',
        'GET /livez',
        'GET /readyz',
      ]),
    );
  });

  it('declares the bearer scheme (and the X-API-KEY header)', () => {
    const schemes = doc.components?.securitySchemes as Record<string, SecuritySchemeObject>;

    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes['api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-KEY' });
  });

  it('puts a security requirement on every operation except the open probes and documents', () => {
    const operations = documentedOperations(doc);
    const unsecured = operations.filter(({ operation }) => !operation.security?.some((requirement) => 'bearer' in requirement)).map((op) => op.key);

    expect(unsecured.sort()).toEqual(PROBES.map((path) => `GET ${path}`).sort());
    expect(doc.security ?? []).toEqual([]);
  });

  it('documents 401 and 403 on every secured operation', () => {
    const missing = documentedOperations(doc)
      .filter(({ path }) => !PROBES.includes(path))
      .filter(({ operation }) => !('401' in operation.responses && '403' in operation.responses))
      .map((op) => op.key);

    expect(missing).toEqual([]);
  });

  it.each([
    [`GET ${SESSION}`, ['400', '404', '410']],
    [`DELETE ${SESSION}`, ['400', '404', '410']],
    [`POST ${SESSION}/messages`, ['400', '404', '410', '413']],
    [`GET ${SESSION}/messages`, ['400', '404', '410']],
    [`POST ${SESSION}/renew`, ['400', '404', '410', '422']],
    [`PATCH ${SESSION}/timeout`, ['400', '404', '410']],
    [`POST ${SESSION}/heartbeat`, ['400', '404', '410']],
    ['POST /api/messaging/sessions', ['400', '404', '409']],
    ['GET /api/messaging/sessions', ['400']],
  ])('documents the 4xx answers of %s with the error envelope', (key, statuses) => {
    const operation = documentedOperations(doc).find((op) => op.key === key)?.operation;

    expect(operation, key).toBeDefined();
    for (const status of statuses) {
      const response = operation!.responses[status] as ResponseObject | undefined;
      expect(response, `${key} ${status}`).toBeDefined();
      expect(response!.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ErrorEnvelopeDto' });
    }
  });

  it('describes the error envelope schema', () => {
    const envelope = doc.components?.schemas?.ErrorEnvelopeDto as SchemaObject;

    expect(Object.keys(envelope.properties ?? {}).sort()).toEqual(['code', 'details', 'error', 'message']);
    expect(envelope.required?.slice().sort()).toEqual(['code', 'details', 'error', 'message']);
  });

  it('documents the session response fields of seed 004', () => {
    const schemas = doc.components?.schemas as Record<string, SchemaObject>;
    const fieldsOf = (ref: ReferenceObject | SchemaObject | undefined): string[] => {
      const schema = ref && '$ref' in ref ? schemas[ref.$ref.split('/').pop()!] : (ref as SchemaObject | undefined);
      const own = Object.keys(schema?.properties ?? {});
      return [...own, ...(schema?.allOf ?? []).flatMap((part) => fieldsOf(part))];
    };
    const okSchema = (key: string, status: string) =>
      ((documentedOperations(doc).find((op) => op.key === key)!.operation.responses[status] as ResponseObject).content?.['application/json']?.schema);

    expect(fieldsOf(okSchema(`GET ${SESSION}`, '200'))).toEqual(
      expect.arrayContaining(['sessionId', 'agentId', 'userId', 'createdAt', 'lastActivity', 'expiresAt', 'timeRemaining', 'isNearExpiration', 'timeoutConfig', 'renewalCount', 'metadata']),
    );
    expect(fieldsOf(okSchema(`POST ${SESSION}/messages`, '201'))).toEqual(expect.arrayContaining(['id', 'content', 'authorId', 'createdAt', 'metadata', 'sessionStatus']));
    expect(fieldsOf(okSchema(`GET ${SESSION}/messages`, '200'))).toEqual(expect.arrayContaining(['messages', 'hasMore', 'cursors']));
    expect(fieldsOf(okSchema(`PATCH ${SESSION}/timeout`, '200')).sort()).toEqual(['expiresAt', 'renewalCount', 'sessionId', 'timeoutConfig']);
    expect(fieldsOf(okSchema('GET /api/messaging/sessions/health', '200')).sort()).toEqual(['activeSessions', 'expiringSoon', 'invalidSessions', 'status', 'timestamp', 'uptime']);
  });
});
