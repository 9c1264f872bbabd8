import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HeraldError } from "../../core/actions/errors.ts";
import { parseIntake } from "../../core/alerts/sources/parse.ts";
import { hmacHex, pagerDutySignatureValid } from "../../core/alerts/sources/signature.ts";
import { cleanText, labelsFingerprint } from "../../core/alerts/sources/text.ts";

/** The senders' documented example payloads, as they publish them (test/fixtures/alerts/README.md). */
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), "utf8"));
}

function refusal(run: () => unknown): HeraldError {
  try {
    run();
  } catch (error) {
    if (error instanceof HeraldError) return error;
    throw error;
  }
  throw new Error("it was accepted");
}

describe("alert source payloads", () => {
  it("reads Alertmanager's documented v4 payload: fingerprint, status, severity, summary, link", () => {
    const parsed = parseIntake("alertmanager", fixture("alertmanager-v4.json"));
    expect(parsed.summary).toBe("1 alert (1 firing)");
    expect(parsed.alerts).toEqual([
      {
        fingerprint: "1a30ba71cca2921f",
        status: "firing",
        severity: "critical",
        summary: "BlackBox Probe Failure: https://server.example.org",
        labels: {
          alertname: "ProbeFailure",
          instance: "https://server.example.org",
          job: "http_checks",
          monitor: "master",
          severity: "critical",
        },
        annotations: {
          description: "Instance https://server.example.org has been down for over 5m. Job: http_checks",
          summary: "BlackBox Probe Failure: https://server.example.org",
        },
        url: "http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0\\u0026g0.tab=1",
        startsAt: "2023-02-06T13:08:45.828Z",
      },
    ]);
  });

  it("derives a missing Alertmanager fingerprint from the sorted labels, as Alertmanager does", () => {
    const payload = fixture("alertmanager-without-fingerprint.json") as { alerts: { labels: object }[] };
    const [alert] = parseIntake("alertmanager", payload).alerts;
    expect(alert?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(alert?.fingerprint).toBe(
      labelsFingerprint({ job: "prometheus24", instance: "localhost:9090", dc: "eu-west-1", alertname: "Test" }),
    );
    expect(alert?.severity).toBeNull();
    expect(alert?.summary).toBe("some description");
    // Alertmanager's own value for {} (hashNew): FNV-1a's offset basis.
    expect(labelsFingerprint({})).toBe("cbf29ce484222325");
  });

  it("reads Grafana's documented payload with its extras kept as annotations", () => {
    const parsed = parseIntake("grafana", fixture("grafana.json"));
    expect(parsed.alerts.map((a) => [a.fingerprint, a.status, a.summary])).toEqual([
      ["c6eadffa33fcdf37", "firing", "This alert was triggered for zone us-1"],
      ["bc97ff14869b13e3", "firing", "This alert was triggered for zone eu-1"],
    ]);
    expect(parsed.alerts[0]?.annotations).toMatchObject({
      values: "B=44.23943737541908, C=1",
      org_id: "1",
      silence_url: expect.stringContaining("https://play.grafana.org/alerting/silence/new"),
    });
    expect(parsed.alerts[0]?.annotations).not.toHaveProperty("dashboard_url");
    expect(parsed.alerts[0]?.url).toBe("https://play.grafana.org/alerting/1afz29v7z/edit");
  });

  it("reads PagerDuty's documented v3 incident event; resolved and other events too", () => {
    const documented = fixture("pagerduty-incident-priority-updated.json") as { event: Record<string, unknown> };
    const parsed = parseIntake("pagerduty", documented);
    expect(parsed.idempotencyKey).toBe("5ac64822-4adc-4fda-ade0-410becf0de4f");
    expect(parsed.alerts).toEqual([
      {
        fingerprint: "PGR0VU2",
        status: "firing",
        severity: "critical",
        summary: "A little bump in the road",
        labels: {
          incident_key: "d3640fbd41094207a1c11e58e46b1662",
          priority: "P1",
          service_id: "PF9KMXH",
          service_name: "API Service",
          source: "pagerduty",
          urgency: "high",
        },
        annotations: {
          incident_number: "2",
          incident_status: "triggered",
          pagerduty_event: "incident.priority_updated",
        },
        url: "https://acme.pagerduty.com/incidents/PGR0VU2",
        startsAt: "2020-04-09T15:16:27.000Z",
      },
    ]);
    const resolved = { event: { ...documented.event, event_type: "incident.resolved" } };
    expect(parseIntake("pagerduty", resolved).alerts[0]?.status).toBe("resolved");
    const service = parseIntake("pagerduty", fixture("pagerduty-service-updated.json"));
    expect(service.alerts).toEqual([]);
    expect(service.summary).toBe("service.updated: not about an incident's state, no alert");
  });

  it("reads the generic format and refuses a malformed one naming the fields", () => {
    const parsed = parseIntake("generic", {
      alerts: [{ status: "firing", summary: "API errors", labels: { service: "api" }, severity: "warning" }],
    });
    expect(parsed.alerts[0]).toMatchObject({
      status: "firing",
      severity: "warning",
      fingerprint: labelsFingerprint({ service: "api" }),
    });
    const error = refusal(() => parseIntake("generic", { alerts: [{ status: "burning", labels: {} }] }));
    expect(error.kind).toBe("invalid");
    expect(error.fieldErrors.map((e) => e.path)).toEqual(["alerts.0.status", "alerts.0.summary"]);
    expect(refusal(() => parseIntake("alertmanager", fixture("grafana.json"))).message).toContain('version "4"');
  });

  it("drops control characters and bidirectional overrides from a sender's text", () => {
    expect(cleanText("db\u0000 down\u202e", 100)).toBe("db down");
    const parsed = parseIntake("generic", {
      alerts: [{ status: "firing", summary: "evil\u001b[31m", labels: { "a\u0007": "b\u202ec" } }],
    });
    expect(parsed.alerts[0]?.summary).toBe("evil[31m");
    expect(parsed.alerts[0]?.labels).toEqual({ a: "bc" });
  });

  it("checks PagerDuty's signature over the raw body, any of several, v1 only", async () => {
    const body = new TextEncoder().encode('{"event":{}}');
    const good = await hmacHex("secret", body);
    expect(await pagerDutySignatureValid("secret", body, `v1=${good}`)).toBe(true);
    expect(await pagerDutySignatureValid("secret", body, `v1=${"0".repeat(64)},v1=${good}`)).toBe(true);
    expect(await pagerDutySignatureValid("secret", body, `v0=${good}`)).toBe(false);
    expect(await pagerDutySignatureValid("other", body, `v1=${good}`)).toBe(false);
    expect(await pagerDutySignatureValid("secret", body, undefined)).toBe(false);
  });
});
