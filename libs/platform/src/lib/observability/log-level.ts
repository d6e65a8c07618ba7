import type { LevelWithSilent } from 'pino';
import { EnvReader } from '../config/env-reader';

/** The levels a service logs at, lowest first; `silent` logs nothing. */
export type LogLevel = LevelWithSilent;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** LOG_LEVEL: trace, debug, info (default), warn, error, fatal or silent. */
export function readLogLevel(read: EnvReader): LevelWithSilent {
  return read.oneOf('LOG_LEVEL', LEVELS, 'info');
}
