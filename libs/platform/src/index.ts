// The public API of the platform library: what the apps, the messaging library, tools and
// benchmarks use. Everything else under lib/ is internal; the library's own tests reach it by path.
export { EnvReader, redact } from './lib/config/env-reader';
export { ConfigError } from './lib/config/config-error';
export { ensureDatabaseExists } from './lib/database/ensure-database';
export { runMigrationsLocked } from './lib/database/run-migrations-locked';
export { AppError } from './lib/errors/app-error';
export { databaseModule } from './lib/database/database.module';
export { createServiceApp } from './lib/nest/create-service-app';
export { runService } from './lib/nest/run-service';
export type { RawBodyCheck } from './lib/nest/json-body';
export { UuidParam } from './lib/nest/uuid-param';
export { HealthModule } from './lib/health/health.module';
export { readAdminUi } from './lib/config/admin-ui';
export { isProduction, readDemoConfig } from './lib/config/runtime-mode';
export type { AdminUi } from './lib/config/admin-ui';
export { QueueDashboardModule } from './lib/admin/queue-dashboard.module';
export { MetricsModule } from './lib/observability/metrics.module';
export { readHttpEdge } from './lib/config/http-edge';
export type { HttpEdge } from './lib/config/http-edge';
export { RateLimited } from './lib/nest/rate-limits';
export { readLogLevel } from './lib/observability/log-level';
export type { LogLevel } from './lib/observability/log-level';
export { currentCorrelationId, runWithCorrelationId, newCorrelationId, correlationHeaders } from './lib/observability/correlation';
export { PeriodicTask } from './lib/scheduling/periodic-task';
export { withDeadline, finishedWithin } from './lib/scheduling/deadline';
export { rowsStillMatching, staleRowsInPages } from './lib/database/keyset-pages';
export { loggableUrl, redactUrls, maskPhoneNumber } from './lib/observability/redaction';
export { addRouteConfig, routeConfigOf } from './lib/nest/route-config';
