import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type HookCall = { paths: string[]; full: boolean; published_at: string };

export type HookReceiver = {
  url: string;
  calls: HookCall[];
  /** The statuses to answer the next calls with, in order; 204 once they run out. */
  answers: number[];
  close(): Promise<void>;
};

/** Where HERALD_PUBLISH_HOOK points in tests: records each POST's JSON body. */
export async function startHookReceiver(): Promise<HookReceiver> {
  const calls: HookCall[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      calls.push(JSON.parse(body) as HookCall);
      res.writeHead(answers.shift() ?? 204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/purge?token=abc`,
    calls,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
