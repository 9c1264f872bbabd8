import { loadConfig } from "../../api/node/config.ts";
import { openDatabase } from "../../api/node/server.ts";
import { systemClock } from "../../core/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/context.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { listTokens, type TokenSummary } from "../../core/tokens/list-tokens.ts";
import { revokeToken } from "../../core/tokens/revoke-token.ts";
import { type CommandGroup, requiredPositional, stringOption, table } from "../command.ts";

/** Token commands write to the database directly (no running Herald, no token needed), as the system actor. */
async function withDatabase<T>(run: (ctx: ActionContext) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig());
  try {
    return await run({ db, clock: systemClock, actor: SYSTEM_ACTOR });
  } finally {
    db.$client.close();
  }
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
  summary: "API tokens (written to the database at DATABASE_URL directly): create, list, revoke.",
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
        const input = { role: stringOption(values, "role"), name: stringOption(values, "name") };
        const created = await withDatabase((c) => createToken(c, input));
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
        ctx.print(await withDatabase(listTokens), tokenRows);
        return 0;
      },
    },
    {
      name: "revoke",
      usage: revokeUsage,
      summary: "Revoke an API token at once: its next request is refused.",
      async run(ctx, parsed) {
        const id = requiredPositional(parsed, 0, "the token's id (see `herald token list`)", revokeUsage);
        const token = await withDatabase((c) => revokeToken(c, id));
        ctx.print(token, (t) => `Revoked ${t.role} token "${t.name}" (id ${t.id}) at ${t.revoked_at}.`);
        return 0;
      },
    },
  ],
};
