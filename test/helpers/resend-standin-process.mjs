// A stand-in for Resend's email API in its own process, speaking its documented shapes, for tests and
// benchmarks: POST /emails/batch (Bearer key, at most 100 mails, `x-batch-validation`, `Idempotency-Key`)
// answers {"data":[{"id"}…]} (plus "errors":[{"index","message"}] in permissive mode), errors as
// {"statusCode","name","message"}. A recipient containing "invalid" is refused by validation. With
// STANDIN_WEBHOOK_URL and STANDIN_WEBHOOK_SECRET it reports a recipient containing "hardbounce" as
// `email.bounced`, "softbounce" as a transient bounce and "complain" as `email.complained`, signed like
// Resend's (Svix). Control: POST /_control {"status": 503|429|…|null, "times": n} answers the next n
// (or every, without times) batch with that error; GET /_stats. With STANDIN_LOG each accepted mail is
// one JSON line. Prints "listening <port>".
import { createHash, randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const KEY = process.env.STANDIN_KEY ?? "re_test_key";
const LOG = process.env.STANDIN_LOG;
const HOOK_URL = process.env.STANDIN_WEBHOOK_URL;
const HOOK_SECRET = process.env.STANDIN_WEBHOOK_SECRET;
const REPORT_AFTER_MS = 500;
const ERROR_NAMES = {
  401: "missing_api_key",
  403: "invalid_api_key",
  409: "invalid_idempotent_request",
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "application_error",
  503: "application_error",
};

const stats = { requests: 0, refused: 0, emails: 0, maxBatch: 0, replayed: 0 };
/** Idempotency-Key → { hash, answer } (Resend keeps them 24 h). */
const idempotent = new Map();
let fault = { status: null, times: Number.POSITIVE_INFINITY };

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function error(res, status, message) {
  stats.refused++;
  send(res, status, { statusCode: status, name: ERROR_NAMES[status] ?? "application_error", message });
}

async function report(email, id) {
  const to = email.to[0];
  const type = to.includes("complain") ? "email.complained" : /hardbounce|softbounce/.test(to) ? "email.bounced" : null;
  if (!type || !HOOK_URL || !HOOK_SECRET) return;
  const bounce = to.includes("softbounce")
    ? { type: "Transient", subType: "MailboxFull", message: "The mailbox is full." }
    : { type: "Permanent", subType: "General", message: "The recipient's mail server permanently rejected the email." };
  const payload = JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: id,
      from: email.from,
      to: email.to,
      subject: email.subject,
      created_at: new Date().toISOString(),
      ...(type === "email.bounced" ? { bounce } : {}),
    },
  });
  const msgId = `msg_${randomUUID()}`;
  const at = new Date();
  const signature = new Webhook(HOOK_SECRET).sign(msgId, at, payload);
  await fetch(HOOK_URL, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "svix-id": msgId,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": signature,
    },
    body: payload,
  }).catch((e) => console.error("standin: webhook failed:", e.message));
}

function batch(req, res, body) {
  stats.requests++;
  if (req.headers.authorization !== `Bearer ${KEY}`)
    return error(res, req.headers.authorization ? 403 : 401, "API key is invalid");
  if (fault.status !== null && fault.times > 0) {
    fault.times--;
    const status = fault.status;
    if (fault.times <= 0) fault = { status: null, times: Number.POSITIVE_INFINITY };
    return error(
      res,
      status,
      status === 429 ? "Too many requests. You can only make 2 requests per second." : "Internal server error.",
    );
  }
  let emails;
  try {
    emails = JSON.parse(body);
  } catch {
    return error(res, 422, "Invalid JSON body");
  }
  if (!Array.isArray(emails)) return error(res, 422, "The body must be an array of emails");
  if (emails.length > 100) return error(res, 422, "Too many emails in the batch: at most 100");
  const key = req.headers["idempotency-key"];
  const hash = createHash("sha256").update(body).digest("hex");
  if (key) {
    const known = idempotent.get(key);
    if (known && known.hash !== hash)
      return error(res, 409, "Same idempotency key used with a different request payload.");
    if (known) {
      stats.replayed++;
      return send(res, 200, known.answer);
    }
  }
  const permissive = req.headers["x-batch-validation"] === "permissive";
  const errors = [];
  emails.forEach((email, index) => {
    const to = Array.isArray(email?.to) ? email.to : [email?.to];
    if (!email?.from || !email?.subject || !to[0] || String(to[0]).includes("invalid"))
      errors.push({
        index,
        message: `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
      });
  });
  if (errors.length > 0 && !permissive) return error(res, 422, errors[0].message);
  const refused = new Set(errors.map((e) => e.index));
  const data = [];
  emails.forEach((email, index) => {
    if (refused.has(index)) return;
    const id = randomUUID();
    data.push({ id });
    stats.emails++;
    if (LOG) {
      const to = Array.isArray(email.to) ? email.to : [email.to];
      const line = {
        id,
        key: key ?? null,
        batch: emails.length,
        from: email.from,
        to,
        subject: email.subject,
        headers: email.headers ?? {},
        text: email.text ?? "",
      };
      appendFileSync(LOG, `${JSON.stringify(line)}\n`);
    }
    // A recipient's server answers a moment later: the report follows the accepted request.
    setTimeout(
      () => void report({ ...email, to: Array.isArray(email.to) ? email.to : [email.to] }, id),
      REPORT_AFTER_MS,
    );
  });
  stats.maxBatch = Math.max(stats.maxBatch, emails.length);
  const answer = permissive ? { data, errors } : { data };
  if (key) idempotent.set(key, { hash, answer });
  send(res, 200, answer);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    if (req.method === "POST" && req.url === "/emails/batch") return batch(req, res, body);
    if (req.method === "POST" && req.url === "/_control") {
      const { status = null, times } = JSON.parse(body || "{}");
      fault = { status, times: times ?? Number.POSITIVE_INFINITY };
      return send(res, 200, { ok: true });
    }
    if (req.method === "GET" && req.url === "/_stats") return send(res, 200, stats);
    error(res, 404, `There is nothing at ${req.method} ${req.url}`);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.STANDIN_PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
