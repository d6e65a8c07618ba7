import { DataSource, MigrationExecutor } from 'typeorm';

/** Arbitrary, fixed key of the advisory lock that serialises migrations in one database. */
const MIGRATION_LOCK_KEY = 7_461_921;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so that replicas starting
 * at once migrate one after the other: TypeORM itself takes no lock, and two replicas would
 * otherwise both try to create the same tables. The migrations run on the connection that
 * holds the lock (a second one could wait forever on a small pool), each in its own transaction.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const lockHolder = dataSource.createQueryRunner('master');
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, lockHolder);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockHolder.release();
  }
}
