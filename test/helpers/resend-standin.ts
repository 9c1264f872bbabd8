import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One mail the stand-in accepted, as it was posted to `/emails/batch`. */
export type AcceptedMail = {
  id: string;
  /** The request's Idempotency-Key. */
  key: string | null;
  /** How many mails the request carried. */
  batch: number;
  from: string;
  to: string[];
  subject: string;
  headers: Record<string, string>;
  text: string;
};

export type ResendStats = { requests: number; refused: number; emails: number; maxBatch: number; replayed: number };

export type ResendStandIn = {
  url: string;
  apiKey: string;
  pid: number;
  accepted(): AcceptedMail[];
  stats(): Promise<ResendStats>;
  /** The next `times` batch requests (every one, without it) answer `status`; null: answer normally again. */
  fail(status: number | null, times?: number): Promise<void>;
  stop(): Promise<void>;
};

export const STANDIN_KEY = "re_test_4f9c2b7e1d";

/** Starts the Resend stand-in (test/helpers/resend-standin-process.mjs) in its own process. */
export async function startResendStandIn(
  dir: string | null,
  options: { webhook?: { url: string; secret: string } } = {},
): Promise<ResendStandIn> {
  const log = dir ? join(dir, `resend-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`) : null;
  const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, "resend-standin-process.mjs")], {
    env: {
      ...process.env,
      STANDIN_KEY,
      ...(log ? { STANDIN_LOG: log } : {}),
      ...(options.webhook
        ? { STANDIN_WEBHOOK_URL: options.webhook.url, STANDIN_WEBHOOK_SECRET: options.webhook.secret }
        : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`The Resend stand-in exited (${code}).`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiKey: STANDIN_KEY,
    pid: child.pid ?? 0,
    accepted() {
      if (!log || !existsSync(log)) return [];
      return readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as AcceptedMail);
    },
    async stats() {
      return (await (await fetch(`${url}/_stats`)).json()) as ResendStats;
    },
    async fail(status, times) {
      await fetch(`${url}/_control`, {
        method: "POST",
        body: JSON.stringify(times === undefined ? { status } : { status, times }),
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
