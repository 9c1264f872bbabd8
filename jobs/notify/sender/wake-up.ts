/**
 * The sender loop's sleep: `wait(ms)` resolves after `ms`, or at once on `poke()` (a fan-out queued
 * mail, a send finished, a stop). A poke while the loop is busy is kept, so the next wait returns at once.
 */
export class WakeUp {
  private pending: (() => void) | null = null;
  private poked = false;

  poke(): void {
    this.poked = true;
    const resolve = this.pending;
    this.pending = null;
    resolve?.();
  }

  wait(ms: number): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.poked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending = done;
    });
  }
}
