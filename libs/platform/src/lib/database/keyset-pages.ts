/**
 * Reads a large result in pages by keyset pagination: `fetchPage(after)` returns up to `pageSize`
 * rows ordered by a unique key, starting after the row `after` (the first page: after nothing).
 * Unlike OFFSET, each page costs the same however deep it is, and rows that change in between
 * are neither skipped nor read twice.
 */
export async function* keysetPages<T>(pageSize: number, fetchPage: (after: T | undefined, pageSize: number) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: T | undefined;
  for (;;) {
    const page = await fetchPage(after, pageSize);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1];
  }
}
