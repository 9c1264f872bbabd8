import type { EmailMessage, SendResult } from "../../core/notifications/channel.ts";

/** Sends one batch; answers one result per message, in the batch's order. */
export type SendBatch = (messages: EmailMessage[]) => Promise<SendResult[]>;

export type BatchTiming = {
  /** Messages per request at most (Resend: 100). */
  size: number;
  /** Requests in flight at once (MAIL_CONCURRENCY). */
  concurrency: number;
  /** How long a part-filled batch waits for more before it goes (a lone confirmation mail should not wait long). */
  lingerMs: number;
};

type Waiting = { message: EmailMessage; settle: (result: SendResult) => void };

/**
 * Turns the sender's one-message sends into batch requests: messages wait until `size` are there or
 * `lingerMs` passed, and at most `concurrency` requests run at once. Each message still gets its own
 * result, so the sender marks, retries and orders every delivery as it does over SMTP.
 */
export class MailBatches {
  private waiting: Waiting[] = [];
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly requests = new Set<Promise<void>>();
  private readonly sendBatch: SendBatch;
  private readonly timing: BatchTiming;

  constructor(sendBatch: SendBatch, timing: BatchTiming) {
    this.sendBatch = sendBatch;
    this.timing = timing;
  }

  send(message: EmailMessage): Promise<SendResult> {
    return new Promise((settle) => {
      this.waiting.push({ message, settle });
      if (this.waiting.length >= this.timing.size) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.timing.lingerMs);
    });
  }

  /** Waits for every request in flight and sends what still waits. */
  async close(): Promise<void> {
    while (this.waiting.length > 0 || this.requests.size > 0) {
      this.flush();
      await Promise.all(this.requests);
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.waiting.length > 0 && this.running < this.timing.concurrency) {
      const batch = this.waiting.splice(0, this.timing.size);
      this.running++;
      const request = this.request(batch).finally(() => {
        this.running--;
        this.requests.delete(request);
        // A full batch goes at once; a part-filled one lingers for company.
        if (this.waiting.length >= this.timing.size) this.flush();
        else if (this.waiting.length > 0) this.timer ??= setTimeout(() => this.flush(), this.timing.lingerMs);
      });
      this.requests.add(request);
    }
  }

  private async request(batch: Waiting[]): Promise<void> {
    let results: SendResult[];
    try {
      results = await this.sendBatch(batch.map((w) => w.message));
    } catch (error) {
      const reply = `the batch request failed: ${error instanceof Error ? error.message : String(error)}`;
      results = batch.map(() => ({ ok: false, permanent: false, reply }));
    }
    batch.forEach((w, i) => {
      w.settle(results[i] ?? { ok: false, permanent: false, reply: "the provider gave no answer for this mail" });
    });
  }
}
