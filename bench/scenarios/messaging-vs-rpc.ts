import { BenchRun, RunningApp } from '../harness/bench-run';
import { HttpLoadTarget, paymentBody } from '../harness/http-load';
import { OpenLoopOutcome, runOpenLoop } from '../harness/open-loop';
import { StandInReceiver } from '../harness/stand-in-receiver';

/** POST /payments at a fixed rate against one billing, while connectivity behaves one way. */
export interface RpcComparisonCell extends OpenLoopOutcome {
  /** `0 ms`, `200 ms`, `2000 ms` (connectivity's answer time) or `down`. */
  connectivity: string;
  billing: string;
}

interface Contender {
  label: string;
  app: RunningApp;
}

/**
 * Messaging against RPC: the same POST /payments at a fixed rate, while a stand-in connectivity
 * answers after each delay in turn and then is down, against three billings pointed at it:
 * the real one (messaging), the bare baseline (messaging, no framework) and the bare RPC variant,
 * which calls connectivity before it answers. Each condition starts them afresh, with empty
 * databases and queues: no backlog from one condition weighs on the next.
 */
export async function measureMessagingAgainstRpc(run: BenchRun): Promise<RpcComparisonCell[]> {
  const { ratePerSecond, seconds, connectivityDelaysMs } = run.settings.rpc;
  const standIn = await StandInReceiver.start();
  const conditions = [
    ...connectivityDelaysMs.map((delayMs) => ({ label: `${delayMs} ms`, apply: () => standIn.answerAfter(delayMs) })),
    { label: 'down', apply: () => standIn.goDown() },
  ];
  const cells: RpcComparisonCell[] = [];
  try {
    for (const condition of conditions) {
      await condition.apply();
      const contenders = await startContenders(run, standIn.url);
      try {
        for (const contender of contenders) {
          const target = new HttpLoadTarget(contender.app.url, 1024);
          try {
            const outcome = await runOpenLoop(
              { ratePerSecond, seconds, warmupSeconds: 2 },
              (index) => target.postJson('/payments', paymentBody(index)),
              (status) => status === 201,
            );
            cells.push({ connectivity: condition.label, billing: contender.label, ...outcome });
          } finally {
            await target.close();
          }
        }
      } finally {
        for (const contender of contenders) await contender.app.process.stop();
      }
    }
    return cells;
  } finally {
    await standIn.goDown();
  }
}

/** The three billings, delivering to `connectivityUrl`, each on an empty database and queue. */
async function startContenders(run: BenchRun, connectivityUrl: string): Promise<Contender[]> {
  await run.databases.drop('billing_bench');
  const billing = await run.startBilling('billing', {
    role: 'all',
    database: 'billing_bench',
    queuePrefix: await run.queuePrefix('rpc-billing'),
    connectivityUrl,
  });
  await run.databases.recreate('baseline_billing_bench');
  const baseline = await run.startRole('baseline-billing', {
    database: 'baseline_billing_bench',
    queuePrefix: await run.queuePrefix('rpc-baseline'),
    connectivityUrl,
  });
  await run.databases.recreate('rpc_billing_bench');
  const rpc = await run.startRole('rpc-billing', { database: 'rpc_billing_bench', connectivityUrl });
  return [
    { label: 'billing (messaging)', app: billing },
    { label: 'baseline billing (messaging)', app: baseline },
    { label: 'RPC billing', app: rpc },
  ];
}
