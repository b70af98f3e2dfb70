import { escapeLiteral } from 'pg';
import { quoted, withLiterals } from './postgres-statements';

/** Strings drawn from an alphabet of what needs escaping and what does not, the same on every run. */
function* strings(count: number): Generator<string> {
  const alphabet = ["'", '\\', 'a', 'Z', '0', ' ', '"', '$', '?', ';', '\n', 'é', '🎉', 'E'];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i++) {
    let text = '';
    for (let length = next() % 24; length > 0; length--) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

describe('quoted', () => {
  it("writes every string as pg's escapeLiteral does", () => {
    for (const text of ['', "'", '\\', "it's", 'C:\\temp', "a\\'b", '01938a7e-7c1e-7000-8000-000000000001', ...strings(2000)]) {
      expect(quoted(text)).toBe(escapeLiteral(text));
    }
  });
});

describe('withLiterals', () => {
  it('writes each parameter in as a quoted literal, and null as NULL', () => {
    expect(withLiterals('SELECT ?, ?, ?, ?', ["it's", 7, null, new Date(0)])).toBe("SELECT 'it''s', '7', NULL, '1970-01-01T00:00:00.000Z'");
  });
});
