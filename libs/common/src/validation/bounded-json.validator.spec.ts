import { jsonDepth, jsonObjectProblem, METADATA_MAX_BYTES } from './bounded-json.validator';

/** `{ level: { level: … { value: 'leaf' } } }`, `levels` objects deep. */
function nestedObject(levels: number): Record<string, unknown> {
  return levels <= 1 ? { value: 'leaf' } : { level: nestedObject(levels - 1) };
}

// `{"s":"…"}` puts 8 bytes around the text; "é" is one character but two bytes of UTF-8.
const atByteLimit = { s: 'é'.repeat((METADATA_MAX_BYTES - 8) / 2) };
const oneByteOverLimit = { s: `${atByteLimit.s}a` };

describe('jsonDepth', () => {
  const sut = jsonDepth;

  it.each<[string, number, unknown]>([
    ['a string', 0, 'text'],
    ['a number', 0, 42],
    ['null', 0, null],
    ['an empty object', 1, {}],
    ['an empty array', 1, []],
    ['a flat object', 1, { platform: 'web', version: 2 }],
    ['an object in an object', 2, { a: {} }],
    ['an object in an array in an object', 3, { a: [{}] }],
    ['five levels of objects', 5, nestedObject(5)],
    ['the deepest branch, not the first', 4, { shallow: 1, deep: { a: { b: {} } } }],
  ])('%s is %i deep', (_case, expected, value) => {
    expect(sut(value)).toBe(expected);
  });
});

describe('jsonObjectProblem', () => {
  const sut = jsonObjectProblem;

  it.each<[string, unknown]>([
    ['an empty object', {}],
    ['a flat object', { platform: 'web' }],
    ['an object nested 5 levels deep', nestedObject(5)],
    ['5 levels counting arrays', { tags: [[[['deep']]]] }],
    ['exactly 16 KB of JSON in multibyte text', atByteLimit],
  ])('accepts %s', (_case, value) => {
    expect(sut(value)).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['an array', [{ platform: 'web' }]],
    ['null', null],
    ['a string', '{"platform":"web"}'],
    ['a number', 42],
    ['a boolean', true],
    ['undefined', undefined],
  ])('rejects %s as not a JSON object', (_case, value) => {
    expect(sut(value)).toBe('must be a JSON object');
  });

  it.each<[string, unknown]>([
    ['an object nested 6 levels deep', nestedObject(6)],
    ['6 levels counting arrays', { tags: [[[[['deep']]]]] }],
  ])('rejects %s', (_case, value) => {
    expect(sut(value)).toMatch(/at most 5 levels deep \(got 6\)/);
  });

  it('measures the 16 KB limit in UTF-8 bytes, not characters', () => {
    expect(JSON.stringify(oneByteOverLimit).length).toBeLessThan(METADATA_MAX_BYTES);

    expect(sut(oneByteOverLimit)).toBe(`must be at most ${METADATA_MAX_BYTES} bytes of JSON (got ${METADATA_MAX_BYTES + 1})`);
  });
});
