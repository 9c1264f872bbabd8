// What building one subscriber's mail costs in a fan-out: one event's view loaded once, then buildEmail
// for 1,000 subscribers (and, for scale, nodemailer's MIME composition of the same messages).
// Run: `npx tsx bench/mail-build.ts [subscribers]`.
import { performance } from "node:perf_hooks";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { buildEmail } from "../core/notifications/email/build-email.ts";
import { loadMailView } from "../core/notifications/mail-view.ts";
import { createTestDb } from "../test/helpers/database.ts";
import { mailFixtures } from "../test/helpers/mail-fixtures.ts";

const count = Number(process.argv[2] ?? 1000);
const testDb = await createTestDb();
try {
  const fixtures = await mailFixtures(testDb.db);
  const subscribers = Array.from({ length: count }, (_, i) => ({
    id: `sub${i.toString(36).padStart(9, "0")}`,
    address: `subscriber${i}@example.com`,
    ownerEmail: null,
  }));
  const linksOf = (id: string) => ({
    preferences: `https://status.acme.test/subscribe/manage?token=${id}.signature-of-43-characters-xxxxxxxxxxxxxxxx`,
    unsubscribe: `https://status.acme.test/subscribe/unsubscribe?token=${id}.signature-of-43-characters-xxxxxxxxxxxxxxxx`,
  });

  let start = performance.now();
  const view = await loadMailView(testDb.db, fixtures.events["incident.updated"], { mailFrom: "status@acme.test" });
  const loadMs = performance.now() - start;
  if (!view) throw new Error("no view");

  for (const s of subscribers.slice(0, 50)) buildEmail(view, s, linksOf(s.id)); // warm up
  start = performance.now();
  const messages = subscribers.map((s) => buildEmail(view, s, linksOf(s.id)));
  const buildMs = performance.now() - start;

  start = performance.now();
  let bytes = 0;
  for (const message of messages) bytes += (await new MailComposer(message).compile().build()).length;
  const mimeMs = performance.now() - start;

  console.log(`loadMailView (once per event): ${loadMs.toFixed(1)} ms`);
  console.log(`buildEmail × ${count}: ${buildMs.toFixed(1)} ms, ${(buildMs / count).toFixed(3)} ms per mail`);
  console.log(
    `MailComposer MIME × ${count} (for scale): ${mimeMs.toFixed(1)} ms, ${(mimeMs / count).toFixed(3)} ms per mail, ${Math.round(bytes / count)} bytes each`,
  );
} finally {
  await testDb.cleanup();
}
