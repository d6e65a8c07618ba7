/**
 * Runs a task every `intervalMs`, one run at a time: a run asked for while one is in progress
 * joins it. `stop()` clears the timer and waits for the run in progress, so a task that uses the
 * database or the queue finishes before they close. The timer does not keep the process alive.
 */
export class PeriodicTask<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<T>;

  constructor(
    private readonly task: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runNow().catch(this.onError), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now, or joins the run in progress. */
  runNow(): Promise<T> {
    this.running ??= this.task().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
