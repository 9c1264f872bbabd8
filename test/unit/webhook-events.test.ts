import { describe, expect, it } from "vitest";
import { WEBHOOK_KINDS, webhookEventOf } from "../../core/notifications/webhook/contract.ts";
import { webhooksOpenApi } from "../../core/notifications/webhook/openapi.ts";

type Described = { post: { description: string } };

describe("the webhook events in the OpenAPI document", () => {
  const { webhooks } = webhooksOpenApi();
  const described = (kind: (typeof WEBHOOK_KINDS)[number]) =>
    (webhooks[webhookEventOf(kind)] as Described).post.description;

  it("describes every event type a webhook receives", () => {
    for (const kind of WEBHOOK_KINDS) expect(described(kind)).toMatch(/^\S.+\. Sent to `json` webhooks/);
  });

  it("says a reopened incident comes from the reopen action, not from an update (which is refused)", () => {
    expect(described("incident.reopened")).toContain("POST /api/incidents/{id}/reopen");
    expect(described("incident.reopened")).not.toContain("by a new update");
  });
});
