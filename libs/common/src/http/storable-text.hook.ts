import type { FastifyInstance } from 'fastify';
import { assertStorableText } from '../validation/storable-text';

/**
 * Refuses, with 400 before any route runs, a request whose JSON body or query string holds text no
 * database stores as sent (a NUL, a lone surrogate): see findUnstorableText.
 */
export function refuseUnstorableText(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request) => {
    assertStorableText(request.query, 'query');
    assertStorableText(request.body);
  });
}
