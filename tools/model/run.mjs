// `npm run model`: checks the Promela model of the delivery protocol (model/, docs/model.md) with SPIN.
// Each check compiles a verifier (spin -a, then gcc) and runs it exhaustively: no bitstate, no hash
// compaction, the search depth raised until pan says it was not truncated. It prints, for each
// check, the property, the verdict, the states explored and the time, and for a property that fails
// the counterexample as protocol steps (the model's printf lines starting "@ ", replayed from the
// trail by `spin -t`).
//
//   node tools/model/run.mjs           every check; exit 1 if any verdict is not the expected one; the last
//                                      line is `N passed, N failed` (checks as expected / not), which CI reads
//   node tools/model/run.mjs --json    the same, then one line of JSON with every result (for tools/test/model.test.ts)
//
// MODEL_JOBS (default 2) runs that many checks at once.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const modelDir = join(root, 'model');

/** The invariants each model's plain run checks (its process Invariants asserts them in every state). */
const DELIVERY_INVARIANTS = ['stored_once', 'stored_only_committed', 'sent_only_if_stored', 'one_live_job'];
const REPORTS_INVARIANTS = ['carrier_bound'];

/**
 * The code before issue 22's fixes (model/before.pml's hooks) fails these properties, and the model
 * must show it: each is an expected failure of the `before` group, whose counterexamples
 * docs/model.md shows. The real model (model/code.pml's hooks) must pass every property.
 */
const BEFORE = {
  committed_settles: 'hole 1: a message whose last attempt failed for good while its record aborted stays pending; its failed job holds the id',
  report_reaches_billing: 'hole 2: a report whose job is lost is never sent again; billing keeps the message sent',
  accepted_settles: "the SMS pattern: a message whose settle aborted on the SMS job's last attempt stays accepted; its failed SMS job holds the id",
};

/**
 * The code with issue 22's fixes but before the stale-read fix (model/stale.pml's hooks: a sweep's
 * retry acts on its first read of the row) fails these properties: each is an expected failure of
 * the `stale` group, whose counterexamples docs/model.md shows.
 */
const STALE = {
  failed_resent_only_by_redrive:
    "the stale read at billing: the sweep read the message pending, its give-up was recorded since, and the sweep's retry sends it again",
  carrier_bound:
    "the stale read at connectivity: the SMS sweep read the message accepted, it was settled since, and the sweep's retry gives its SMS job a new life",
};

/**
 * The checks. `mode`: plain (-DSAFETY -DNOCLAIM: the invariants' assertions, invalid end states and
 * the unreached statements), safety (an LTL safety property, -DSAFETY -N name), liveness (an LTL
 * property under weak fairness, -a -f -N name). `cost` (relative, the longest highest) only orders the
 * runs: the longest start first.
 */
const checks = [
  { group: 'real', model: 'delivery-one', mode: 'plain', properties: DELIVERY_INVARIANTS },
  { group: 'real', model: 'delivery-two', mode: 'plain', properties: DELIVERY_INVARIANTS, cost: 2 },
  { group: 'real', model: 'delivery-one', mode: 'safety', properties: ['final_stays'] },
  { group: 'real', model: 'delivery-one', mode: 'safety', properties: ['sent_never_pending'] },
  { group: 'real', model: 'delivery-one', mode: 'safety', properties: ['failed_leaves_by_ack_or_redrive'] },
  { group: 'real', model: 'delivery-one', mode: 'safety', properties: ['failed_resent_only_by_redrive'] },
  { group: 'real', model: 'delivery-one', mode: 'liveness', properties: ['committed_settles'] },
  { group: 'real', model: 'delivery-one', mode: 'liveness', properties: ['redrive_acknowledged'] },
  { group: 'real', model: 'reports-one', mode: 'plain', properties: REPORTS_INVARIANTS },
  { group: 'real', model: 'reports-two', mode: 'plain', properties: REPORTS_INVARIANTS },
  { group: 'real', model: 'reports-message1', mode: 'plain', properties: REPORTS_INVARIANTS },
  { group: 'real', model: 'reports-one', mode: 'liveness', properties: ['report_reaches_billing'], cost: 3 },
  { group: 'real', model: 'reports-one', mode: 'liveness', properties: ['accepted_settles'], cost: 3 },
  // The code before issue 22's fixes: each of these fails, with the counterexample docs/model.md shows.
  { group: 'before', model: 'delivery-before', mode: 'liveness', properties: ['committed_settles'] },
  { group: 'before', model: 'reports-before', mode: 'liveness', properties: ['report_reaches_billing'] },
  { group: 'before', model: 'reports-before', mode: 'liveness', properties: ['accepted_settles'] },
  // The code before the stale-read fix: each of these fails, with the counterexample docs/model.md shows.
  { group: 'stale', model: 'delivery-stale', mode: 'safety', properties: ['failed_resent_only_by_redrive'] },
  { group: 'stale', model: 'reports-stale', mode: 'safety', properties: ['carrier_bound'] },
  // Each mutant is the real model with one compile-time switch, refuted by the property docs/model.md names for it.
  { group: 'mutant', mutant: 'NO_RECEIVER_DEDUP', model: 'delivery-one', mode: 'safety', properties: ['stored_once'] },
  { group: 'mutant', mutant: 'ENQUEUE_BEFORE_COMMIT', model: 'delivery-one', mode: 'safety', properties: ['stored_only_committed'] },
  { group: 'mutant', mutant: 'SWEEP_FRESH_JOB_ID', model: 'delivery-one', mode: 'safety', properties: ['one_live_job'] },
  { group: 'mutant', mutant: 'ACK_BEFORE_COMMIT', model: 'delivery-one', mode: 'safety', properties: ['sent_only_if_stored'] },
  { group: 'mutant', mutant: 'FINAL_STATUS_MUTABLE', model: 'delivery-one', mode: 'safety', properties: ['final_stays'] },
  { group: 'mutant', mutant: 'NO_LOCK_EXPIRY', model: 'delivery-one', mode: 'liveness', properties: ['committed_settles'] },
];

/** Processes that never stop by design (workers, sweeps): their "-end-" is unreachable. */
const DAEMONS = new Set(['BillingWorker', 'BillingSweeper', 'ConnectivityWorker', 'SmsSweeper', 'ReportSweeper']);
/** Not the protocol: the monitor whose assertions run only when an invariant breaks. */
const MONITORS = new Set(['Invariants']);
/** The real model's configurations whose unreached statements are pooled: a statement must be reached in one of them. */
const REACH_GROUPS = [
  ['delivery-one', 'delivery-two'],
  ['reports-one', 'reports-two', 'reports-message1'],
];

const COMPILE = {
  plain: ['-DSAFETY', '-DNOCLAIM'],
  safety: ['-DSAFETY'],
  liveness: ['-DNFAIR=3'],
  // A safety property that fails is searched again breadth-first, for a shortest counterexample.
  shortest: ['-DSAFETY', '-DBFS'],
};
const MEMORY_MB = Number(process.env.MODEL_MEMORY_MB ?? 8000);
const PAN_TIMEOUT_MS = Number(process.env.MODEL_PAN_TIMEOUT_MS ?? 600_000);

function expected(check) {
  if (check.group === 'mutant') return 'fail';
  if (check.group === 'before' && check.properties.some((property) => BEFORE[property])) return 'fail';
  if (check.group === 'stale' && check.properties.some((property) => STALE[property])) return 'fail';
  return 'pass';
}

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** One verifier per (model, mode, mutant), built once in a directory of its own. */
const verifiers = new Map();
function verifier(workDir, check) {
  const key = `${check.model}-${check.mode}${check.plain ? '-plain' : ''}${check.mutant ? `-${check.mutant}` : ''}`;
  if (!verifiers.has(key)) {
    verifiers.set(
      key,
      (async () => {
        const dir = join(workDir, key);
        mkdirSync(dir);
        for (const file of readdirSync(modelDir).filter((name) => name.endsWith('.pml'))) copyFileSync(join(modelDir, file), join(dir, file));
        const defines = check.mutant ? [`-D${check.mutant}`] : [];
        const generated = await run('spin', [...defines, '-a', `${check.model}.pml`], { cwd: dir });
        if (generated.code !== 0) throw new Error(`spin -a ${check.model}.pml failed:\n${generated.stdout}${generated.stderr}`);
        const flags = check.mode === 'shortest' && check.plain ? [...COMPILE.shortest, '-DNOCLAIM'] : COMPILE[check.mode];
        // A mutant's search stops early: compiling fast pays more than running fast.
        const optimize = check.mutant ? '-O0' : '-O2';
        // COLLAPSE: lossless compression of the state vector (exhaustive, no hashing shortcut), for a
        // check whose states would not fit in MEMLIM otherwise; it costs a fifth more time, so the others do without.
        const collapse = check.collapse || process.env.MODEL_COLLAPSE === '1' ? ['-DCOLLAPSE'] : [];
        const compiled = await run('gcc', [optimize, '-w', `-DMEMLIM=${MEMORY_MB}`, ...collapse, ...flags, '-o', 'pan', 'pan.c'], { cwd: dir });
        if (compiled.code !== 0) throw new Error(`gcc pan.c failed for ${key}:\n${compiled.stderr}`);
        return { dir, defines };
      })(),
    );
  }
  return verifiers.get(key);
}

function number(text, pattern) {
  const match = text.match(pattern);
  return match ? Number(match[1]) : undefined;
}

/** What pan says about statements it never reached, by proctype. */
function unreached(output) {
  const found = [];
  let proctype;
  for (const line of output.split('\n')) {
    const header = line.match(/^unreached in (proctype (\S+)|init|claim .*)$/);
    if (header) {
      proctype = header[2];
      continue;
    }
    const entry = line.match(/^\t(\S+:\d+), state (\d+), "(.*)"$/);
    if (entry && proctype) found.push({ proctype, where: entry[1], state: Number(entry[2]), text: entry[3] });
  }
  return found.filter((entry) => !MONITORS.has(entry.proctype) && !(entry.text === '-end-' && DAEMONS.has(entry.proctype)));
}

/** The counterexample of the last failed run, as the model's protocol steps. */
async function counterexample(dir, check) {
  const { defines } = await verifier(null, check);
  const replay = await run('spin', [...defines, '-T', '-t', `${check.model}.pml`], { cwd: dir, timeoutMs: 120_000 });
  const steps = [];
  let violated;
  let claim = false;
  for (const raw of replay.stdout.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('@ ')) steps.push(line.slice(2));
    else if (line.includes('START OF CYCLE')) steps.push('↻ from here on, forever:');
    const assertion = raw.match(/spin: (\S+?):(\d+), Error: assertion violated/);
    // The never claim's own assertion is the LTL property's; an assertion of the model names its property.
    if (assertion && assertion[1].startsWith('_spin_nvr')) claim = true;
    else if (assertion) violated = propertyAtLine(dir, assertion[1], Number(assertion[2]));
  }
  return { steps, violated, claim };
}

/**
 * Whether the assertion pan says was violated is the never claim's (an LTL safety property failing):
 * its text is one of the claims' assertions spin wrote to _spin_nvr.tmp (spacing and parentheses aside).
 */
function claimAssertion(dir, output) {
  const text = output.match(/assertion violated\s+(.*?) \(at depth \d+\)/)?.[1];
  const claims = join(dir, '_spin_nvr.tmp');
  if (!text || !existsSync(claims)) return false;
  const bare = (expression) => expression.replace(/[\s()]/g, '');
  return [...readFileSync(claims, 'utf8').matchAll(/assert\((.*)\) \}/g)].some((match) => bare(match[1]) === bare(text));
}

/** The property an assertion checks, from the comment on its line ("property NAME"). */
function propertyAtLine(dir, file, line) {
  const source = readFileSync(join(dir, file), 'utf8').split('\n')[line - 1] ?? '';
  return source.match(/property (\w+)/)?.[1];
}

async function runCheck(workDir, check) {
  const started = Date.now();
  const { dir } = await verifier(workDir, check);
  const compiledIn = Date.now() - started;
  const base = check.mode === 'plain' ? [] : ['-N', check.properties[0]];
  if (check.mode === 'liveness') base.push('-a', '-f');
  let depth = 10_000;
  let result;
  for (;;) {
    rmSync(join(dir, `${check.model}.pml.trail`), { force: true });
    const ranAt = Date.now();
    result = await run('./pan', [...base, `-m${depth}`, '-w25'], { cwd: dir, timeoutMs: PAN_TIMEOUT_MS });
    result.ms = Date.now() - ranAt;
    if (!/max search depth too small/.test(result.stdout) || depth >= 10_000_000) break;
    depth *= 10;
  }
  const output = result.stdout + result.stderr;
  const errors = number(output, /errors: (\d+)/);
  const outcome = {
    group: check.group,
    model: check.model,
    mutant: check.mutant,
    mode: check.mode,
    properties: check.properties,
    expected: expected(check),
    states: number(output, /([\d.e+]+) states, stored/),
    depth,
    truncated: /max search depth too small/.test(output),
    complete: !/Search not completed/.test(output) || errors > 0,
    seconds: result.ms / 1000,
    compileSeconds: compiledIn / 1000,
    unreached: check.mode === 'plain' ? unreached(output) : [],
    output,
  };
  if (errors === undefined || result.signal || /pan: reached -DMEMLIM bound|out of memory/.test(output)) {
    outcome.verdict = 'error';
    outcome.reason = result.signal ? `pan stopped by ${result.signal}` : /MEMLIM|out of memory/.test(output) ? 'out of memory' : 'no verdict from pan';
  } else if (errors === 0) {
    outcome.verdict = 'pass';
  } else {
    outcome.verdict = 'fail';
    outcome.kind = output.match(/pan:\d+: (acceptance cycle|invalid end state|assertion violated)/)?.[1] ?? 'violation';
    // A safety failure: the same search breadth-first finds a shortest counterexample to show.
    let trailCheck = check;
    let trailDir = dir;
    if (check.mode !== 'liveness') {
      trailCheck = { ...check, mode: 'shortest', plain: check.mode === 'plain' };
      trailDir = (await verifier(workDir, trailCheck)).dir;
      await run('./pan', [...base, '-w25'], { cwd: trailDir, timeoutMs: PAN_TIMEOUT_MS });
    }
    const { steps, violated, claim } = await counterexample(trailDir, trailCheck);
    outcome.counterexample = steps;
    // Which property failed: an acceptance cycle, or the never claim's own assertion ("!( !(...))"), is the
    // LTL property's; an assertion of the model names its property in a comment on its line.
    const claimed = outcome.kind === 'acceptance cycle' || claim || claimAssertion(dir, output);
    outcome.failed = claimed ? check.properties[0] : (violated ?? outcome.kind);
  }
  return outcome;
}

/**
 * Runs `tasks` (functions returning promises) with at most `limit` at once, starting them in the order
 * `order` gives (the longest first: fewer seconds of wall time with one job left alone at the end),
 * and returns their results in the tasks' order.
 */
async function pool(tasks, limit, order = tasks.map((_, index) => index)) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < order.length) {
        const index = order[next++];
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

function asExpected(outcome) {
  if (outcome.verdict === 'error' || outcome.truncated || !outcome.complete) return false;
  if (outcome.expected === 'pass') return outcome.verdict === 'pass';
  // A failure must be the named property's own.
  return outcome.verdict === 'fail' && outcome.properties.includes(outcome.failed);
}

function label(outcome) {
  const who =
    outcome.group === 'mutant'
      ? `mutant ${outcome.mutant}`
      : outcome.group === 'real'
        ? 'real model'
        : outcome.group === 'stale'
          ? 'the code before the stale-read fix'
          : "the code before issue 22's fixes";
  return `${who} (${outcome.model}.pml)`;
}

function verdictText(outcome) {
  if (outcome.verdict === 'error') return `ERROR: ${outcome.reason}`;
  if (outcome.verdict === 'pass') return 'holds';
  const hole = outcome.group === 'before' ? BEFORE[outcome.failed] : outcome.group === 'stale' ? STALE[outcome.failed] : undefined;
  return `fails (${outcome.kind})${hole ? `, as expected: ${hole}` : ''}`;
}

function print(outcome) {
  const mark = asExpected(outcome) ? 'ok' : 'UNEXPECTED';
  const states = outcome.states === undefined ? '?' : Math.round(outcome.states).toLocaleString('en');
  console.log(`${mark.padEnd(10)} ${label(outcome)}: ${outcome.properties.join(', ')}`);
  console.log(
    `           ${verdictText(outcome)}; ${states} states, ${outcome.seconds.toFixed(1)} s (depth limit ${outcome.depth}${outcome.truncated ? ', TRUNCATED' : ', not reached'})`,
  );
  if (outcome.counterexample) {
    console.log('           counterexample:');
    outcome.counterexample.forEach((step, index) => console.log(`           ${String(index + 1).padStart(3)}. ${step}`));
  }
  for (const entry of outcome.unreachedInGroup ?? []) console.log(`           unreached in ${entry.proctype}: ${entry.where} "${entry.text}"`);
}

async function main() {
  const json = process.argv.includes('--json');
  for (const tool of ['spin', 'gcc']) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) {
      console.error(`${tool} is not installed (apt-get install -y ${tool === 'spin' ? 'spin' : 'gcc'}): the model cannot be checked`);
      process.exit(2);
    }
  }
  if (!existsSync(modelDir)) throw new Error(`no ${modelDir}`);
  const workDir = mkdtempSync(join(tmpdir(), 'model-'));
  const started = Date.now();
  try {
    const limit = Math.max(1, Number(process.env.MODEL_JOBS ?? 2));
    const outcomes = await pool(
      checks.map((check) => async () => {
        const outcome = await runCheck(workDir, check);
        console.error(`  checked ${label(outcome)}: ${outcome.properties.join(', ')}: ${outcome.verdict}, ${outcome.seconds.toFixed(1)} s`);
        return outcome;
      }),
      limit,
      checks.map((_, index) => index).sort((a, b) => (checks[b].cost ?? 0) - (checks[a].cost ?? 0) || a - b),
    );
    // No shortcut: every statement of the real model's processes is reached in one of its configurations.
    let unreachedCount = 0;
    for (const group of REACH_GROUPS) {
      const runs = outcomes.filter((outcome) => outcome.group === 'real' && outcome.mode === 'plain' && group.includes(outcome.model));
      if (runs.length === 0) continue;
      const key = (entry) => `${entry.proctype} ${entry.where} ${entry.state}`;
      const everywhere = runs[0].unreached.filter((entry) => runs.every((other) => other.unreached.some((them) => key(them) === key(entry))));
      runs[0].unreachedInGroup = everywhere;
      unreachedCount += everywhere.length;
    }
    for (const outcome of outcomes) print(outcome);
    // The reachability check counts as one more check: it passes when no protocol statement is unreached.
    const wrong = outcomes.filter((outcome) => !asExpected(outcome)).length + (unreachedCount > 0 ? 1 : 0);
    const passed = outcomes.length + 1 - wrong;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const mutants = outcomes.filter((outcome) => outcome.group === 'mutant');
    const before = outcomes.filter((outcome) => outcome.group === 'before');
    const stale = outcomes.filter((outcome) => outcome.group === 'stale');
    console.log(
      `\nmodel: ${mutants.filter(asExpected).length} of ${mutants.length} mutants refuted as named,` +
        ` ${before.filter(asExpected).length} of ${before.length} counterexamples of the code before issue 22's fixes found,` +
        ` ${stale.filter(asExpected).length} of ${stale.length} of the code before the stale-read fix,` +
        ` ${unreachedCount} unreached protocol statements; ${seconds} s`,
    );
    if (json) {
      const strip = ({ output: _output, ...rest }) => ({ ...rest, asExpected: asExpected(rest) });
      console.log(
        JSON.stringify({
          before: Object.keys(BEFORE),
          stale: Object.keys(STALE),
          unreached: unreachedCount,
          seconds: Number(seconds),
          outcomes: outcomes.map(strip),
        }),
      );
    }
    console.log(`${passed} passed, ${wrong} failed`);
    process.exitCode = wrong > 0 ? 1 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
