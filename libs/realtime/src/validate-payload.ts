import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { assertStorableText, toContractError, ValidationError } from '@switchboard/common';

/** Socket payloads get the same checks and error classes as HTTP bodies. */
export async function validatePayload<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new ValidationError('The payload must be a JSON object');
  }
  assertStorableText(payload);
  const instance = plainToInstance(type, payload);
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw toContractError(errors);
  return instance;
}
