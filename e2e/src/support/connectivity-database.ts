import { Client } from 'pg';
import { testDatabaseUrl } from '@onebip/testing';

/** How many rows connectivity holds for each of these message URLs (absent: none). */
export async function connectivityCopies(messageUrls: string[]): Promise<Map<string, number>> {
  const client = new Client({ connectionString: testDatabaseUrl('connectivity') });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT message_url, count(*)::int AS count FROM messages WHERE message_url = ANY($1) GROUP BY message_url', [
      messageUrls,
    ]);
    return new Map(rows.map((row) => [row.message_url, row.count]));
  } finally {
    await client.end();
  }
}
