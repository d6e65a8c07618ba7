import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keysetPages } from '../src/lib/database/keyset-pages';

/** A table of rows with unique keys, read the way a keyset query reads it. */
function table(keys: number[]) {
  const afters: (number | undefined)[] = [];
  const fetchPage = async (after: number | undefined, limit: number) => {
    afters.push(after);
    return keys.filter((key) => after === undefined || key > after).slice(0, limit);
  };
  return { fetchPage, afters };
}

async function read(pageSize: number, keys: number[]) {
  const { fetchPage, afters } = table(keys);
  const pages: number[][] = [];
  for await (const page of keysetPages(pageSize, fetchPage)) pages.push(page);
  return { pages, afters };
}

describe('keyset pages', () => {
  it('reads every row once, each page starting after the last row of the one before', async () => {
    const { pages, afters } = await read(2, [1, 2, 3, 4, 5]);
    assert.deepEqual(pages, [[1, 2], [3, 4], [5]]);
    assert.deepEqual(afters, [undefined, 2, 4], 'no query after a short page');
  });

  it('stops on an empty page when the rows fill the last page exactly, and yields nothing for no rows', async () => {
    assert.deepEqual((await read(2, [1, 2, 3, 4])).pages, [
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual((await read(2, [])).pages, []);
  });
});
