import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { scratchDatabase } from '@onebip/testing';
import { migrations } from '../src/migrations';
import { TestConnectivity, startTestConnectivity } from './connectivity-app';

const database = scratchDatabase('connectivity');
const started: TestConnectivity[] = [];
after(async () => {
  for (const replica of started) await replica.close();
  await database.drop();
});

describe('booting', () => {
  it('creates its missing database and migrates it once, with three replicas starting at the same moment', async () => {
    const replicas = await Promise.all([1, 2, 3].map(() => startTestConnectivity({ databaseUrl: database.url })));
    started.push(...replicas);
    const [{ applied }] = await replicas[0].app.get(DataSource).query('SELECT count(*)::int AS applied FROM migrations');
    assert.equal(applied, migrations.length, 'each migration ran once');
    for (const replica of replicas) {
      assert.equal((await fetch(`${replica.url}/health/ready`)).status, 200, 'every replica is ready');
      assert.equal((await fetch(`${replica.url}/messages/x`)).status, 401, 'and guards its messages');
    }
  });
});
