export { EnvReader, redact } from './lib/config/env-reader';
export { ConfigError } from './lib/config/config-error';
export { ensureDatabaseExists } from './lib/database/ensure-database';
export { runMigrationsLocked } from './lib/database/run-migrations-locked';
export { AppError } from './lib/errors/app-error';
export { AppErrorFilter } from './lib/errors/app-error.filter';
export { databaseModule } from './lib/database/database.module';
export type { DatabaseOptions } from './lib/database/database.module';
export { createServiceApp, validationPipe } from './lib/nest/create-service-app';
export { MAX_JSON_DEPTH } from './lib/nest/json-body';
export type { RawBodyCheck } from './lib/nest/json-body';
export type { ServiceAppOptions } from './lib/nest/create-service-app';
export { isUuid } from './lib/database/is-uuid';
export { UuidParam } from './lib/nest/uuid-param';
export { readMessagingSecurity, DEVELOPMENT_SECRET } from './lib/config/messaging-security';
export type { MessagingSecurity } from './lib/config/messaging-security';
export { isStoreUnavailable } from './lib/errors/store-unavailable';
export { HealthModule } from './lib/health/health.module';
export { readAdminUi, ADMIN_UI_PATHS } from './lib/config/admin-ui';
export { isProduction } from './lib/config/runtime-mode';
export type { AdminUi } from './lib/config/admin-ui';
export { QueueDashboardModule, QUEUE_DASHBOARD_ROUTE } from './lib/admin/queue-dashboard.module';
export { MetricsModule, MetricsListener } from './lib/observability/metrics.module';
export type { MetricsPlacement } from './lib/observability/metrics.module';
export { readHttpEdge, DEFAULT_METRICS_PORT } from './lib/config/http-edge';
export type { HttpEdge } from './lib/config/http-edge';
export { RateLimited, FAILED_LOGINS_PER_MINUTE } from './lib/nest/rate-limits';
export type { RateLimits } from './lib/nest/rate-limits';
export { readLogLevel } from './lib/observability/log-level';
export type { LogLevel } from './lib/observability/log-level';
export { createServiceLogger, ServiceLogger } from './lib/observability/service-logger';
export type { ServiceLoggerOptions } from './lib/observability/service-logger';
export {
  currentCorrelationId,
  runWithCorrelationId,
  newCorrelationId,
  correlationIdFrom,
  correlationHeaders,
  TRACEPARENT_HEADER,
  REQUEST_ID_HEADER,
} from './lib/observability/correlation';
export { PeriodicTask } from './lib/scheduling/periodic-task';
export { keysetPages } from './lib/database/keyset-pages';
export { loggableUrl, redactUrls, maskPhoneNumber } from './lib/observability/redaction';
export { addRouteConfig, routeConfigOf } from './lib/nest/route-config';
