import { DynamicModule, Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseLogger } from './database-logger';
import { ensureDatabaseExists } from './ensure-database';
import { runMigrationsLocked } from './run-migrations-locked';

export interface DatabaseOptions {
  url: string;
  entities: Function[];
  migrations: Function[];
  poolSize?: number;
}

/**
 * TypeORM for one app's PostgreSQL database: creates the database when it is missing and runs
 * the app's migrations under a lock at boot. Never `synchronize`: the schema is what the
 * migrations say. Boot fails at once when Postgres cannot be reached.
 */
export function databaseModule(options: DatabaseOptions): DynamicModule {
  const logger = new Logger('Database');
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({
      type: 'postgres',
      url: options.url,
      entities: options.entities,
      migrations: options.migrations,
      synchronize: false,
      migrationsRun: false,
      poolSize: options.poolSize ?? 10,
      connectTimeoutMS: 5000,
      retryAttempts: 1,
      logging: ['error', 'warn', 'migration'],
      logger: new DatabaseLogger(),
    }),
    dataSourceFactory: async (dataSourceOptions?: DataSourceOptions) => {
      await ensureDatabaseExists(options.url);
      const dataSource = await new DataSource(dataSourceOptions as DataSourceOptions).initialize();
      try {
        const applied = await runMigrationsLocked(dataSource);
        if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
      } catch (error) {
        await dataSource.destroy();
        throw error;
      }
      return dataSource;
    },
  });
}
