import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from '../logging/request-id';

/**
 * Every response carries its request's id (Fastify's `request.id`, see createHttpAdapter's
 * `genReqId`): errors and 404s included, since the header is set before any route runs.
 */
export function returnRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
