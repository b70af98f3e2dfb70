/**
 * JSON Schemas that carry their TypeScript type: the realtime events are declared once, as schemas,
 * and both the event types (which the server's gateways are compiled against) and the AsyncAPI
 * document come from them, so neither can drift from the other.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

declare const staticType: unique symbol;

export type Schema<T> = JsonSchema & { readonly [staticType]?: T };

export type Static<S> = S extends Schema<infer T> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Properties = Record<string, Schema<unknown>>;

type ObjectOf<Required extends Properties, Optional extends Properties> = Simplify<
  { -readonly [K in keyof Required]: Static<Required[K]> } & { -readonly [K in keyof Optional]?: Static<Optional[K]> }
>;

interface Annotations {
  description?: string;
  examples?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

const schema = <T>(definition: JsonSchema): Schema<T> => definition as Schema<T>;

export const S = {
  string: (annotations: Annotations = {}) => schema<string>({ type: 'string', ...annotations }),
  uuid: (annotations: Annotations = {}) => schema<string>({ type: 'string', format: 'uuid', ...annotations }),
  dateTime: (annotations: Annotations = {}) => schema<string>({ type: 'string', format: 'date-time', ...annotations }),
  number: (annotations: Annotations = {}) => schema<number>({ type: 'number', ...annotations }),
  integer: (annotations: Annotations = {}) => schema<number>({ type: 'integer', ...annotations }),
  boolean: (annotations: Annotations = {}) => schema<boolean>({ type: 'boolean', ...annotations }),
  literal: <const V extends string | number | boolean>(value: V, annotations: Annotations = {}) => schema<V>({ const: value, ...annotations }),
  enum: <const V extends string>(values: readonly V[], annotations: Annotations = {}) => schema<V>({ type: 'string', enum: values, ...annotations }),
  nullable: <T>(inner: Schema<T>) => schema<T | null>({ anyOf: [inner, { type: 'null' }] }),
  array: <T>(items: Schema<T>, annotations: Annotations = {}) => schema<T[]>({ type: 'array', items, ...annotations }),
  /** Any JSON object (metadata, details). */
  record: (annotations: Annotations = {}) => schema<Record<string, unknown>>({ type: 'object', ...annotations }),
  unknown: (annotations: Annotations = {}) => schema<unknown>({ ...annotations }),
  /** An object with these required and optional properties; further properties are allowed (servers add fields over time). */
  object: <const R extends Properties, const O extends Properties = Record<never, never>>(required: R, optional?: O, annotations: Annotations = {}) =>
    schema<ObjectOf<R, O>>({
      type: 'object',
      properties: { ...required, ...optional },
      ...(Object.keys(required).length > 0 ? { required: Object.keys(required) } : {}),
      ...annotations,
    }),
  /** One of several shapes. */
  union: <const M extends Array<Schema<unknown>>>(members: M, annotations: Annotations = {}) => schema<Static<M[number]>>({ anyOf: members, ...annotations }),
  /** Both shapes at once (a room's fields and an event's own). */
  merge: <A, B>(first: Schema<A>, second: Schema<B>): Schema<Simplify<A & B>> => schema<Simplify<A & B>>(mergeObjects(first, second)),
};

function mergeObjects(first: JsonSchema, second: JsonSchema): JsonSchema {
  const required = [...((first.required as string[] | undefined) ?? []), ...((second.required as string[] | undefined) ?? [])];
  return {
    ...first,
    ...second,
    type: 'object',
    properties: { ...(first.properties as object), ...(second.properties as object) },
    ...(required.length > 0 ? { required } : {}),
  };
}
