// The demo console's script, built for the browser by tools/build.mjs (no framework, nothing
// fetched from elsewhere). It makes payments through billing's public API, flips connectivity's
// chaos switches through billing, and polls /demo/api/state to draw each message's timeline and
// each event's deliveries per subscriber.

interface TimelineStep {
  at: string;
  kind: 'created' | 'attempt' | 'report';
  attempt?: number;
  outcome?: string;
  status?: number;
  detail?: string;
  retryInMs?: number;
}

interface ConsoleMessage {
  id: string;
  message: string;
  status: string;
  attempts: number;
  createdAt: string;
  timeline: TimelineStep[];
}

interface ConsoleEvent {
  id: string;
  type: string;
  subject: string;
  time: string;
  deliveries: { subscriber: string; status: string; attempts: number; lastAttempt: string | null }[];
}

interface ChaosSettings {
  down: boolean;
  delayMs: number;
  unavailableRate: number;
  dropResponses: boolean;
}

interface ConsoleState {
  counters: { byStatus: Record<string, number>; deliveriesPerSecond: number };
  messages: ConsoleMessage[];
  events: ConsoleEvent[];
  chaos: { settings: ChaosSettings | null; unavailable?: string };
}

const POLL_INTERVAL_MS = 700;
const PAYMENT_CONCURRENCY = 20;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function pay(count: number): Promise<void> {
  const result = element('pay-result');
  result.textContent = `paying ${count}…`;
  let next = 0;
  let created = 0;
  const failures: string[] = [];
  const payOne = async () => {
    while (next < count) {
      next += 1;
      const response = await fetch('/payments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumber: '393331234567', amount: 100 + Math.floor(Math.random() * 9900), currency: 'EUR' }),
      }).catch((error: Error) => error);
      if (response instanceof Response && response.status === 201) created += 1;
      else failures.push(response instanceof Response ? `HTTP ${response.status}` : response.message);
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, PAYMENT_CONCURRENCY) }, payOne));
  result.textContent = `${created} payment(s) taken` + (failures.length ? `, ${failures.length} refused (${failures[0]})` : '');
}

/** The switches a mode of the form stands for. */
function settingsFor(mode: string): ChaosSettings {
  const settings: ChaosSettings = { down: false, delayMs: 0, unavailableRate: 0, dropResponses: false };
  if (mode === 'down') settings.down = true;
  if (mode === 'slow') settings.delayMs = Number(element<HTMLInputElement>('delay-ms').value);
  if (mode === 'unavailable') settings.unavailableRate = Number(element<HTMLInputElement>('unavailable-rate').value) / 100;
  if (mode === 'drop') settings.dropResponses = true;
  return settings;
}

/** Why the last switch was refused, shown until a switch succeeds. */
let refusedSwitch: string | undefined;

async function switchConnectivity(mode: string): Promise<void> {
  const response = await fetch('/demo/api/chaos', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settingsFor(mode)) });
  refusedSwitch = response.ok
    ? undefined
    : `not switched: ${((await response.json().catch(() => ({}))) as { message?: string }).message ?? `HTTP ${response.status}`}`;
  await refresh();
}

function describeChaos(chaos: ConsoleState['chaos']): string {
  if (refusedSwitch) return refusedSwitch;
  if (!chaos.settings) return `switches unavailable: ${chaos.unavailable}`;
  const { down, delayMs, unavailableRate, dropResponses } = chaos.settings;
  const on = [
    down && 'down',
    delayMs > 0 && `slow (${delayMs} ms)`,
    unavailableRate > 0 && `503 for ${Math.round(unavailableRate * 100)} %`,
    dropResponses && 'dropping answers after storing',
  ].filter(Boolean);
  return `connectivity now: ${on.length ? on.join(', ') : 'normal'}`;
}

function drawCounters(counters: ConsoleState['counters']): void {
  const entries: [string, string | number][] = [
    ['pending', counters.byStatus.pending],
    ['sent', counters.byStatus.sent],
    ['delivered', counters.byStatus.delivered],
    ['failed', counters.byStatus.failed],
    ['undeliverable', counters.byStatus.undeliverable],
    ['deliveries/s', counters.deliveriesPerSecond],
  ];
  element('counters').replaceChildren(
    ...entries.map(([name, value]) => {
      const box = document.createElement('div');
      box.className = 'counter';
      box.dataset.counter = name;
      box.append(textElement('b', String(value ?? 0)), textElement('span', name));
      return box;
    }),
  );
}

function stepText(step: TimelineStep): { text: string; className?: string } {
  if (step.kind === 'created') return { text: 'created with its payment; delivery job queued' };
  if (step.kind === 'report') return { text: `delivery report: ${step.outcome}`, className: 's202' };
  const answer = step.status ? `HTTP ${step.status}` : (step.detail ?? 'no answer');
  const meaning =
    step.outcome === 'delivered'
      ? step.status === 409
        ? ' (connectivity already had it: done) → acknowledged'
        : ' → acknowledged'
      : step.outcome === 'retrying'
        ? ` → retry in ${((step.retryInMs ?? 0) / 1000).toFixed(step.retryInMs && step.retryInMs < 1000 ? 2 : 1)} s`
        : ' → gave up';
  const className = step.status === 409 ? 's409' : step.status && step.status < 300 ? 's202' : 'err';
  return { text: `attempt ${step.attempt}: ${step.status ? answer : step.detail}${meaning}`, className };
}

/** An element holding `text` as text, never as markup (message URLs come from the server). */
function textElement(tag: string, text: string, className?: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function drawMessages(messages: ConsoleMessage[]): void {
  const container = element('messages');
  if (messages.length === 0) return;
  container.replaceChildren(
    ...messages.map((message) => {
      const card = document.createElement('article');
      card.className = 'message';
      card.dataset.testid = 'message';
      card.dataset.status = message.status;
      card.dataset.url = message.message;
      const header = document.createElement('header');
      header.append(textElement('code', message.message), textElement('span', `${message.status} · ${message.attempts} attempt(s)`, 'status'));
      const timeline = document.createElement('ol');
      timeline.className = 'timeline';
      const start = Date.parse(message.createdAt);
      for (const step of message.timeline) {
        const item = document.createElement('li');
        item.dataset.kind = step.kind;
        if (step.status) item.dataset.status = String(step.status);
        const { text, className } = stepText(step);
        item.append(textElement('span', `+${((Date.parse(step.at) - start) / 1000).toFixed(2)}s`, 't'), ' ', textElement('span', text, className));
        timeline.append(item);
      }
      card.append(header, timeline);
      return card;
    }),
  );
}

function drawEvents(events: ConsoleEvent[]): void {
  const container = element('events');
  if (events.length === 0) return;
  container.replaceChildren(
    ...events.map((event) => {
      const card = document.createElement('article');
      card.className = 'message';
      card.dataset.testid = 'event';
      card.dataset.id = event.id;
      const pending = event.deliveries.some((delivery) => delivery.status === 'pending');
      const failed = event.deliveries.some((delivery) => delivery.status === 'failed');
      card.dataset.status = failed ? 'failed' : pending ? 'pending' : 'delivered';
      const header = document.createElement('header');
      header.append(textElement('code', `${event.type} · ${event.subject}`), textElement('span', `${event.deliveries.length} subscriber(s)`, 'status'));
      const list = document.createElement('ol');
      list.className = 'timeline';
      if (event.deliveries.length === 0) list.append(textElement('li', 'no subscriber wanted it', 'empty'));
      for (const delivery of event.deliveries) {
        const item = document.createElement('li');
        item.dataset.subscriber = delivery.subscriber;
        item.dataset.status = delivery.status;
        const className = delivery.status === 'delivered' ? 's202' : delivery.status === 'failed' ? 'err' : undefined;
        const last = delivery.lastAttempt ? `, last: ${delivery.lastAttempt}` : '';
        item.append(
          textElement('span', delivery.subscriber, 't'),
          ' ',
          textElement('span', `${delivery.status} · ${delivery.attempts} attempt(s)${last}`, className),
        );
        list.append(item);
      }
      card.append(header, list);
      return card;
    }),
  );
}

async function refresh(): Promise<void> {
  const response = await fetch('/demo/api/state?limit=30');
  if (!response.ok) return;
  const state = (await response.json()) as ConsoleState;
  drawCounters(state.counters);
  drawMessages(state.messages);
  drawEvents(state.events);
  element('chaos-state').textContent = describeChaos(state.chaos);
}

function poll(): void {
  refresh()
    .catch(() => undefined)
    .finally(() => setTimeout(poll, POLL_INTERVAL_MS));
}

element('pay-one').addEventListener('click', () => void pay(1));
element('pay-burst').addEventListener('click', () => void pay(Math.max(1, Number(element<HTMLInputElement>('burst-size').value) || 1)));
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=mode]')) {
  radio.addEventListener('change', () => radio.checked && void switchConnectivity(radio.value));
}
poll();
