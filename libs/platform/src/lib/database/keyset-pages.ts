import type { Repository } from 'typeorm';

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

/** The rows an outbox sweep reads: those `where` holds for (on the alias `row`) whose `timeColumn` is older than `olderThanMs`. */
export interface StaleRows {
  where: string;
  timeColumn: string;
  olderThanMs: number;
}

/**
 * The rows of `repository`'s table that `where` holds for and whose `timeColumn` is more than
 * `olderThanMs` old, oldest first, in pages of `pageSize` (keyset pagination on the time and the
 * id, which an index on `(timeColumn, id)`, partial on `where`, serves as a range). Each page
 * starts after the last row seen as it is stored: PostgreSQL keeps microseconds and a JS Date only
 * milliseconds, so a cursor held as a Date would read that row again on every page.
 */
export function staleRowsInPages<T extends { id: string }>(repository: Repository<T>, rows: StaleRows, pageSize = 1000): AsyncGenerator<T[]> {
  const { tableName } = repository.metadata;
  const time = `row.${rows.timeColumn}`;
  return keysetPages<T>(pageSize, (after, limit) => {
    const query = repository
      .createQueryBuilder('row')
      .where(rows.where)
      .andWhere(`${time} < now() - make_interval(secs => :seconds)`, { seconds: rows.olderThanMs / 1000 })
      .orderBy(time)
      .addOrderBy('row.id')
      .limit(limit);
    if (after) query.andWhere(`(${time}, row.id) > (SELECT ${rows.timeColumn}, id FROM ${tableName} WHERE id = :after)`, { after: after.id });
    return query.getMany();
  });
}

/**
 * Of the rows of `repository`'s table with these `ids`, the ids of those `where` (on the alias `row`)
 * holds for now, whatever their age: what a sweep reads again before it acts on a row it read earlier.
 */
export async function rowsStillMatching<T extends { id: string }>(repository: Repository<T>, where: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await repository
    .createQueryBuilder('row')
    .select('row.id', 'id')
    .where('row.id = ANY(:ids)', { ids })
    .andWhere(where)
    .getRawMany<{ id: string }>();
  return rows.map((row) => row.id);
}
