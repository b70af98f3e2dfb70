import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InvalidUuidError } from '../errors/error-classes';

/** UUIDs compare case-insensitively (RFC 4122); they are stored in lower case. */
export function lowerCaseUuid(value: unknown): unknown {
  return typeof value === 'string' && isUUID(value) ? value.toLowerCase() : value;
}

/** Path ids are UUIDs; anything else is a 400 `InvalidUuidError` naming the parameter. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isUUID(value)) {
      throw new InvalidUuidError(`${this.name} must be a UUID`, { [this.name]: value.slice(0, 64) });
    }
    return value.toLowerCase();
  }
}
