import { ObjectLiteral, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * A plain INSERT of a whole entity, without the SELECT that `save` adds. TypeORM's partial type
 * cannot follow JSON columns typed as open records, hence the one cast, kept here.
 */
export function insertRow<T extends ObjectLiteral>(repository: Repository<T>, row: T): Promise<unknown> {
  return repository.insert(row as QueryDeepPartialEntity<T>);
}
