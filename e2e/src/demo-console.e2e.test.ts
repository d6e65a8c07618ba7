import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Browser, Page, chromium } from 'playwright-core';
import { readJson, waitFor } from '@onebip/testing';
import { ACKNOWLEDGED, RunningSystem } from './support/running-system';

/** Debian's Chromium, which .ci/run installs with apt-get: never a browser download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = 'test-output/demo-console.png';
const BURST = 5;

let system: RunningSystem;
let browser: Browser;
let page: Page;
before(async () => {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  system = await RunningSystem.start({
    demo: true,
    billingEnv: { DELIVERY_BACKOFF_FIRST_WAIT_S: '0.2', DELIVERY_BACKOFF_UP_TO_S: '60' },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Offline machine: no background networking, no first-run or component updates.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Whatever the pages' Content-Security-Policy blocks is reported here (docs/security.md).
  await page.addInitScript({
    content: `window.cspViolations = []; document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));`,
  });
});

const cspViolations = () => page.evaluate<string[]>('window.cspViolations');
after(async () => {
  await browser?.close();
  await system?.stop();
});

describe('the demo console', () => {
  it('shows every message of a burst survive dropped answers: retried, met with 409, sent', async () => {
    await page.goto(`${system.billingUrl}/demo`);
    await page.getByTestId('chaos-state').filter({ hasText: 'connectivity now: normal' }).waitFor();

    await page.getByTestId('mode-drop').check();
    await page.getByTestId('chaos-state').filter({ hasText: 'dropping answers after storing' }).waitFor();
    await page.getByTestId('burst-size').fill(String(BURST));
    await page.getByTestId('pay-burst').click();
    await page
      .locator('#pay-result')
      .filter({ hasText: `${BURST} payment(s) taken` })
      .waitFor();

    // Every message has had an attempt whose answer was lost.
    await waitFor('an unanswered attempt on every message', async () => {
      const unanswered = await page
        .locator('[data-testid=message]')
        .evaluateAll((cards) => cards.filter((card) => card.querySelector('li[data-kind=attempt]:not([data-status])')).length);
      return unanswered === BURST;
    });
    const urls = await page.locator('[data-testid=message]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-url')!));
    for (const url of urls) {
      const { timeline } = await readJson(await fetch(`${url}/timeline`));
      const acknowledged = timeline.filter((step: { kind: string; outcome?: string }) => step.kind === 'attempt' && step.outcome === 'delivered');
      assert.deepEqual(acknowledged, [], `${url}: no attempt is acknowledged while answers are dropped`);
    }

    await page.getByTestId('mode-normal').check();
    await page.getByTestId('chaos-state').filter({ hasText: 'connectivity now: normal' }).waitFor();

    await waitFor(
      'every message acknowledged with a 409 in its timeline',
      async () => {
        const cards = await page
          .locator('[data-testid=message]')
          .evaluateAll((elements) =>
            elements.map((card) => ({ status: card.getAttribute('data-status'), conflict: card.querySelector('li[data-status="409"]') !== null })),
          );
        return cards.length === BURST && cards.every((card) => ACKNOWLEDGED.includes(card.status!) && card.conflict);
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    for (const url of urls) {
      const message = await system.billingMessage(url);
      assert.ok(ACKNOWLEDGED.includes(message.status), `${url}: ${message.status}`);
      assert.ok(message.attempts >= 2, 'the lost answer was retried');
      assert.ok(await system.connectivityMessage(url), 'and connectivity holds it');
    }
    const sentCounter =
      Number(await page.locator('[data-counter=sent] b').textContent()) + Number(await page.locator('[data-counter=delivered] b').textContent());
    assert.equal(sentCounter, BURST, 'the counters add up');
    // No subscriber in this system: each payment's event is shown, delivered to nobody.
    await waitFor('the burst’s events on the page', async () => (await page.locator('[data-testid=event]').count()) === BURST);

    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(await cspViolations(), [], 'the console loads nothing its Content-Security-Policy refuses');
  });

  it('the queue dashboard renders its queue under the same Content-Security-Policy, refusing nothing it needs', async () => {
    const answer = await page.goto(`${system.billingUrl}/admin/queues`);
    assert.match(answer?.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    await page.getByText('billing-requests').first().waitFor({ timeout: 15_000 });
    const blocked = await cspViolations();
    // The dashboard asks Google for its fonts; the policy refuses third parties on purpose.
    assert.deepEqual(
      blocked.filter((violation) => !violation.includes('fonts.googleapis.com')),
      [],
      `blocked: ${blocked.join('; ')}`,
    );
  });
});
