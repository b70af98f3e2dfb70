import type { IncomingMessage } from 'node:http';
import { networkInterfaces, NetworkInterfaceInfo } from 'node:os';
import { resolve } from 'node:path';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AccessLog,
  AppConfig,
  AppLogger,
  BODY_LIMIT_BYTES,
  DrainState,
  ErrorEnvelopeFilter,
  acceptJsonBodiesOnly,
  answerOverlongPathParameter,
  answerUndecodableUrl,
  answerUnparsableRequest,
  createValidationPipe,
  Metrics,
  logRequests,
  RedisConnections,
  refuseUnstorableText,
  REQUEST_ID_HEADER,
  requestIdFrom,
  returnRequestId,
} from '@switchboard/common';
import { measureHttpRequests } from '@switchboard/operations';
import { AuthenticatedRequest, principalLabel } from '@switchboard/auth';
import { RealtimeIoAdapter } from '@switchboard/realtime';
import { setupSwagger } from './swagger';

/** Where `npm run build` puts the web console, served at /console/. */
export const CONSOLE_ROOT = resolve('dist/console');

/**
 * Options main.ts and the e2e suites create the app with, beside `createHttpAdapter()`. What Nest
 * logs before configureApp installs AppLogger is held until then, so that it too is a JSON line.
 */
export const APP_OPTIONS = { bodyParser: false, bufferLogs: true } as const;

/** How often Node looks for requests past their headers or request timeout: often enough that a short timeout holds. */
export function connectionsCheckingIntervalMs({ headersTimeoutMs, requestTimeoutMs }: AppConfig['http']): number {
  return Math.min(5_000, Math.max(100, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)));
}

/**
 * Fastify, not Express: on the hot path (POST …/messages) Nest on Express cost more CPU than
 * everything the send itself does (see bench/). Request bodies are read by acceptJsonBodiesOnly.
 */
export function createHttpAdapter(config: AppConfig = AppConfig.fromEnv()): FastifyAdapter {
  const timeouts = config.http;
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify turns Node's request timeout off; a client trickling its request in would hold a socket for ever.
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    http: { headersTimeout: timeouts.headersTimeoutMs, connectionsCheckingInterval: connectionsCheckingIntervalMs(timeouts) },
    clientErrorHandler: answerUnparsableRequest,
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    // As Express did: `/api/agents/` is `/api/agents`, and an over-long id is a 400 from its route
    // (InvalidUuidError), not a 404 because Fastify's router stopped matching at 100 characters.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2_048, onMaxParamLength: answerOverlongPathParameter, onBadUrl: answerUndecodableUrl },
  });
}

/**
 * Where to listen: HOST, or when it is unset every interface, as Node's own default: IPv6's `::`
 * (which takes IPv4 too) where the machine has IPv6, else `0.0.0.0`. Fastify given no host would
 * listen on localhost only.
 */
export function listenHost(host: string | undefined, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string {
  if (host) return host;
  const hasIpv6 = Object.values(interfaces).some((addresses) => addresses?.some((address) => address.family === 'IPv6'));
  return hasIpv6 ? '::' : '0.0.0.0';
}

/** During a drain every response closes its connection, so keep-alive clients reconnect elsewhere. */
function closeConnectionsWhileDraining(app: NestFastifyApplication): void {
  const drain = app.get(DrainState);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (_request, reply, payload, done) => {
      if (drain.draining) reply.header('connection', 'close');
      done(null, payload);
    });
}

/** Everything main.ts and the e2e suites set up the same way, on an app made with createHttpAdapter(). */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(AppLogger));
  // Now rather than at the end of app.init(): the first-start key print follows Nest's start-up lines, as it always did.
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  returnRequestId(fastify);
  logRequests(fastify, app.get(AccessLog), (request) => principalLabel((request as AuthenticatedRequest).principal));
  // Internal deployments are often reached over plain http by host name: upgrading Swagger UI's
  // asset requests to https would break it there.
  app.useSecurityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  app.enableCors({ origin: config.corsOrigins.length > 0 ? config.corsOrigins : false });
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config, app.get(RedisConnections)));
  acceptJsonBodiesOnly(fastify);
  refuseUnstorableText(fastify);
  closeConnectionsWhileDraining(app);
  measureHttpRequests(app.getHttpAdapter().getInstance(), app.get(Metrics));
  app.useGlobalFilters(new ErrorEnvelopeFilter(app.getHttpAdapter(), app.get(Metrics)));
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app);
  // The console's static files (npm run build puts them there); it signs in with the same tokens as any client.
  void app.useStaticAssets({ root: CONSOLE_ROOT, prefix: '/console/', decorateReply: false, wildcard: false, index: 'index.html' });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
