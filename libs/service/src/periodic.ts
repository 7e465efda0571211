/**
 * Runs a task every `intervalMs`, never two runs at once (a slow run delays the next), on an
 * unref'd timer so it never keeps the process alive; `stop()` waits for the run in progress.
 * For an app's background sweeps (held events, checkpoints, chain verification). The task
 * handles its own errors: a rejected run stops the runs after it.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Starts the timer; `first`, when given, runs at once (before the first interval). */
  start(first?: () => Promise<void>): void {
    if (first) this.running = first();
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.task());
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
