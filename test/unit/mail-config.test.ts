import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";

const env = (vars: Record<string, string>) => ({ HERALD_DATA: "/tmp/herald-mail-config", ...vars });

describe("mail settings read at start", () => {
  it("defaults: files without SMTP_URL, a pool of 5 with it, 30 days of delivery rows", () => {
    expect(loadConfig(env({})).mail).toEqual({
      transport: { kind: "files" },
      webhookSecret: undefined,
      deliveryRetentionMs: 30 * 86_400_000,
    });
    expect(loadConfig(env({ SMTP_URL: "smtp://mx.example.test:587" })).mail.transport).toEqual({
      kind: "smtp",
      url: "smtp://mx.example.test:587",
      maxConnections: 5,
      ratePerSecond: undefined,
    });
  });

  it("SMTP pool size and rate, Resend with its key, URL and concurrency, another retention", () => {
    const smtp = loadConfig(
      env({ SMTP_URL: "smtp://mx.example.test", SMTP_POOL_CONNECTIONS: "12", SMTP_RATE_PER_SECOND: "50" }),
    );
    expect(smtp.mail.transport).toMatchObject({ kind: "smtp", maxConnections: 12, ratePerSecond: 50 });
    const resend = loadConfig(
      env({ MAIL_TRANSPORT: "resend", RESEND_API_KEY: "re_123", MAIL_CONCURRENCY: "8", DELIVERY_RETENTION: "7d" }),
    );
    expect(resend.mail).toMatchObject({
      transport: { kind: "resend", apiKey: "re_123", apiUrl: "https://api.resend.com", concurrency: 8 },
      deliveryRetentionMs: 7 * 86_400_000,
    });
    expect(loadConfig(env({ DELIVERY_RETENTION: "off" })).mail.deliveryRetentionMs).toBe(0);
  });

  it("a wrong value stops the start with a sentence saying what is wanted", () => {
    expect(() => loadConfig(env({ MAIL_TRANSPORT: "resend" }))).toThrow(/needs RESEND_API_KEY/);
    expect(() => loadConfig(env({ MAIL_TRANSPORT: "smtp" }))).toThrow(/needs SMTP_URL/);
    expect(() => loadConfig(env({ MAIL_TRANSPORT: "postmark" }))).toThrow(/must be smtp or resend/);
    expect(() => loadConfig(env({ SMTP_URL: "smtp://a", SMTP_POOL_CONNECTIONS: "0" }))).toThrow(
      /SMTP_POOL_CONNECTIONS must be a whole number of at least 1, not "0"/,
    );
    expect(() => loadConfig(env({ RESEND_WEBHOOK_SECRET: "hunter2" }))).toThrow(/whsec_/);
    expect(() => loadConfig(env({ DELIVERY_RETENTION: "a month" }))).toThrow(/DELIVERY_RETENTION must be a duration/);
  });
});
