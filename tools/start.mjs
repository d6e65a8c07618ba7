// `npm start`: runs the demo builds of billing and connectivity (dist/demo/: the console and the
// chaos switches) and the simulated carrier against Postgres and Redis on localhost, prints their
// URLs, and stops them all on Ctrl-C. Each app reads its own variables from the environment (see
// .env.example); BILLING_PORT, CONNECTIVITY_PORT and CARRIER_PORT move them.
import { spawn } from 'node:child_process';

const billingPort = process.env.BILLING_PORT ?? '3001';
const connectivityPort = process.env.CONNECTIVITY_PORT ?? '3002';
const carrierPort = process.env.CARRIER_PORT ?? '3003';
const connectivityUrl = `http://127.0.0.1:${connectivityPort}`;
const billingUrl = `http://127.0.0.1:${billingPort}`;
const postgres = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

const apps = [
  {
    name: 'simulated-carrier',
    url: `http://127.0.0.1:${carrierPort}`,
    env: { PORT: carrierPort },
  },
  {
    name: 'connectivity',
    url: connectivityUrl,
    env: {
      // Unset, NODE_ENV would mean production (which fails closed): npm start is development.
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: connectivityPort,
      DATABASE_URL: process.env.CONNECTIVITY_DATABASE_URL ?? `${postgres}/connectivity`,
      SMS_GATEWAY_URL: process.env.SMS_GATEWAY_URL ?? `http://127.0.0.1:${carrierPort}/sms`,
    },
  },
  {
    name: 'billing',
    url: billingUrl,
    env: {
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: billingPort,
      DATABASE_URL: process.env.BILLING_DATABASE_URL ?? `${postgres}/billing`,
      CONNECTIVITY_URL: connectivityUrl,
      BILLING_PUBLIC_URL: billingUrl,
    },
  },
];

const children = apps.map(({ name, url, env }) => {
  const child = spawn(process.execPath, [`dist/demo/${name}/main.js`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  const relay = (stream, out) => stream.on('data', (chunk) => out.write(chunk.toString().replace(/^(?=.)/gm, prefix)));
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.stdout.on('data', function announce(chunk) {
    if (/listening on/.test(chunk.toString())) {
      console.log(`\n  ${name} is up: ${url}${name === 'billing' ? ` (demo console: ${url}/demo)` : ''}\n`);
      child.stdout.off('data', announce);
    }
  });
  child.on('exit', (code) => {
    console.log(`${name} exited with ${code}`);
    stopAll(code ?? 1);
  });
  return child;
});

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 200).unref();
  Promise.all(children.map((child) => (child.exitCode !== null ? null : new Promise((resolve) => child.once('exit', resolve))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
console.log(`starting the simulated carrier, connectivity (${connectivityUrl}) and billing (${billingUrl}); Ctrl-C stops them`);
