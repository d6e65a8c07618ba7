import assert from 'node:assert/strict';
import { waitFor } from '@onebip/testing';
import { ComposeProject } from './compose-project';

/** Billing and connectivity as the host reaches them: their ports, published on 127.0.0.1. */
export const BILLING = 'http://127.0.0.1:3001';
export const CONNECTIVITY = 'http://127.0.0.1:3002';
/** The app services of both variants, besides the simulated `carrier`. */
export const APPS = ['connectivity', 'billing', 'billing-worker'];

/** A message of billing's, as GET /messages/:id answers. */
export interface BillingMessage {
  status: string;
  attempts: number;
  lastAttempt: string | null;
}

/** POSTs a payment to billing as a client would; returns its message's path (`/messages/<id>`). */
export async function pay(amount = 1299): Promise<string> {
  const response = await fetch(`${BILLING}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: '393331234567', amount, currency: 'EUR' }),
    signal: AbortSignal.timeout(15_000),
  });
  assert.equal(response.status, 201, `POST /payments answered ${response.status}: ${await response.clone().text()}`);
  const { message } = (await response.json()) as { message: string };
  // The message's URL names billing as the other containers reach it (BILLING_PUBLIC_URL).
  return new URL(message).pathname;
}

export async function billingMessage(path: string): Promise<BillingMessage> {
  const response = await fetch(`${BILLING}${path}`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200, `GET ${path} answered ${response.status}`);
  return (await response.json()) as BillingMessage;
}

/** Waits until every message is `delivered`: connectivity took it (202) and reported the SMS sent. */
export async function waitDelivered(paths: string[], timeoutMs: number): Promise<void> {
  const pending = new Set(paths);
  await waitFor(
    `${paths.length} message(s) to be delivered and reported`,
    async () => {
      for (const path of [...pending]) {
        if ((await billingMessage(path)).status === 'delivered') pending.delete(path);
      }
      return pending.size === 0;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** How many rows connectivity's own table holds for these messages, and for how many distinct ones. */
export async function storedAtConnectivity(project: ComposeProject, paths: string[]): Promise<{ rows: number; messages: number }> {
  const ids = paths.map((path) => path.split('/').pop()!);
  for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/, 'a message id, safe to put in SQL');
  const sql = `SELECT count(*) || ' ' || count(DISTINCT message_url) FROM messages WHERE split_part(message_url, '/', 5) IN (${ids.map((id) => `'${id}'`).join(',')})`;
  const result = await project.exec('postgres', ['psql', '-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-d', 'connectivity', '-Atc', sql]);
  assert.equal(result.code, 0, `psql in the postgres container failed: ${result.stderr}`);
  const [rows, messages] = result.stdout.trim().split(' ').map(Number);
  return { rows, messages };
}

/** Stops every app container with SIGTERM (compose stop) and returns each one's exit code. */
export async function stopAppsAndReadExitCodes(project: ComposeProject, services: string[]): Promise<Record<string, string>> {
  await project.compose(['stop', ...services], { timeoutMs: 180_000 });
  const codes: Record<string, string> = {};
  for (const service of services) {
    for (const [index, container] of (await project.containers(service)).entries()) {
      codes[`${service}#${index + 1}`] = await project.inspect(container, '{{.State.ExitCode}}');
    }
  }
  return codes;
}

/** The numeric uid each app container's process runs as, from inside it. */
export async function uids(project: ComposeProject, services: string[]): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const service of services) {
    const result = await project.exec(service, ['id', '-u']);
    assert.equal(result.code, 0, `id -u in ${service}: ${result.stderr}`);
    found[service] = result.stdout.trim();
  }
  return found;
}
