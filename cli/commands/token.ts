import { createTokenRoute, listTokensRoute, revokeTokenRoute } from "../../api/routes/tokens.ts";
import { systemClock } from "../../core/actions/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { listTokens, type TokenSummary } from "../../core/tokens/list-tokens.ts";
import { revokeToken } from "../../core/tokens/revoke-token.ts";
import { loadConfig } from "../../server/config.ts";
import { openDatabase } from "../../server/database.ts";
import { type CliContext, type CommandGroup, requiredPositional, stringOption, table } from "../command.ts";

/**
 * Without Herald's address, token commands write to the database directly (no running Herald, no token
 * needed: how the first tokens are made), as the system actor; with `--url` or `HERALD_URL` they call
 * the API with `HERALD_TOKEN` (an admin's), so a remote or Workers deployment is managed the same way.
 */
async function withDatabase<T>(use: (ctx: ActionContext) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig());
  try {
    return await use({ db, clock: systemClock, actor: SYSTEM_ACTOR });
  } finally {
    db.$client.close();
  }
}

/** Revokes through the API (which answers 204) and reads the token back, as the local revoke returns it. */
async function revokeThroughApi(ctx: CliContext, id: string): Promise<TokenSummary> {
  const api = ctx.api();
  await api.run(revokeTokenRoute, { id });
  const token = (await api.run(listTokensRoute, {})).find((t) => t.id === id);
  if (!token) throw new Error(`Token ${id} was revoked but is no longer listed.`);
  return token;
}

function tokenRows(tokens: TokenSummary[]): string {
  if (tokens.length === 0) return "No API tokens yet: `herald token create --role admin --name NAME`.";
  return table(
    tokens.map((t) => [
      t.id,
      t.role,
      t.revoked_at ? `revoked ${t.revoked_at}` : "active",
      t.last_used_at ? `last used ${t.last_used_at}` : "never used",
      `${t.name}${t.from_environment ? "  (HERALD_ADMIN_TOKEN)" : ""}`,
    ]),
  );
}

const revokeUsage = "token revoke ID";

export const tokenGroup: CommandGroup = {
  name: "token",
  summary:
    "API tokens: create, list, revoke (through the API with --url or HERALD_URL, else in the database at DATABASE_URL directly).",
  commands: [
    {
      name: "create",
      usage: "token create --role ROLE --name NAME",
      summary: "Create an API token; its secret is shown once.",
      options: {
        role: { type: "string", value: "ROLE", description: "admin, commander or viewer" },
        name: { type: "string", value: "NAME", description: "who or what uses it" },
      },
      fieldOptions: { role: "--role", name: "--name" },
      async run(ctx, { values }) {
        const input = { role: stringOption(values, "role") ?? "", name: stringOption(values, "name") ?? "" };
        const created = ctx.remote
          ? await ctx.api().run(createTokenRoute, input)
          : await withDatabase((c) => run(c, createToken, input));
        ctx.print(
          created,
          (t) => `Created ${t.role} token "${t.name}" (id ${t.id}). It is shown only once:\n\n  ${t.token}\n`,
        );
        return 0;
      },
    },
    {
      name: "list",
      usage: "token list",
      summary: "List API tokens (never their secrets).",
      async run(ctx) {
        ctx.print(
          ctx.remote ? await ctx.api().run(listTokensRoute, {}) : await withDatabase((c) => run(c, listTokens, {})),
          tokenRows,
        );
        return 0;
      },
    },
    {
      name: "revoke",
      usage: revokeUsage,
      summary: "Revoke an API token at once: its next request is refused.",
      async run(ctx, parsed) {
        const id = requiredPositional(parsed, 0, "the token's id (see `herald token list`)", revokeUsage);
        const token = ctx.remote
          ? await revokeThroughApi(ctx, id)
          : (await withDatabase((c) => run(c, revokeToken, { id }))).token;
        ctx.print(token, (t) => `Revoked ${t.role} token "${t.name}" (id ${t.id}) at ${t.revoked_at}.`);
        return 0;
      },
    },
  ],
};
