import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";

export type SmtpSink = {
  url: string;
  /** The file of accepted mails (pass it as `log` to a sink started again after an outage). */
  log: string;
  /** One entry per accepted mail: its Message-ID and recipient. */
  accepted(): { messageId: string; to: string }[];
  /** The accepted mails, parsed (needs `raw`). */
  mails(): Promise<ParsedMail[]>;
  pid: number;
  stop(): Promise<void>;
};

/** Starts the SMTP sink (test/helpers/smtp-sink-process.mjs) in its own process. */
export async function startSmtpSink(
  dir: string,
  options: { raw?: boolean; tempfails?: number; port?: number; log?: string } = {},
): Promise<SmtpSink> {
  // A sink started again on the same port may keep writing the same log (a server back after an outage).
  const log = options.log ?? join(dir, `sink-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  const rawDir = `${log}.mail`;
  const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, "smtp-sink-process.mjs")], {
    env: {
      ...process.env,
      SINK_LOG: log,
      ...(options.raw ? { SINK_RAW: rawDir } : {}),
      ...(options.tempfails !== undefined ? { SINK_TEMPFAILS: String(options.tempfails) } : {}),
      ...(options.port !== undefined ? { SINK_PORT: String(options.port) } : {}),
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
    child.once("exit", (code) => reject(new Error(`The SMTP sink exited (${code}).`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    log,
    pid: child.pid ?? 0,
    accepted() {
      if (!existsSync(log)) return [];
      return readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => {
          const [messageId = "", to = ""] = line.split("\t");
          return { messageId, to };
        });
    },
    async mails() {
      if (!existsSync(rawDir)) return [];
      const files = (await readdir(rawDir)).sort();
      return Promise.all(files.map(async (file) => simpleParser(await readFile(join(rawDir, file)))));
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
