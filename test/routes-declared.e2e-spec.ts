import { Controller, Delete, Get, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types';
import { Public } from '@switchboard/common';
import { RequireScopes, SCOPES } from '@switchboard/auth';
import { admin, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { expectAuthError } from './utils-auth/auth-helpers';
import { listControllerRoutes, routeKey } from './utils-auth/routes';

/** A controller as someone might write it: one route forgets its auth declaration. */
@Controller('probe-routes')
class MixedController {
  @Get('open')
  @Public()
  open(): string {
    return 'open';
  }

  @Post('scoped')
  @RequireScopes('agents:read')
  scoped(): string {
    return 'scoped';
  }

  @Delete('forgotten')
  forgotten(): string {
    return 'forgotten';
  }
}

@RequireScopes('admin')
@Controller('probe-class')
class ClassScopedController {
  @Get()
  inherited(): string {
    return 'inherited';
  }
}

// The pages, and swagger-ui-dist's static files below them.
const SWAGGER_UI_PATHS = ['/api/docs', '/api/docs/', '/api/docs/index.html', '/api/docs/LICENSE', '/api/docs/swagger-ui-init.js', '/api/docs/docs/swagger-ui-init.js', '/api/docs/*', '/api/docs/docs/*'];

/** @fastify/cors answers preflights on every path (with 404 unless CORS_ORIGINS allows the origin). */
const CORS_PREFLIGHT = 'OPTIONS *';

describe('the route walker', () => {
  it('sees each route with the requirement the guard will read, from the handler or else the controller', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [MixedController, ClassScopedController] }).compile();

    const routes = listControllerRoutes(moduleRef).map(({ method, path, requirement }) => ({ method, path, requirement }));

    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/probe-routes/open', requirement: { public: true } },
        { method: 'POST', path: '/probe-routes/scoped', requirement: { public: false, scopes: ['agents:read'] } },
        { method: 'DELETE', path: '/probe-routes/forgotten', requirement: undefined },
        { method: 'GET', path: '/probe-class', requirement: { public: false, scopes: ['admin'] } },
      ]),
    );
    expect(routes).toHaveLength(4);
    await moduleRef.close();
  });
});

describe('every route of the app declares who may call it', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('finds the routes of the controllers of every module', () => {
    const controllers = new Set(listControllerRoutes(t.app).map((route) => route.controller));

    expect([...controllers]).toEqual(expect.arrayContaining(['AgentsController', 'ApiKeysController', 'ProbesController', 'SessionsController', 'SessionsHealthController']));
  });

  it('has no route without @RequireScopes or @Public', () => {
    const undeclared = listControllerRoutes(t.app).filter((route) => route.requirement === undefined);

    expect(undeclared.map((route) => `${routeKey(route)} (${route.controller}.${route.handler})`)).toEqual([]);
  });

  it('declares at least one scope on every non-public route, each one a known scope', () => {
    const badDeclarations = listControllerRoutes(t.app).filter(
      ({ requirement }) => requirement && !requirement.public && (requirement.scopes.length === 0 || requirement.scopes.some((scope) => !(SCOPES as readonly string[]).includes(scope))),
    );

    expect(badDeclarations.map(routeKey)).toEqual([]);
  });

  it('opens only the liveness and readiness probes', () => {
    const publicRoutes = listControllerRoutes(t.app).filter((route) => route.requirement?.public);

    expect(publicRoutes.map(routeKey).sort()).toEqual(['GET /api/asyncapi.json', 'GET /livez', 'GET /readyz']);
  });

  it("serves nothing outside the controllers (and so outside the guard) but the Swagger UI, its documents, the console's static files and CORS preflights", () => {
    const controllerRoutes = new Set(listControllerRoutes(t.app).map(routeKey));

    const outsideControllers = t.routes.filter((route) => !controllerRoutes.has(routeKey(route)));

    const consoleFile = (route: { method: string; path: string }) => route.method === 'GET' && /^\/console(\/[\w.-]*)?$/.test(route.path);
    expect(outsideControllers.filter((route) => !(route.method === 'GET' && route.path.startsWith('/api/docs')) && !consoleFile(route) && routeKey(route) !== CORS_PREFLIGHT)).toEqual([]);
    expect([...controllerRoutes].filter((key) => !t.routes.some((route) => routeKey(route) === key))).toEqual([]);
  });

  // Only the UI and the JSON document are open; SwaggerModule would also serve YAML.
  it('serves no Swagger document other than /api/docs-json', () => {
    const swaggerRoutes = t.routes.filter((route) => route.path.startsWith('/api/docs'));

    expect(swaggerRoutes.map((route) => route.path).sort()).toEqual([...SWAGGER_UI_PATHS, '/api/docs-json'].sort());
  });

  it.each(['/api/docs', '/api/docs-json'])('answers %s without a token', async (path) => {
    const response = await http(t).get(path);

    expect(response.status).toBe(200);
  });

  it('serves the OpenAPI document with the bearer and X-API-KEY schemes', async () => {
    const response = await http(t).get('/api/docs-json').expect(200);

    expect(response.body.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      'api-key': { type: 'apiKey', in: 'header', name: 'X-API-KEY' },
    });
  });
});

describe('a route that declares nothing, added to the app', () => {
  let sut: TestApp;
  const call = () => request(sut.app.getHttpServer() as App).delete('/probe-routes/forgotten');

  beforeAll(async () => {
    sut = await createTestApp({ controllers: [MixedController] });
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('is refused with 403 even to the admin token (closed by default)', async () => {
    expectAuthError(await call().set(admin), 403);
  });

  it('is refused with 401 without a token', async () => {
    expectAuthError(await call(), 401);
  });

  it('is reported by the walker', () => {
    const undeclared = listControllerRoutes(sut.app).filter((route) => route.requirement === undefined);

    expect(undeclared.map(routeKey)).toEqual(['DELETE /probe-routes/forgotten']);
  });

  it('still lets a sibling route declared @Public() through and checks the scoped one', async () => {
    const server = sut.app.getHttpServer() as App;

    await request(server).get('/probe-routes/open').expect(200);
    expectAuthError(await request(server).post('/probe-routes/scoped'), 401);
    await request(server).post('/probe-routes/scoped').set(admin).expect(201);
  });
});
