import type { DatabaseKind } from './data-source-options';

/** A statement as the drivers run it: `?` placeholders and their values, in order. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Names of functions PostgreSQL and SQLite spell differently, in PostgreSQL's spelling, with SQLite's. */
const SQLITE_SPELLINGS: Readonly<Record<string, string>> = { GREATEST: 'MAX' };

/**
 * Quoted strings and identifiers (kept as written), PostgreSQL's `::` casts, named parameters, a
 * bare `?`, and the function names of SQLITE_SPELLINGS followed by their parenthesis.
 */
const TOKENS = /'(?:[^']|'')*'|"(?:[^"]|"")*"|::|:([A-Za-z_][A-Za-z0-9_]*)|\?|\b(GREATEST)(?=\s*\()/gi;

/**
 * A hand-written statement with named parameters (`:sessionId`), compiled once where it is
 * defined into each database's `?` text and the order its values bind in. `R` is the shape of a
 * row it returns.
 */
export class SqlStatement<P extends object, R> {
  /** Never set: carries the row type to the executor's methods. */
  declare readonly row?: R;

  constructor(
    readonly text: Readonly<Record<DatabaseKind, string>>,
    readonly parameterNames: readonly (keyof P & string)[],
  ) {}

  /** The values of `params` in binding order; a parameter left undefined is a mistake in the caller, not a NULL. */
  values(params: P): unknown[] {
    const names = this.parameterNames;
    const values = new Array<unknown>(names.length);
    for (let index = 0; index < names.length; index++) {
      const value = params[names[index]];
      if (value === undefined) throw new TypeError(`The statement's parameter :${names[index]} has no value (use null for NULL): ${this.text.postgres}`);
      values[index] = value;
    }
    return values;
  }
}

/**
 * Defines a hand-written statement: `sql<{ id: string }, AgentRow>('SELECT * FROM agents WHERE id = :id')`.
 * Written in PostgreSQL's spelling; a name may repeat, and each use binds the same value.
 */
export function sql<P extends object = Record<never, never>, R = Record<string, unknown>>(text: string): SqlStatement<P, R> {
  const names: string[] = [];
  let sqlite = '';
  let postgres = '';
  let last = 0;
  for (const match of text.matchAll(TOKENS)) {
    const [token, name, renamed] = match;
    if (token === '?') throw new SyntaxError(`Name the parameters of a statement (:name), do not number them with "?": ${text}`);
    const before = text.slice(last, match.index);
    last = match.index + token.length;
    if (name !== undefined) {
      names.push(name);
      sqlite += `${before}?`;
      postgres += `${before}?`;
    } else if (renamed !== undefined) {
      sqlite += before + SQLITE_SPELLINGS[renamed.toUpperCase()];
      postgres += before + token;
    } else {
      sqlite += before + token;
      postgres += before + token;
    }
  }
  const rest = text.slice(last);
  return new SqlStatement<P, R>({ sqlite: sqlite + rest, postgres: postgres + rest }, names as (keyof P & string)[]);
}
