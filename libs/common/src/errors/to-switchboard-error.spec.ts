import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ForbiddenError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RequestError,
  SessionExpiredError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './error-classes';
import { SwitchboardError } from './switchboard.error';
import { BODY_LIMIT_BYTES } from '../http/json-body';
import { toSwitchboardError } from './to-switchboard-error';

type AnyErrorClass = abstract new (...args: never[]) => SwitchboardError;

describe('toSwitchboardError', () => {
  const sut = toSwitchboardError;

  it.each<[string, number, string, unknown, AnyErrorClass]>([
    ["Fastify's body size failure", 413, 'PAYLOAD_TOO_LARGE', { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'Request body is too large' }, PayloadTooLargeError],
    ["Fastify's body size failure as Nest hands it on", 413, 'PAYLOAD_TOO_LARGE', new HttpException('Request body is too large', 413, { cause: { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'Request body is too large' } }), PayloadTooLargeError],
    ["Fastify's invalid Content-Length", 400, 'VALIDATION_ERROR', { code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', statusCode: 400, message: 'Request body size did not match Content-Length' }, ValidationError],
    ["Fastify's unsupported media type", 415, 'UNSUPPORTED_MEDIA_TYPE', { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415, message: 'Unsupported Media Type' }, UnsupportedMediaTypeError],
    ['a Fastify failure of its own', 500, 'INTERNAL_ERROR', { code: 'FST_ERR_REP_ALREADY_SENT', statusCode: 500, message: 'Reply already sent' }, InternalError],
    ["an object with a status code that is not Fastify's", 500, 'INTERNAL_ERROR', { code: 'ECONNRESET', statusCode: 400, message: 'socket hang up' }, InternalError],
    ['NotFoundException', 404, 'NOT_FOUND', new NotFoundException('Cannot GET /api/nowhere'), NotFoundError],
    ['BadRequestException', 400, 'VALIDATION_ERROR', new BadRequestException('bad'), ValidationError],
    ['UnauthorizedException', 401, 'UNAUTHORIZED', new UnauthorizedException(), UnauthorizedError],
    ['ForbiddenException', 403, 'FORBIDDEN', new ForbiddenException(), ForbiddenError],
    ['PayloadTooLargeException', 413, 'PAYLOAD_TOO_LARGE', new PayloadTooLargeException(), PayloadTooLargeError],
    ['UnsupportedMediaTypeException', 415, 'UNSUPPORTED_MEDIA_TYPE', new UnsupportedMediaTypeException(), UnsupportedMediaTypeError],
    ['a 405 HttpException', 405, 'BAD_REQUEST', new HttpException('Method Not Allowed', 405), RequestError],
    ['a plain Error', 500, 'INTERNAL_ERROR', new Error('boom'), InternalError],
    ['a thrown string', 500, 'INTERNAL_ERROR', 'boom', InternalError],
    ['a thrown null', 500, 'INTERNAL_ERROR', null, InternalError],
    ['InternalServerErrorException', 500, 'INTERNAL_ERROR', new InternalServerErrorException('boom'), InternalError],
  ])('maps %s to %i %s', (_case, status, code, thrown, errorClass) => {
    const error = sut(thrown);

    expect(error).toBeInstanceOf(errorClass);
    expect(error.toEnvelope()).toEqual({ error: errorClass.name, code, message: expect.stringMatching(/\S/), details: expect.any(Object) });
    expect(error.status).toBe(status);
  });

  it('names the body limit in details of a size failure', () => {
    expect(sut({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'Request body is too large' }).toEnvelope().details).toEqual({ limitBytes: BODY_LIMIT_BYTES });
  });

  it('keeps a 4xx HttpException message', () => {
    expect(sut(new NotFoundException('Cannot GET /api/nowhere')).message).toBe('Cannot GET /api/nowhere');
  });

  it('returns one of our errors unchanged', () => {
    const expired = new SessionExpiredError('Session expired', { expiresAt: '2025-01-01T09:30:00.000Z' });

    expect(sut(expired)).toBe(expired);
  });

  it.each<[string, unknown]>([
    ['a plain Error', new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: api_keys.hash_secret')],
    ['a 500 HttpException', new InternalServerErrorException('SQLITE_CONSTRAINT: UNIQUE constraint failed: api_keys.hash_secret')],
  ])('never leaks the message or stack of %s into the envelope', (_case, thrown) => {
    const envelope = JSON.stringify(sut(thrown).toEnvelope());

    expect(envelope).not.toContain('SQLITE_CONSTRAINT');
    expect(envelope).not.toContain('hash_secret');
    expect(envelope).not.toContain('to-switchboard-error.spec.ts');
  });
});
