import { FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/*
 * TypeORM's partial type cannot follow JSON columns typed as open records, so plain INSERTs and
 * UPDATEs of such entities go through these two, where the one cast is kept.
 */

/** A plain INSERT of a whole entity, without the SELECT that `save` adds. */
export function insertRow<T extends ObjectLiteral>(repository: Repository<T>, row: T): Promise<unknown> {
  return repository.insert(row as QueryDeepPartialEntity<T>);
}

/** A plain UPDATE of some columns. */
export function updateRows<T extends ObjectLiteral>(repository: Repository<T>, where: FindOptionsWhere<T>, changes: Partial<T>): Promise<unknown> {
  return repository.update(where, changes as QueryDeepPartialEntity<T>);
}
