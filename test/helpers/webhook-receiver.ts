import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedWebhook = { path: string; headers: IncomingHttpHeaders; body: string };

/** How the receiver answers one request: a status (and body), or never (to test timeouts). */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | "hang";

/** A real HTTP server on 127.0.0.1 that records every POST and answers from a script (then 200). */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const script: Answer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const answer = script.shift() ?? { status: 200, body: "ok" };
      if (answer === "hang") return;
      response.writeHead(answer.status, answer.headers ?? { "content-type": "text/plain" });
      response.end(answer.body ?? "");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    /** The next answers, in order. */
    answer(...answers: Answer[]) {
      script.push(...answers);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
