import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The model of the delivery protocol (model/, docs/model.md), checked by SPIN through
 * tools/model/run.mjs --json: the real model passes every property, each mutant fails with exactly
 * the property docs/model.md names for it, and each expected failure (the code before issue 22's
 * fixes, the code before the stale-read fix) fails with its property. Not part of plain `npm test`
 * (it needs spin and gcc, and takes minutes): `node tools/test/run.mjs model` runs it, as .ci/run does.
 */

interface Outcome {
  group: 'real' | 'before' | 'stale' | 'mutant';
  model: string;
  mutant?: string;
  mode: string;
  properties: string[];
  verdict: 'pass' | 'fail' | 'error';
  failed?: string;
  truncated: boolean;
  complete: boolean;
  asExpected: boolean;
}
interface Report {
  before: string[];
  stale: string[];
  unreached: number;
  seconds: number;
  outcomes: Outcome[];
}

/** What each mutant must be refuted by (docs/model.md, Mutants). */
const MUTANTS: Record<string, string> = {
  NO_RECEIVER_DEDUP: 'stored_once',
  ENQUEUE_BEFORE_COMMIT: 'stored_only_committed',
  SWEEP_FRESH_JOB_ID: 'one_live_job',
  ACK_BEFORE_COMMIT: 'sent_only_if_stored',
  FINAL_STATUS_MUTABLE: 'final_stays',
  NO_LOCK_EXPIRY: 'committed_settles',
};
/** Every property the real model must pass (docs/model.md, Properties). */
const PROPERTIES = [
  'stored_once',
  'stored_only_committed',
  'sent_only_if_stored',
  'one_live_job',
  'carrier_bound',
  'final_stays',
  'sent_never_pending',
  'failed_leaves_by_ack_or_redrive',
  'failed_resent_only_by_redrive',
  'committed_settles',
  'redrive_acknowledged',
  'report_reaches_billing',
  'accepted_settles',
];

function runModel(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '../model/run.mjs'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the model of the delivery protocol (npm run model)', { timeout: 30 * 60_000 }, () => {
  let report: Report;

  it('runs every check, and the runner says all passed', { timeout: 30 * 60_000 }, async () => {
    const { code, stdout, stderr } = await runModel();
    const lines = stdout.trimEnd().split('\n');
    const json = lines.findLast((line) => line.startsWith('{'));
    // The runner's own report, for CI's log: every check, its states and time, the counterexamples.
    console.log(lines.filter((line) => line !== json).join('\n'));
    assert.ok(json, `no JSON from tools/model/run.mjs --json:\n${stderr}`);
    report = JSON.parse(json) as Report;
    assert.match(lines.at(-1) ?? '', / 0 failed$/);
    assert.equal(code, 0);
  });

  it('passes every property on the real model, exhaustively, with no protocol statement unreached', () => {
    const real = report.outcomes.filter((outcome) => outcome.group === 'real');
    for (const outcome of real) {
      assert.equal(outcome.verdict, 'pass', `${outcome.model}: ${outcome.properties.join(', ')}`);
      assert.ok(outcome.complete && !outcome.truncated, `${outcome.model}: ${outcome.properties.join(', ')} not exhaustive`);
    }
    assert.deepEqual([...new Set(real.flatMap((outcome) => outcome.properties))].sort(), [...PROPERTIES].sort());
    assert.equal(report.unreached, 0);
  });

  it('refutes each mutant by exactly its named property', () => {
    const mutants = report.outcomes.filter((outcome) => outcome.group === 'mutant');
    assert.deepEqual(mutants.map((outcome) => outcome.mutant).sort(), Object.keys(MUTANTS).sort());
    for (const outcome of mutants) {
      assert.equal(outcome.verdict, 'fail', `mutant ${outcome.mutant}`);
      assert.equal(outcome.failed, MUTANTS[outcome.mutant as string], `mutant ${outcome.mutant}`);
    }
  });

  it('finds each expected failure of the code before the fixes with its property', () => {
    for (const group of ['before', 'stale'] as const) {
      const checks = report.outcomes.filter((outcome) => outcome.group === group);
      assert.deepEqual([...new Set(checks.map((outcome) => outcome.failed))].sort(), [...report[group]].sort(), group);
      for (const outcome of checks) {
        assert.equal(outcome.verdict, 'fail', `${group} ${outcome.model}: ${outcome.properties[0]}`);
        assert.equal(outcome.failed, outcome.properties[0], `${group} ${outcome.model}`);
        assert.ok(outcome.asExpected);
      }
    }
  });
});
