import { Pool } from 'pg';
import { isUniqueViolation, PostgresStatements } from '@switchboard/persistence';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';

const INSERT = 'INSERT INTO notes (id, body) VALUES (?, ?) RETURNING id, body';

/**
 * PostgreSQL's group commit: the hand-written statements of one turn of the event loop share a
 * round trip and a commit, and still answer, fail and serialize as if each caller had gone alone.
 */
describe.skipIf(!onPostgres)('PostgresStatements', () => {
  let database: TestDatabase;
  let pool: Pool;
  let trips: number;
  let prepares: number;
  /** The text of every query the connections sent. */
  let sent: string[];
  let sut: PostgresStatements;

  const notes = async () => (await pool.query('SELECT id, body FROM notes ORDER BY id')).rows;

  beforeEach(async () => {
    sent = [];
    database = await createTestDatabase();
    const url = new URL(database.url);
    const schema = url.searchParams.get('schema');
    url.search = '';
    pool = new Pool({ connectionString: url.toString(), max: 4, options: `-c search_path="${schema}"` });
    // Counts the round trips the statements take on the pool's connections; preparing one is counted apart.
    const countedConnections = new WeakSet<object>();
    pool.on('connect', (client) => {
      if (countedConnections.has(client)) return;
      countedConnections.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if (typeof args[0] === 'string') sent.push(args[0]);
        if (typeof args[0] === 'string' && args[0].startsWith('PREPARE ')) prepares++;
        else trips++;
        return query(...args);
      };
    });
    await pool.query('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    await pool.query('CREATE TABLE counters (key TEXT NOT NULL, n INTEGER NOT NULL, UNIQUE (key, n))');
    trips = 0;
    prepares = 0;
    sut = new PostgresStatements(pool, { logQuery: () => undefined });
  });

  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  it('sends the statements of one turn of the event loop in one round trip, answering each caller with its own rows', async () => {
    const written = await Promise.all([1, 2, 3, 4, 5].map((id) => sut.run([{ sql: INSERT, params: [id, `note ${id}`] }])));

    expect(written).toEqual([1, 2, 3, 4, 5].map((id) => [[{ id, body: `note ${id}` }]]));
    expect(trips).toBe(1);
  });

  it('prepares a statement once per connection: later round trips only execute it', async () => {
    await sut.run([{ sql: INSERT, params: [1, 'first'] }]);
    expect(prepares).toBe(1);

    const written = await Promise.all([2, 3].map((id) => sut.run([{ sql: INSERT, params: [id, `note ${id}`] }])));

    expect(written).toEqual([2, 3].map((id) => [[{ id, body: `note ${id}` }]]));
    expect(prepares).toBe(1);
    expect(trips).toBe(2);
  });

  it('stores text with quotes, backslashes and any Unicode exactly as sent, prepared and written in', async () => {
    const bodies = ["it's", "''", '\\', 'C:\\temp\\new', "a\\'b", 'E\'x\'', '$1 ? ;--', 'tab\there\nnewline', 'ünïcødé 🎉', ''];

    await Promise.all(bodies.map((body, id) => sut.run([{ sql: INSERT, params: [id, body] }])));
    const [[unprepared]] = await sut.run([{ sql: 'SELECT ? IS NOT NULL AS present, ?::text AS body', params: ["it's \\ here", "it's \\ here"] }]);

    expect((await notes()).map((note: { body: string }) => note.body)).toEqual(bodies);
    expect(unprepared).toEqual({ present: true, body: "it's \\ here" });
  });

  it('sends a statement PostgreSQL cannot prepare with its values written in', async () => {
    const [[row]] = await sut.run([{ sql: 'SELECT ? IS NULL AS missing', params: [null] }]);

    expect(row).toEqual({ missing: true });
  });

  it("keeps one caller's failure its own: the others of its round trip are stored and answered", async () => {
    await pool.query("INSERT INTO notes (id, body) VALUES (3, 'there first')");

    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((id) => sut.run([{ sql: INSERT, params: [id, `note ${id}`] }])));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    expect(await notes()).toEqual([
      { id: 1, body: 'note 1' },
      { id: 2, body: 'note 2' },
      { id: 3, body: 'there first' },
      { id: 4, body: 'note 4' },
    ]);
  });

  it("commits a caller's statements together or not at all", async () => {
    await pool.query("INSERT INTO notes (id, body) VALUES (2, 'there first')");

    const together = sut.run([
      { sql: INSERT, params: [1, 'first of two'] },
      { sql: INSERT, params: [2, 'second of two'] },
    ]);
    const beside = sut.run([{ sql: INSERT, params: [5, 'beside'] }]);

    await expect(together).rejects.toSatisfy(isUniqueViolation);
    await expect(beside).resolves.toEqual([[{ id: 5, body: 'beside' }]]);
    expect(await notes()).toEqual([
      { id: 2, body: 'there first' },
      { id: 5, body: 'beside' },
    ]);
  });

  it('runs the writers of one key one after the other, each seeing the rows of those before it, within a trip and across trips', async () => {
    const next = { sql: "INSERT INTO counters (key, n) SELECT ?, COALESCE(MAX(n), 0) + 1 FROM counters WHERE key = ? RETURNING n", params: ['a', 'a'] };
    const runs: Promise<unknown[][]>[] = [];
    for (let trip = 0; trip < 6; trip++) {
      for (let i = 0; i < 5; i++) runs.push(sut.run([next], 'a'), sut.run([{ ...next, params: ['b', 'b'] }], 'b'));
      await new Promise((resolve) => setImmediate(resolve));
    }

    const numbers = (await Promise.all(runs)).map(([rows]) => (rows[0] as { n: number }).n);

    expect(numbers.filter((_, i) => i % 2 === 0).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(numbers.filter((_, i) => i % 2 === 1).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('serializes on any key, however an array literal must quote it, taking all the locks of a trip in one statement', async () => {
    const keys = ['a"b', 'a\\b', 'a,b', '{a}', 'NULL', ' a ', "it's", 'ключ'];
    const next = (key: string) => ({ sql: 'INSERT INTO counters (key, n) SELECT ?, COALESCE(MAX(n), 0) + 1 FROM counters WHERE key = ? RETURNING n', params: [key, key] });
    const runs: Promise<unknown[][]>[] = [];
    for (let trip = 0; trip < 3; trip++) {
      for (const key of keys) runs.push(sut.run([next(key)], key), sut.run([next(key)], key));
      await new Promise((resolve) => setImmediate(resolve));
    }

    const numbers = (await Promise.all(runs)).map(([rows]) => (rows[0] as { n: number }).n);
    const byKey = keys.map((_, k) => numbers.filter((__, i) => Math.floor(i / 2) % keys.length === k).sort((x, y) => x - y));

    expect(byKey).toEqual(keys.map(() => [1, 2, 3, 4, 5, 6]));
    expect(trips).toBe(3);
    const lockName = /^PREPARE (\w+) AS SELECT pg_advisory_xact_lock/m.exec(sent.join('\n'))?.[1];
    const lockStatementsPerTrip = sent.filter((text) => text.startsWith('EXECUTE')).map((text) => text.split(`EXECUTE ${lockName}(`).length - 1);
    expect(lockStatementsPerTrip).toEqual([1, 1, 1]);
  });

  it('stores parameters exactly as given: quotes, backslashes, placeholders and non-Latin text in strings, numbers, booleans and null', async () => {
    await pool.query('CREATE TABLE values_kept (t TEXT, big BIGINT, flag BOOLEAN, nothing TEXT)');
    const text = "it's a \\'test\\' with ? and $1 and E'\\x41' — ünïcödé 🎉";

    const [[row]] = await sut.run([{ sql: 'INSERT INTO values_kept VALUES (?, ?, ?, ?) RETURNING *', params: [text, 1_733_000_000_123, true, null] }]);

    expect(row).toEqual({ t: text, big: '1733000000123', flag: true, nothing: null });
  });

  it('refuses a parameter it cannot write as a literal, rather than writing something else', async () => {
    await expect(sut.run([{ sql: 'SELECT ? AS a', params: [['x', 'y']] }])).rejects.toThrow(/array/);
  });
});
