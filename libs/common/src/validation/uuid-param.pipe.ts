import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InvalidUuidError } from '../errors/error-classes';

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
