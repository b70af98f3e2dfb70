import { ValidationError } from '../errors/error-classes';

/** Characters to look closer at: a NUL, or either half of a surrogate pair. */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnstorableText {
  /** Where in the value, e.g. `metadata.tags[2]`, or `(key) metadata.a` for a property name. */
  path: string;
  reason: 'NUL character' | 'lone surrogate';
}

function problemOf(text: string): UnstorableText['reason'] | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes('\u0000')) return 'NUL character';
  return LONE_SURROGATE.test(text) ? 'lone surrogate' : null;
}

/**
 * The first string (or property name) in a JSON value that no database would store as sent: a NUL,
 * which PostgreSQL's text refuses (SQLite keeps it), or a lone surrogate, which has no UTF-8 form and
 * would come back as U+FFFD. One rule on every transport and both databases: such input is refused.
 */
export function findUnstorableText(value: unknown, root = ''): UnstorableText | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const reason = problemOf(current);
      if (reason) return { path: path || '(value)', reason };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      const reason = problemOf(key);
      if (reason) return { path: `(key) ${childPath}`, reason };
      stack.push([child, childPath]);
    }
  }
  return null;
}

/** Throws 400 ValidationError naming the field when `value` holds text no database stores as sent. */
export function assertStorableText(value: unknown, root = ''): void {
  const problem = findUnstorableText(value, root);
  if (problem) {
    throw new ValidationError(`${problem.path} holds a ${problem.reason}, which cannot be stored`, { field: problem.path, reason: problem.reason });
  }
}
