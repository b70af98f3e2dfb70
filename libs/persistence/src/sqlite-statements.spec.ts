import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { QueryFailedError } from 'typeorm';
import { SqliteStatements } from './sqlite-statements';
import { isUniqueViolation } from './unique-violation';

const INSERT = 'INSERT INTO notes (id, body) VALUES (?, ?) RETURNING id, body';
const notes = (db: Database.Database) => db.prepare('SELECT id, body FROM notes ORDER BY id').all();

describe('SqliteStatements', () => {
  let dir: string;
  let db: Database.Database;
  let sut: SqliteStatements;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-statements-'));
    db = new Database(join(dir, 'test.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    sut = new SqliteStatements(db);
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers each queued write with its own rows', async () => {
    const written = await Promise.all([1, 2, 3].map((id) => sut.write(INSERT, [id, `note ${id}`])));

    expect(written).toEqual([1, 2, 3].map((id) => [{ id, body: `note ${id}` }]));
    expect(notes(db)).toHaveLength(3);
  });

  it('commits the writes of one turn of the event loop together: a page they share is logged once, not once per write', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => sut.write(INSERT, [i + 1, 'x'])));

    const [{ log: walFrames }] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    expect(notes(db)).toHaveLength(50);
    expect(walFrames).toBeLessThan(5);
  });

  it('does not acknowledge a write before its commit: until then the connection does not see it', async () => {
    const write = sut.write(INSERT, [1, 'pending']);

    expect(notes(db)).toEqual([]);
    await write;
    expect(notes(db)).toEqual([{ id: 1, body: 'pending' }]);
  });

  it('rejects only the write that fails a constraint; the others of its commit are kept', async () => {
    db.prepare(INSERT).run(2, 'stored before');

    const results = await Promise.allSettled([sut.write(INSERT, [1, 'a']), sut.write(INSERT, [2, 'duplicate']), sut.write(INSERT, [3, 'c'])]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((results[1] as PromiseRejectedResult).reason)).toBe(true);
    expect(notes(db)).toEqual([
      { id: 1, body: 'a' },
      { id: 2, body: 'stored before' },
      { id: 3, body: 'c' },
    ]);
  });

  it('commits the statements of one writeAll together or not at all: one failing undoes its siblings, and only them', async () => {
    db.prepare(INSERT).run(2, 'stored before');

    const results = await Promise.allSettled([sut.writeAll([{ sql: INSERT, params: [1, 'a'] }, { sql: INSERT, params: [2, 'duplicate'] }]), sut.write(INSERT, [3, 'c'])]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(isUniqueViolation((results[0] as PromiseRejectedResult).reason)).toBe(true);
    expect(notes(db)).toEqual([
      { id: 2, body: 'stored before' },
      { id: 3, body: 'c' },
    ]);
    await expect(sut.writeAll([{ sql: INSERT, params: [4, 'd'] }, { sql: 'SELECT count(*) AS n FROM notes', params: [] }])).resolves.toEqual([[{ id: 4, body: 'd' }], [{ n: 3 }]]);
  });

  it('rejects every write of a commit that could not happen, keeps none of them, and writes again afterwards', async () => {
    db.pragma('busy_timeout = 0');
    const other = new Database(join(dir, 'test.sqlite'));
    other.exec('BEGIN IMMEDIATE');

    const results = await Promise.allSettled([sut.write(INSERT, [1, 'a']), sut.write(INSERT, [2, 'b'])]);

    other.exec('ROLLBACK');
    other.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(QueryFailedError);
    expect(notes(db)).toEqual([]);
    await expect(sut.write(INSERT, [3, 'c'])).resolves.toEqual([{ id: 3, body: 'c' }]);
  });

  it('rejects the whole batch when SQLite gives up its transaction midway, so no write of it is acknowledged', async () => {
    const results = await Promise.allSettled([sut.write(INSERT, [1, 'a']), sut.write('ROLLBACK', []), sut.write(INSERT, [3, 'c'])]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(notes(db)).toEqual([]);
  });

  it('waits for a transaction someone else holds open on the connection, so its rollback cannot take the write with it', async () => {
    db.exec('BEGIN');
    const write = sut.write(INSERT, [1, 'kept']);
    await new Promise((resolve) => setImmediate(resolve)); // the group commit's turn has come and gone

    db.exec('ROLLBACK');

    await expect(write).resolves.toEqual([{ id: 1, body: 'kept' }]);
    expect(notes(db)).toEqual([{ id: 1, body: 'kept' }]);
  });

  it('runs a read at once, wrapping a failure as TypeORM does', () => {
    db.prepare(INSERT).run(1, 'a');

    expect(sut.run('SELECT body FROM notes WHERE id = ?', [1])).toEqual([{ body: 'a' }]);
    expect(() => sut.run('SELECT nope FROM notes', [])).toThrow(QueryFailedError);
  });
});
