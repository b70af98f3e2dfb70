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
  MalformedJsonError,
  NotFoundError,
  PayloadTooLargeError,
  RequestError,
  SessionExpiredError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './error-classes';
import { SwitchboardError } from './switchboard.error';
import { toSwitchboardError } from './to-switchboard-error';

type AnyErrorClass = abstract new (...args: never[]) => SwitchboardError;

describe('toSwitchboardError', () => {
  const sut = toSwitchboardError;

  it.each<[string, number, string, unknown, AnyErrorClass]>([
    ['a body-parser JSON parse failure', 400, 'MALFORMED_JSON', { type: 'entity.parse.failed', status: 400 }, MalformedJsonError],
    ['a body-parser size failure', 413, 'PAYLOAD_TOO_LARGE', { type: 'entity.too.large', status: 413, limit: 100 }, PayloadTooLargeError],
    ['a parse failure wrapped in an HttpException', 400, 'MALFORMED_JSON', new BadRequestException('Bad JSON', { cause: { type: 'entity.parse.failed' } }), MalformedJsonError],
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

  it('keeps the body-parser limit in details', () => {
    expect(sut({ type: 'entity.too.large', limit: 100 }).toEnvelope().details).toEqual({ limitBytes: 100 });
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
