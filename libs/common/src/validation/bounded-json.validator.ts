import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';

export const METADATA_MAX_BYTES = 16 * 1024;
export const METADATA_MAX_DEPTH = 5;

/** Depth of a JSON value: a scalar is 0, `{}` or `[]` is 1, `{a:{}}` is 2. */
export function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, jsonDepth(child)), 0);
}

export function jsonObjectProblem(value: unknown, maxBytes = METADATA_MAX_BYTES, maxDepth = METADATA_MAX_DEPTH): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be a JSON object';
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > maxBytes) return `must be at most ${maxBytes} bytes of JSON (got ${bytes})`;
  const depth = jsonDepth(value);
  if (depth > maxDepth) return `must be nested at most ${maxDepth} levels deep (got ${depth})`;
  return undefined;
}

/**
 * A JSON object within the metadata limits of seed 004: 16 KB, 5 levels. The value is taken as the
 * client sent it: class-transformer would drop keys such as `toString` while copying it.
 */
export function IsBoundedJsonObject(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true })(target, propertyName);
    registerDecorator({
      name: 'isBoundedJsonObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => jsonObjectProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property} ${jsonObjectProblem(args?.value)}`,
      },
    });
  };
}
