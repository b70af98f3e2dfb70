import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import {
  createValidationPipe,
  ErrorClass,
  InvalidContentError,
  InvalidMetadataError,
  InvalidTimeoutConfigError,
  InvalidUuidError,
  MissingFieldsError,
  SwitchboardError,
  TimeoutConfigDto,
  ValidationError,
} from '@switchboard/common';
import { CreateSessionDto } from './create-session.dto';
import { SendSessionMessageDto } from './send-session-message.dto';

const agentId = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const messageId = '9b2f4c1e-8d3a-4f6b-a1c2-7e5d9f0b3a14';

/** `{ level: { level: … { value: 'leaf' } } }`, `levels` objects deep. */
function nestedObject(levels: number): Record<string, unknown> {
  return levels <= 1 ? { value: 'leaf' } : { level: nestedObject(levels - 1) };
}

describe('createValidationPipe', () => {
  const sut = createValidationPipe();

  const validateBody = (body: unknown, metatype: Type<unknown>): Promise<unknown> => sut.transform(body, { type: 'body', metatype });

  async function rejectionOf(body: unknown, metatype: Type<unknown>): Promise<SwitchboardError> {
    try {
      await validateBody(body, metatype);
    } catch (error) {
      if (error instanceof SwitchboardError) return error;
      throw error;
    }
    throw new Error('expected the body to be rejected');
  }

  it.each<[string, string, Type<unknown>, unknown, ErrorClass, string]>([
    ['an empty message body', 'MISSING_FIELDS', SendSessionMessageDto, {}, MissingFieldsError, 'content'],
    ['empty content', 'INVALID_CONTENT', SendSessionMessageDto, { content: '' }, InvalidContentError, 'content'],
    ['blank content', 'INVALID_CONTENT', SendSessionMessageDto, { content: ' \n\t ' }, InvalidContentError, 'content'],
    ['content of 10,001 characters', 'INVALID_CONTENT', SendSessionMessageDto, { content: 'x'.repeat(10_001) }, InvalidContentError, 'content'],
    ['content that is not a string', 'INVALID_CONTENT', SendSessionMessageDto, { content: 42 }, InvalidContentError, 'content'],
    ['message metadata nested 6 deep', 'INVALID_METADATA', SendSessionMessageDto, { content: 'hi', metadata: nestedObject(6) }, InvalidMetadataError, 'metadata'],
    ['session metadata nested 6 deep', 'INVALID_METADATA', CreateSessionDto, { agentId, userId: 'user-456', metadata: nestedObject(6) }, InvalidMetadataError, 'metadata'],
    ['metadata that is an array', 'INVALID_METADATA', SendSessionMessageDto, { content: 'hi', metadata: ['web'] }, InvalidMetadataError, 'metadata'],
    [
      'timeoutConfig.timeoutMinutes 2',
      'INVALID_TIMEOUT_CONFIG',
      CreateSessionDto,
      { agentId, userId: 'user-456', timeoutConfig: { timeoutMinutes: 2 } },
      InvalidTimeoutConfigError,
      'timeoutConfig.timeoutMinutes',
    ],
    ['agentId abc', 'INVALID_UUID', CreateSessionDto, { agentId: 'abc', userId: 'user-456' }, InvalidUuidError, 'agentId'],
    ['an unknown extra property', 'VALIDATION_ERROR', SendSessionMessageDto, { content: 'hi', isAdmin: true }, ValidationError, 'isAdmin'],
    ['an unknown property inside timeoutConfig', 'INVALID_TIMEOUT_CONFIG', CreateSessionDto, { agentId, userId: 'user-456', timeoutConfig: { ttl: 5 } }, InvalidTimeoutConfigError, 'timeoutConfig.ttl'],
  ])('rejects %s with 400 %s', async (_case, code, metatype, body, errorClass, field) => {
    const error = await rejectionOf(body, metatype);

    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ name: errorClass.name, status: 400, code });
    expect(error.toEnvelope()).toEqual({
      error: errorClass.name,
      code,
      message: expect.stringMatching(/\S/),
      details: expect.objectContaining({ fields: expect.objectContaining({ [field]: expect.arrayContaining([expect.any(String)]) }) }),
    });
  });

  it.each<[string, Type<unknown>, unknown, string[]]>([
    ['an empty message body', SendSessionMessageDto, {}, ['content']],
    ['no message body at all', SendSessionMessageDto, undefined, ['content']],
    ['an empty create-session body', CreateSessionDto, {}, ['agentId', 'userId']],
    ['a create-session body without userId', CreateSessionDto, { agentId }, ['userId']],
  ])('lists the missing fields of %s in details.missingFields', async (_case, metatype, body, missingFields) => {
    const error = await rejectionOf(body, metatype);

    expect(error).toBeInstanceOf(MissingFieldsError);
    expect(error.toEnvelope()).toMatchObject({ error: 'MissingFieldsError', code: 'MISSING_FIELDS', details: { missingFields } });
  });

  it('passes a valid message body through as a SendSessionMessageDto', async () => {
    const body = { content: 'x'.repeat(10_000), metadata: nestedObject(5), messageId };

    const dto = await validateBody(body, SendSessionMessageDto);

    expect(dto).toBeInstanceOf(SendSessionMessageDto);
    expect(dto).toEqual(body);
  });

  it('passes a valid create-session body through with its timeoutConfig as a TimeoutConfigDto', async () => {
    const body = { agentId, userId: 'user-456', metadata: { platform: 'web' }, timeoutConfig: { timeoutMinutes: 60, autoRenew: false } };

    const dto = await validateBody(body, CreateSessionDto);

    expect(dto).toBeInstanceOf(CreateSessionDto);
    expect((dto as CreateSessionDto).timeoutConfig).toBeInstanceOf(TimeoutConfigDto);
    expect(dto).toEqual(body);
  });
});
