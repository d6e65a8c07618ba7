import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { AppError } from './app-error';
import { isStoreUnavailable } from './store-unavailable';

/** What a 503 asks the client to wait before trying again. */
const RETRY_AFTER_SECONDS = 1;

interface ErrorBody {
  error: { code: string; message: string } & Record<string, unknown>;
}

/**
 * The one place where errors become HTTP answers: an AppError keeps its code and status,
 * a framework HttpException its status, and anything else is a 500 whose details stay in
 * the log. No stack trace ever reaches a client.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AppErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const { status, body } = this.toResponse(exception);
    if (status === 503) this.logger.warn(`answered 503: ${(exception as Error).message}`);
    else if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    // A 503 passes: say when to come back (a sender's retry policy waits at least that long).
    if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
  }

  private toResponse(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof AppError) {
      return { status: exception.status, body: { error: { code: exception.code, message: exception.message, ...exception.details } } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      // Guards may answer with their own code and details, such as why authentication failed.
      const details = typeof response === 'object' && response !== null && 'code' in response ? (response as Record<string, unknown>) : {};
      return { status, body: { error: { code: codeForStatus(status), message: exception.message, ...details } } };
    }
    const fastifyStatus = (exception as { statusCode?: number }).statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Errors Fastify raises before a route runs: bad JSON, unsupported content type, body too large.
      return { status: fastifyStatus, body: { error: { code: codeForStatus(fastifyStatus), message: (exception as Error).message } } };
    }
    if (isStoreUnavailable(exception)) {
      return { status: 503, body: { error: { code: 'store_unavailable', message: 'a store this service needs is unavailable; try again later' } } };
    }
    return { status: 500, body: { error: { code: 'internal_error', message: 'internal error' } } };
  }
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'unprocessable';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'bad_request';
  }
}
