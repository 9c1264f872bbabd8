// A real SMTP server in its own process (the smtp-server package), for tests and benchmarks.
// It appends one line per accepted mail to SINK_LOG ("<Message-ID>\t<recipient>"), and with SINK_RAW
// set writes each mail to that folder as an .eml. Recipients containing "tempfail" get a 451 the first
// SINK_TEMPFAILS times (default 1), those containing "bounce" a 550. Prints "listening <port>".
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

const log = process.env.SINK_LOG;
const raw = process.env.SINK_RAW;
const tempfails = Number(process.env.SINK_TEMPFAILS ?? 1);
if (raw) mkdirSync(raw, { recursive: true });
const seen = new Map();
let received = 0;

const server = new SMTPServer({
  disabledCommands: ["STARTTLS", "AUTH"],
  authOptional: true,
  logger: false,
  size: 10 * 1024 * 1024,
  onRcptTo(address, _session, callback) {
    const to = address.address;
    if (to.includes("bounce")) return callback(Object.assign(new Error("5.1.1 No such user"), { responseCode: 550 }));
    if (to.includes("tempfail")) {
      const count = seen.get(to) ?? 0;
      seen.set(to, count + 1);
      if (count < tempfails) return callback(Object.assign(new Error("4.2.1 Try again later"), { responseCode: 451 }));
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", () => {
      const message = Buffer.concat(chunks);
      const head = message.subarray(0, Math.min(message.length, 8192)).toString("latin1");
      const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? "";
      received++;
      const to = session.envelope.rcptTo.map((r) => r.address).join(",");
      if (log) appendFileSync(log, `${id}\t${to}\n`);
      if (raw) writeFileSync(join(raw, `${String(received).padStart(7, "0")}.eml`), message);
      callback(null, `Queued as ${received}`);
    });
  },
});
server.on("error", (error) => {
  if (error.code !== "ECONNRESET") console.error("sink:", error.message);
});
server.listen(Number(process.env.SINK_PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening ${server.server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
