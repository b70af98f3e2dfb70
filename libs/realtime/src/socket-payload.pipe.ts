import { Injectable, PipeTransform, Type, ValidationPipe } from '@nestjs/common';
import { assertStorableText, createValidationPipe, ValidationError } from '@switchboard/common';

/** HTTP's pipe, except that fields a DTO does not declare are dropped rather than refused: the seeds' clients send extra ones. */
const socketValidation: ValidationPipe = createValidationPipe({ forbidNonWhitelisted: false });

/** A socket payload as a DTO: a JSON object, storable text only, then the same checks and error classes as HTTP bodies. */
export async function validateSocketPayload<T extends object>(type: Type<T>, payload: unknown): Promise<T> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new ValidationError('The payload must be a JSON object');
  }
  assertStorableText(payload);
  return (await socketValidation.transform(payload, { type: 'body', metatype: type })) as T;
}

/** The pipe @SocketPayload() applies: validates the payload against the parameter's DTO class. */
@Injectable()
export class SocketPayloadPipe implements PipeTransform<unknown, Promise<object>> {
  transform(payload: unknown, { metatype }: { metatype?: Type<unknown> }): Promise<object> {
    if (!metatype) throw new Error('@SocketPayload() needs a DTO class as the parameter type');
    return validateSocketPayload(metatype as Type<object>, payload);
  }
}
