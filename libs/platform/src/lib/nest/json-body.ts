import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';

/** How deep a JSON body may nest, objects and arrays counted alike; deeper is `400 too_deep`. */
export const MAX_JSON_DEPTH = 32;

/** A check of a request's raw body bytes before they are parsed; it throws an AppError to refuse. */
export type RawBodyCheck = (request: FastifyRequest, rawBody: Buffer) => void;

/**
 * The one JSON body parser of a service app. In order: `beforeParsing` sees the raw bytes (a
 * signed route checks its signature there, so an unauthenticated body is never parsed); bodies
 * nested deeper than MAX_JSON_DEPTH are refused by a scan of the bytes, before JSON.parse and
 * class-transformer could spend the stack and the event loop on them; malformed JSON is a 400;
 * and text Postgres cannot store as sent (a NUL, a lone UTF-16 surrogate) is a 400 naming the
 * field, rather than a 500 or a silent U+FFFD that would turn the sender's replay into a 422.
 */
export function jsonBodyParser(beforeParsing?: RawBodyCheck): (request: FastifyRequest, body: Buffer) => Promise<unknown> {
  // Async: Nest's Fastify adapter takes a two-argument parser's result from the promise it returns.
  return async (request, body) => {
    beforeParsing?.(request, body);
    if (nestingDepth(body) > MAX_JSON_DEPTH) {
      throw new AppError('too_deep', 400, `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError('bad_request', 400, 'the body is not valid JSON');
    }
    const fields = unstorableText(parsed);
    if (Object.keys(fields).length > 0) throw AppError.invalid(fields);
    return parsed;
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/** The deepest nesting of arrays and objects in JSON text, brackets inside strings left out. */
export function nestingDepth(json: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < json.length; index += 1) {
    const byte = json[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPENERS.has(byte)) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      // Deep enough to refuse: the rest need not be read.
      if (deepest > MAX_JSON_DEPTH) return deepest;
    } else if (CLOSERS.has(byte)) {
      depth -= 1;
    }
  }
  return deepest;
}

/** What is wrong with a string Postgres' text type cannot hold as sent, or undefined. */
function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (!text.isWellFormed()) return 'must not contain a lone UTF-16 surrogate';
  return undefined;
}

/** Every string, key or value, that Postgres could not store as sent, by its field path. */
function unstorableText(value: unknown, path = '', fields: Record<string, string[]> = {}): Record<string, string[]> {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) fields[path || '(body)'] = [`${path || 'the body'} ${problem}`];
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unstorableText(item, `${path}[${index}]`, fields));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      const name = keyProblem ? `${path}${path ? '.' : ''}${JSON.stringify(key)}` : `${path}${path ? '.' : ''}${key}`;
      if (keyProblem) fields[name] = [`a field name ${keyProblem}`];
      unstorableText(item, name, fields);
    }
  }
  return fields;
}
