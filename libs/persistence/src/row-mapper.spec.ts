import { Column, DataSource, Entity, EntityMetadata, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';
import { insertRow } from './insert-row';
import { entityRowMapper } from './row-mapper';
import { sql } from './sql-statement';
import { sqlExecutorFor } from './sql-executor';

/** One column of each kind the entities map from raw rows. */
@Entity('samples')
class SampleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'is_agent', type: 'boolean' })
  isAgent!: boolean;

  @Column({ type: 'simple-json' })
  metadata!: Record<string, unknown>;

  @Column({ type: 'simple-json', nullable: true })
  actions!: string[] | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'expired_at', type: 'bigint', transformer: epochMillis, nullable: true })
  expiredAt!: number | null;
}

const SAMPLES: SampleEntity[] = [
  { id: 'a', note: 'hello', isAgent: true, metadata: { nested: { n: 1 } }, actions: ['wave'], attempts: 2, createdAt: 1_767_258_000_123, expiredAt: 1_767_258_060_000 },
  { id: 'b', note: null, isAgent: false, metadata: {}, actions: null, attempts: 0, createdAt: 1, expiredAt: null },
];

const SELECT_ALL = sql('SELECT * FROM samples ORDER BY id');

describe('entityRowMapper', () => {
  let dataSource: DataSource;
  let metadata: EntityMetadata;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [SampleEntity], synchronize: true });
    await dataSource.initialize();
    metadata = dataSource.getMetadata(SampleEntity);
    for (const sample of SAMPLES) await insertRow(dataSource.getRepository(SampleEntity), { ...sample });
  });

  afterAll(() => dataSource.destroy());

  it("reads SQLite's rows (0/1 booleans, JSON as text) into the entities TypeORM reads, property for property", async () => {
    const sut = entityRowMapper<SampleEntity>(metadata, 'sqlite');

    const rows = await sqlExecutorFor(dataSource).query(SELECT_ALL, {});
    const viaTypeorm = await dataSource.getRepository(SampleEntity).find({ order: { id: 'ASC' } });

    expect(rows[0]).toMatchObject({ is_agent: 1, metadata: '{"nested":{"n":1}}' });
    expect(rows.map(sut)).toEqual(SAMPLES);
    expect(rows.map(sut)).toEqual(viaTypeorm);
    expect(rows.map((row) => Object.keys(sut(row)))).toEqual(viaTypeorm.map((entity) => Object.keys(entity)));
  });

  it("reads PostgreSQL's rows (booleans, BIGINT as strings, JSON as text) into the same entities", () => {
    const sut = entityRowMapper<SampleEntity>(metadata, 'postgres');
    const pgRows = [
      { id: 'a', note: 'hello', is_agent: true, metadata: '{"nested":{"n":1}}', actions: '["wave"]', attempts: 2, created_at: '1767258000123', expired_at: '1767258060000' },
      { id: 'b', note: null, is_agent: false, metadata: '{}', actions: null, attempts: 0, created_at: '1', expired_at: null },
    ];

    expect(pgRows.map(sut)).toEqual(SAMPLES);
  });

  it("agrees with each driver's own hydration, value for value", () => {
    const drivers = {
      sqlite: dataSource.driver,
      postgres: new DataSource({ type: 'postgres' }).driver,
    };
    const shapes = {
      sqlite: [{ is_agent: 1 }, { is_agent: 0 }, { created_at: 5 }, { metadata: '[1]' }, { actions: null }, { expired_at: null }],
      postgres: [{ is_agent: true }, { is_agent: false }, { created_at: '5' }, { metadata: '[1]' }, { actions: null }, { expired_at: null }],
    };

    for (const kind of ['sqlite', 'postgres'] as const) {
      const sut = entityRowMapper<Record<string, unknown>>(metadata, kind);
      for (const shape of shapes[kind]) {
        const [[name, value]] = Object.entries(shape);
        const column = metadata.columns.find((candidate) => candidate.databaseName === name)!;
        expect(sut(shape)[column.propertyName]).toEqual(drivers[kind].prepareHydratedValue(value, column));
      }
    }
  });

  it('refuses, when it is built, an entity with a column type it does not know how to read', () => {
    const dated = { ...metadata, name: 'Dated', columns: [{ ...metadata.columns[0], propertyName: 'at', type: 'timestamptz' }] } as unknown as EntityMetadata;

    expect(() => entityRowMapper(dated, 'postgres')).toThrow(/Dated\.at: no row mapping for columns of type timestamptz/);
  });
});
