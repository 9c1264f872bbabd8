import { beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi();
});

describe("single sign-on settings", () => {
  it("start with no domain admitted and new people as viewers", async () => {
    const { status, body } = await api.request("GET", "/api/sso", { as: "admin" });
    expect(status).toBe(200);
    expect(body).toEqual({ domains: [], default_role: "viewer" });
  });

  it("an admin admits domains (normalized, once each) and sets the role; the audit log keeps both sides", async () => {
    const { status, body } = await api.request("PATCH", "/api/sso", {
      as: "admin",
      json: { domains: ["Example.com", "@acme.test", "example.com"], default_role: "commander" },
    });
    expect(status).toBe(200);
    expect(body).toEqual({ domains: ["acme.test", "example.com"], default_role: "commander" });
    const audit = await api.request<{ action: string; details: Record<string, unknown> }[]>("GET", "/api/audit", {
      as: "admin",
    });
    expect(audit.body.find((entry) => entry.action === "sso.update")?.details).toEqual({
      from: { domains: [], default_role: "viewer" },
      to: { domains: ["acme.test", "example.com"], default_role: "commander" },
    });
  });

  it("something that is not a domain is refused, naming it, and nothing changes", async () => {
    for (const domain of ["https://example.com", "example.com/path", "ada@example.com", "localhost", "exa mple.com"]) {
      const { status, body } = await api.request("PATCH", "/api/sso", {
        as: "admin",
        json: { domains: [domain] },
      });
      expect(status, domain).toBe(422);
      expect(JSON.stringify(body)).toContain("not a domain");
    }
    const { body } = await api.request("GET", "/api/sso", { as: "admin" });
    expect(body).toEqual({ domains: ["acme.test", "example.com"], default_role: "commander" });
  });

  it("only an admin reads or changes them; an SSO default role cannot be automation", async () => {
    expect((await api.request("GET", "/api/sso", { as: "commander" })).status).toBe(403);
    expect((await api.request("PATCH", "/api/sso", { as: "commander", json: { domains: [] } })).status).toBe(403);
    expect((await api.request("PATCH", "/api/sso", { as: "admin", json: { default_role: "automation" } })).status).toBe(
      422,
    );
  });
});
