// `npm run bench` builds the apps and this file, then runs dist/bench/main.js: the harness, which
// measures the built apps against bare implementations of the same pipeline (bench/baseline).
// Those run as processes of their own: this same file started again with BENCH_ROLE set.
// Each side is loaded only where it runs, so a bare process carries none of the harness.
const role = process.env.BENCH_ROLE;

const running: Promise<number | void> = role
  ? import('./baseline/roles').then(({ runRole }) => runRole(role))
  : import('./harness/run-bench').then(({ runBench }) => runBench());

running.then(
  (exitCode) => {
    if (exitCode !== undefined) process.exit(exitCode);
  },
  (error: unknown) => {
    console.error(role ? `${role} failed:` : 'bench failed:', error);
    process.exit(1);
  },
);
