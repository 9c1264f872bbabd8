/** The Node HTTP server in front of everything: the rendered site first, then the Hono app. */
import { createServer, type RequestListener, type Server } from "node:http";
import type { Socket } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import type { SiteChange } from "../jobs/render/index.ts";
import type { SiteServer } from "./static-site.ts";

/** Tells the site server what a render changed, so the files it keeps in memory stay current. */
export function siteChangeListener(site: SiteServer): (change: SiteChange) => void {
  return (change) => ("file" in change ? site.fileChanged(change.file) : site.releaseSwitched());
}

/**
 * One request listener for the whole server: the rendered site (and, on Node, the rendered v2
 * documents) answer first, straight from files or memory; everything else goes to the Hono app.
 */
export function heraldListener(app: Hono<never> | { fetch: Hono["fetch"] }, site: SiteServer): RequestListener {
  const api = getRequestListener(app.fetch);
  return (req, res) => {
    site.serve(req, res).then(
      (served) => {
        if (served) return;
        res.once("prefinish", () => {
          if (res.statusCode === 413) closeAfterResponse(req.socket);
        });
        return api(req, res);
      },
      (error: unknown) => {
        console.error("Herald: serving a file failed.", error);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("Something went wrong on our side.");
      },
    );
  };
}

const LINGER_MS = 2_000;

/**
 * Closes the connection once a 413 is out (it says `Connection: close`), without resetting it: a client still sending the
 * body we refused would otherwise get a reset and may lose the response. We send our end (FIN), keep
 * reading (and dropping) what it sends for a moment, then close.
 */
function closeAfterResponse(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  };
}

/** Starts an HTTP server; bad requests (e.g. 431, headers too large) are answered and the connection closed. */
export function listen(listener: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(listener);
  server.on("clientError", (error: Error & { code?: string }, socket: Socket) => {
    if (socket.writable && !socket.writableEnded) {
      const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
