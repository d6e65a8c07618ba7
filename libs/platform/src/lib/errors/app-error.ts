/**
 * The one error type for an app's own failures: a machine-readable `code`, an HTTP `status`,
 * a message safe to show a client, and optional `details` (such as the fields at fault).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', 404, `${what} not found`);
  }

  static invalid(fields: Record<string, string[]>): AppError {
    return new AppError('invalid_request', 400, `invalid fields: ${Object.keys(fields).join(', ')}`, { fields });
  }
}
