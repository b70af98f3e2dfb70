import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccessLog } from '../logging/access-log';
import { redactQuery } from '../logging/log-redaction';

/** One line per HTTP request once it is answered; nothing is added to a request when LOG_LEVEL is above `log`. */
export function logRequests(fastify: FastifyInstance, log: AccessLog, principalOf: (request: FastifyRequest) => string | undefined): void {
  if (!log.enabled) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    log.http({
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url,
      url: redactQuery(request.url),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
      principal: principalOf(request),
    });
    done();
  });
}
