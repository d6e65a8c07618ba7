import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchResults } from './results';

/**
 * Writes `results` as `<dir>/<start time>.json` and `<dir>/latest.json`, each first to a .tmp
 * file then renamed, so a reader never sees half a file. Returns the dated file's path.
 */
export async function writeResults(dir: string, results: BenchResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const dated = join(dir, `${results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  for (const path of [dated, join(dir, 'latest.json')]) {
    await writeFile(`${path}.tmp`, json);
    await rename(`${path}.tmp`, path);
  }
  return dated;
}
