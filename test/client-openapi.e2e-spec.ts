import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { REST_OPERATIONS } from '@switchboard/client';
import { http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const GENERATED = resolve('libs/client/src/rest/openapi.generated.ts');
const HEADER = '// Generated from /api/docs-json by `npm run client:openapi`; test/client-openapi.e2e-spec.ts fails when it is stale.\n\n';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface OpenApi {
  paths: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], { operationId: string }>>>;
}

/** The TypeScript openapi-typescript makes of the served document: what the SDK's REST types are. */
async function typesOf(doc: OpenApi): Promise<string> {
  return HEADER + astToString(await openapiTS(doc as never, { alphabetize: true, defaultNonNullable: false }));
}

describe('@switchboard/client REST types and /api/docs-json', () => {
  let t: TestApp;
  let doc: OpenApi;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await http(t).get('/api/docs-json').expect(200)).body as OpenApi;
  });

  afterAll(async () => {
    await t.close();
  });

  it("has types generated from the app's own OpenAPI document, as it is now (npm run client:openapi regenerates them)", async () => {
    const expected = await typesOf(doc);
    if (process.env.UPDATE_CLIENT_OPENAPI === '1') writeFileSync(GENERATED, expected);

    expect(readFileSync(GENERATED, 'utf8')).toBe(expected);
  });

  it('has one method for every documented operation, on the same method and path, and none for an undocumented one', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path} ${item[method]!.operationId}`),
    );
    const sdk = Object.values(REST_OPERATIONS).map((op) => `${op.method} ${op.path} ${op.operationId}`);

    expect(sdk.sort()).toEqual(documented.sort());
  });
});
