import { defineConfig } from "vitest/config";

/**
 * The API integration suite, and every other file whose requests go through `createTestApi`, run once more
 * against the Worker in workerd on sqld (test/helpers/workerd-api.ts); their scheduler ticks, fan-outs and sends
 * run in Node against that sqld, as a runner beside the Worker would.
 */
const API_SUITE = [
  "test/integration/api/**/*.test.ts",
  "test/integration/scheduler/{maintenance,maintenance-templates,overdue-and-backfill,scheduled-openings,timed-updates}.test.ts",
  "test/integration/notify/{audiences,maintenance-reminder-mail}.test.ts",
  "test/integration/webhooks/{webhooks,payload-contract,chat-escaping}.test.ts",
  "test/integration/notifications/what-notifies.test.ts",
  "test/integration/{feeds-and-views,job-runner,json-rows,plan-and-commit,touched-reports}.test.ts",
  "test/e2e/hostile-text-output.test.ts",
  "test/integration/alerts/intake*.test.ts",
  "test/integration/alerts/{automation,automation-concurrency,rules}.test.ts",
  "test/integration/alerts/drafts*.test.ts",
  "test/integration/console/passkey-sign-in.test.ts",
  "test/integration/escalation/*.test.ts",
  "test/integration/people/{person-mail-delivery,token-owner}.test.ts",
];

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database; the e2e files start whole Herald processes, so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "workerd",
          include: API_SUITE,
          // It starts the built Node server and imports through it: no createTestApi, nothing of the Worker's.
          exclude: ["test/integration/api/subscriber-import-load.test.ts"],
          env: { HERALD_TEST_RUNTIME: "workerd" },
          // One sqld and one Worker per file, stopped after it.
          setupFiles: ["test/helpers/workerd-setup.ts"],
        },
      },
    ],
  },
});
