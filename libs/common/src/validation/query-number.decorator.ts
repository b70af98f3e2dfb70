import { Transform } from 'class-transformer';

/**
 * A number from the query string. An empty (`?before=`) or repeated parameter becomes NaN, so
 * `@IsInt()` refuses it, where `@Type(() => Number)` would quietly read an empty value as 0.
 */
export function QueryNumber(): PropertyDecorator {
  return Transform(({ value }) => {
    if (value === undefined || typeof value === 'number') return value;
    return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  });
}
