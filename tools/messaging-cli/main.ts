// `npm run messaging -- dead-letters list|retry <id>|retry-all`: an operator's view of billing's
// failed deliveries. It signs its requests with MESSAGING_SECRETS, like a service would, and talks
// to BILLING_URL (http://127.0.0.1:3001 unless set).
import { signedFetch } from '@onebip/messaging';
import { DEVELOPMENT_SECRET } from '@onebip/messaging';

const USAGE = `usage: npm run messaging -- dead-letters list | retry <id> | retry-all
  BILLING_URL        billing's base URL (default http://127.0.0.1:3001)
  MESSAGING_SECRETS  the shared secrets to sign with (default: the development secret)`;

interface DeadLetter {
  id: string;
  identity: string;
  /** The subscriber of an event delivery; null for a message to connectivity. */
  subscriber?: string | null;
  lastError: string;
  attempts: number;
  failedAt: string | null;
}

async function call(path: string, method: 'GET' | 'POST'): Promise<any> {
  const billingUrl = (process.env.BILLING_URL ?? 'http://127.0.0.1:3001').replace(/\/+$/, '');
  const secrets = process.env.MESSAGING_SECRETS?.split(',').map((secret) => secret.trim()) ?? [DEVELOPMENT_SECRET];
  const response = await signedFetch(`${billingUrl}/admin/dead-letters${path}`, secrets, { method });
  const body: any = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(
      `billing answered ${response.status}: ${body?.error?.message ?? response.statusText}${body?.error?.reason ? ` (${body.error.reason})` : ''}`,
    );
  }
  return body;
}

function print(letters: DeadLetter[]): void {
  if (letters.length === 0) {
    console.log('no dead letters');
    return;
  }
  for (const letter of letters) {
    const to = letter.subscriber ? `  (event to ${letter.subscriber})` : '';
    console.log(`${letter.id}  ${letter.identity}${to}\n    ${letter.attempts} attempt(s), failed ${letter.failedAt ?? '?'}: ${letter.lastError}`);
  }
}

async function main(args: string[]): Promise<void> {
  const [topic, command, id] = args;
  if (args.length === 0 || args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  if (topic !== 'dead-letters') throw new Error(USAGE);
  if (command === 'list') {
    const { deadLetters } = await call('', 'GET');
    print(deadLetters);
  } else if (command === 'retry' && id) {
    const { retried } = await call(`/${encodeURIComponent(id)}/retry`, 'POST');
    console.log(`sent again (its message is pending until delivered):`);
    print(retried);
  } else if (command === 'retry-all') {
    const { retried } = await call('/retry-all', 'POST');
    console.log(`sent again: ${retried.length}`);
    print(retried);
  } else {
    throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
