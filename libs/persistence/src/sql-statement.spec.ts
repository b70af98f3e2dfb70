import { sql } from './sql-statement';

describe('sql', () => {
  it('compiles named parameters to placeholders once, and binds values in the order they appear', () => {
    const sut = sql<{ sessionId: string; now: number }>('SELECT * FROM sessions WHERE id = :sessionId AND expires_at > :now');

    expect(sut.text).toEqual({
      sqlite: 'SELECT * FROM sessions WHERE id = ? AND expires_at > ?',
      postgres: 'SELECT * FROM sessions WHERE id = ? AND expires_at > ?',
    });
    expect(sut.values({ now: 5, sessionId: 's-1' })).toEqual(['s-1', 5]);
  });

  it('binds a repeated parameter at each of its places', () => {
    const sut = sql<{ now: number; renewTo: number }>('UPDATE sessions SET a = CASE WHEN x > :now AND x < :renewTo THEN :renewTo END, last_activity = :now');

    expect(sut.values({ now: 1, renewTo: 2 })).toEqual([1, 2, 2, 1]);
  });

  it('refuses a parameter left undefined when the statement runs, naming it; null binds as NULL', () => {
    const sut = sql<{ id: string; reason: string | null }>('INSERT INTO t (id, reason) VALUES (:id, :reason)');

    expect(() => sut.values({ id: 'a' } as { id: string; reason: string | null })).toThrow(/:reason has no value/);
    expect(() => sut.values({ id: undefined as unknown as string, reason: null })).toThrow(/:id has no value/);
    expect(sut.values({ id: 'a', reason: null })).toEqual(['a', null]);
  });

  it('leaves quoted text and identifiers, and PostgreSQL casts, as written', () => {
    const sut = sql<{ id: string }>(`SELECT created_at AS "createdAt", ':not' AS note, 'it''s :neither' AS quote, owner::text FROM t WHERE id = :id AND kind = 'agent'`);

    expect(sut.text.postgres).toBe(`SELECT created_at AS "createdAt", ':not' AS note, 'it''s :neither' AS quote, owner::text FROM t WHERE id = ? AND kind = 'agent'`);
    expect(sut.parameterNames).toEqual(['id']);
  });

  it("writes PostgreSQL's GREATEST as SQLite's MAX for SQLite only", () => {
    const sut = sql<{ at: number; channelId: string }>('SELECT GREATEST(:at, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = :channelId), 0)) AS greatest');

    expect(sut.text.sqlite).toBe('SELECT MAX(?, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = ?), 0)) AS greatest');
    expect(sut.text.postgres).toBe('SELECT GREATEST(?, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = ?), 0)) AS greatest');
  });

  it('refuses a numbered placeholder where it is defined, so the two forms never mix', () => {
    expect(() => sql('SELECT * FROM t WHERE id = ? AND at > :at')).toThrow(SyntaxError);
  });
});
