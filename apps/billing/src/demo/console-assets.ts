import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppError } from '@onebip/platform';

/**
 * The console's page and script, built by `npm run build` (tools/build.mjs) into
 * dist/demo/billing/console/, beside billing's demo bundle; read once, then served from memory.
 */
@Injectable()
export class ConsoleAssets {
  private readonly directory = join(__dirname, 'console');
  private readonly cache = new Map<string, Promise<string>>();

  read(name: 'index.html' | 'console.js'): Promise<string> {
    let content = this.cache.get(name);
    if (!content) {
      content = readFile(join(this.directory, name), 'utf8');
      this.cache.set(name, content);
      content.catch(() => this.cache.delete(name));
    }
    return content.catch(() => {
      throw new AppError('console_not_built', 404, `the demo console is not built (${join(this.directory, name)}): run npm run build`);
    });
  }
}
