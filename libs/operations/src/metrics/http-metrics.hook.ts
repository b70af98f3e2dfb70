import type { FastifyInstance } from 'fastify';
import { Metrics, UNMATCHED_ROUTE } from '@switchboard/common';

/**
 * Times every HTTP response by its route pattern (`/api/messaging/sessions/:sessionId`, never the
 * URL with its ids). A Fastify hook rather than a Nest interceptor: it also sees the answers of
 * guards, filters and the router (401, 403, 404, 429).
 */
export function measureHttpRequests(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequestFinished(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
