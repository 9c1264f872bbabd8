import type { Outcome } from "./outcome.ts";

/** Fewer rows than this are not worth a lease while others are in flight. */
const LEASE_AT_LEAST = 50;

/**
 * The sends in flight, at most `size` at once (the transport's pool works through them). Each one's
 * outcome goes to `settle` as it comes; `settled()` waits for all of them (a stop drains).
 */
export class SendWindow {
  private readonly sends = new Set<Promise<void>>();
  private readonly size: number;
  private readonly step: number;

  constructor(size: number) {
    this.size = size;
    this.step = Math.min(LEASE_AT_LEAST, size);
  }

  get inFlight(): number {
    return this.sends.size;
  }

  /** How many deliveries to lease now: the free room, or none while less than a step is free. */
  roomToLease(): number {
    const room = this.size - this.sends.size;
    return room >= this.step ? room : 0;
  }

  /** Whether the loop should wait for sends to finish before leasing again. */
  nearlyFull(): boolean {
    return this.sends.size >= this.size - this.step;
  }

  add(send: Promise<Outcome>, settle: (outcome: Outcome) => void): void {
    const sending = send.then((outcome) => {
      settle(outcome);
      this.sends.delete(sending);
    });
    this.sends.add(sending);
  }

  async settled(): Promise<void> {
    await Promise.all(this.sends);
  }
}
