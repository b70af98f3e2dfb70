import { QueryFailedError } from 'typeorm';

interface DriverError {
  code?: string;
  constraint?: string;
  message?: string;
}

/** True when a write failed on a UNIQUE constraint, on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as DriverError;
  return driverError.code === '23505' || driverError.code === 'SQLITE_CONSTRAINT_UNIQUE' || driverError.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when a write failed on a FOREIGN KEY constraint, on SQLite or PostgreSQL. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as DriverError;
  // SQLite reports ON DELETE RESTRICT as a trigger constraint, with the same message as other FK failures.
  return (
    driverError.code === '23503' ||
    driverError.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    (driverError.code === 'SQLITE_CONSTRAINT_TRIGGER' && /FOREIGN KEY/i.test(driverError.message ?? ''))
  );
}
