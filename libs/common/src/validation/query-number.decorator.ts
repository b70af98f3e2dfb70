import { Transform } from 'class-transformer';

/**
 * A number from the query string. An empty (`?before=`) or repeated parameter becomes NaN, so
 * `@IsInt()` refuses it, where `@Type(() => Number)` would quietly read an empty value as 0; so does
 * an integer too large to be read exactly (`9007199254740993` would become …992), rather than be
 * rounded or overflow a database's bigint.
 */
export function QueryNumber(): PropertyDecorator {
  return Transform(({ value }) => {
    if (value === undefined || typeof value === 'number') return value;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    return Number.isInteger(number) && !Number.isSafeInteger(number) ? Number.NaN : number;
  });
}
