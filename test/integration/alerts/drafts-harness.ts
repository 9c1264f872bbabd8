import type { ActionContext } from "../../../core/actions/context.ts";
import { createTestApi, PRIVATE_WEBHOOKS_ALLOWED, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { testDelivery } from "../../helpers/test-delivery.ts";
import { startWebhookReceiver } from "../../helpers/webhook-receiver.ts";

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * A Herald API with a component, the team address set, a real SMTP server, a real webhook receiver, the
 * sender delivering to both, and who is listening: a mail subscriber, a subscriber's webhook and the team's.
 */
export type DraftsHarness = {
  api: TestApi;
  /** The scheduler's context (the team address as HERALD_TEAM_EMAIL would give it). */
  scheduler: ActionContext;
  sink: SmtpSink;
  receiver: Receiver;
  apiComponent: string;
  /** Fans out every event not fanned out yet and waits until nothing is queued or sending. */
  deliverAll(): Promise<void>;
  /** Mails the SMTP server accepted, parsed. */
  mails(): Promise<{ to: string; subject: string; text: string }[]>;
  /** Webhook POSTs the receiver got on `path`, with their `herald.event`. */
  posts(path: string): { event: string | undefined; body: Record<string, unknown> }[];
  close(): Promise<void>;
};

export const TEAM_ADDRESS = "oncall@acme.test";

export async function startDraftsHarness(): Promise<DraftsHarness> {
  const api = await createTestApi(manualClock(new Date().toISOString()), PRIVATE_WEBHOOKS_ALLOWED);
  const sink = await startSmtpSink(api.dir, { raw: true });
  const receiver = await startWebhookReceiver();
  const ok = async <T>(path: string, json: unknown): Promise<T> => {
    const answer = await api.request<T>("POST", path, { as: "admin", json });
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const apiComponent = (await ok<{ id: string }>("/api/components", { name: "API" })).id;
  await api.request("PATCH", "/api/page", { as: "admin", json: { team_email: TEAM_ADDRESS } });
  await ok("/api/subscribers", { address: "reader@example.com" });
  const webhook = (path: string, team: boolean) =>
    ok("/api/webhooks", {
      url: receiver.url(path),
      format: "json",
      owner_email: "ops@acme.test",
      ...(team && { team }),
    });
  await webhook("/subscriber", false);
  await webhook("/team", true);
  const delivery = testDelivery(api, sink, { timeoutMs: 20_000 });
  return {
    api,
    scheduler: { ...contextFor(api.db, api.clock), settings: { teamEmail: TEAM_ADDRESS } },
    sink,
    receiver,
    apiComponent,
    deliverAll: () => delivery.deliver(),
    async mails() {
      return (await sink.mails()).map((m) => ({
        to: [m.to ?? []]
          .flat()
          .map((a) => a.text)
          .join(", "),
        subject: m.subject ?? "",
        text: m.text ?? "",
      }));
    },
    posts(path) {
      return receiver.received
        .filter((p) => p.path === path)
        .map((p) => {
          const body = JSON.parse(p.body) as Record<string, unknown>;
          const herald = body.herald as { event?: string } | undefined;
          return { event: herald?.event, body };
        });
    },
    async close() {
      await delivery.stop();
      await receiver.close();
      await sink.stop();
      await api.cleanup();
    },
  };
}
