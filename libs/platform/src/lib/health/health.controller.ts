import { Controller, Get, Optional } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorFunction, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { AppError } from '../errors/app-error';
import { withDeadline } from '../scheduling/deadline';

const CHECK_TIMEOUT_MS = 1000;

/**
 * `GET /health/live`: the process runs and answers. `GET /health/ready`: it can do its work, that is
 * PostgreSQL and (when the app has a queue) Redis answer within a second; 503 otherwise, naming
 * what is down. Outside the X-Authentication scheme, for orchestrators' probes.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Optional() private readonly queue?: Queue,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const checks: HealthIndicatorFunction[] = [() => this.database.pingCheck('postgres', { timeout: CHECK_TIMEOUT_MS })];
    const queue = this.queue;
    if (queue) checks.push(() => this.redis(queue));
    try {
      return await this.health.check(checks);
    } catch (error) {
      const details = (error as { response?: { details?: unknown } }).response?.details;
      throw new AppError('not_ready', 503, 'a store this service needs is not answering', { checks: details });
    }
  }

  private async redis(queue: Queue): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      await withDeadline(queue.getJobCounts('waiting'), CHECK_TIMEOUT_MS, `no answer within ${CHECK_TIMEOUT_MS} ms`);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
