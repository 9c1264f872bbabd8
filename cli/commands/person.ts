import {
  changePersonRoleRoute,
  endPersonSessionRoute,
  invitePersonRoute,
  listPeopleRoute,
  listPersonPasskeysRoute,
  listPersonSessionsRoute,
  removePersonPasskeyRoute,
  removePersonRoute,
  signPersonOutEverywhereRoute,
} from "../../api/routes/people.ts";
import type { PersonSummary } from "../../core/people/schemas.ts";
import {
  type CliContext,
  type CommandGroup,
  type Parsed,
  requiredOption,
  requiredPositional,
  stringOption,
  table,
  UsageError,
} from "../command.ts";

/** A person named by id or by email address (any case), as `herald person list` shows them. */
async function findPerson(ctx: CliContext, parsed: Parsed, usage: string): Promise<PersonSummary> {
  const named = requiredPositional(parsed, 0, "the person's id or email address", usage);
  const { people } = await ctx.api().run(listPeopleRoute, {});
  const person = people.find((p) => p.id === named || p.email === named.trim().toLowerCase());
  if (!person) throw new UsageError(`Nobody on the team is "${named}": see \`herald person list\`.`);
  return person;
}

const usages = {
  invite: "person invite --email ADDRESS --role ROLE",
  role: "person role PERSON --role ROLE",
  remove: "person remove PERSON",
  sessions: "person sessions PERSON",
  signOut: "person sign-out PERSON [--session ID]",
  passkeys: "person passkeys PERSON",
  removePasskey: "person remove-passkey PERSON PASSKEY_ID",
};

export const personGroup: CommandGroup = {
  name: "person",
  summary: "The team's people: list, invite, change a role, remove; their sessions and passkeys (admin token).",
  commands: [
    {
      name: "list",
      usage: "person list",
      summary: "People on the team and the invitations still open.",
      async run(ctx) {
        ctx.print(await ctx.api().run(listPeopleRoute, {}), ({ people, invitations }) =>
          [
            people.length === 0
              ? "Nobody on the team yet: `herald person invite --email ADDRESS --role admin`."
              : table(people.map((p) => [p.id, p.role, p.email, p.name])),
            ...(invitations.length > 0
              ? ["", "Invited:", table(invitations.map((i) => [i.id, i.role, i.email, `expires ${i.expires_at}`]))]
              : []),
          ].join("\n"),
        );
        return 0;
      },
    },
    {
      name: "invite",
      usage: usages.invite,
      summary: "Invite someone: a link that works once, for 7 days, is mailed to them.",
      options: {
        email: { type: "string", value: "ADDRESS", description: "their email address" },
        role: { type: "string", value: "ROLE", description: "viewer, commander or admin" },
      },
      fieldOptions: { email: "--email", role: "--role" },
      async run(ctx, { values }) {
        const invited = await ctx.api().run(invitePersonRoute, {
          email: requiredOption(values, "email", usages.invite),
          role: requiredOption(values, "role", usages.invite),
        });
        ctx.print(invited, (i) => `Invited ${i.email} as ${i.role} (invitation ${i.id}, expires ${i.expires_at}).`);
        return 0;
      },
    },
    {
      name: "role",
      usage: usages.role,
      summary: "Change a person's role (not your own; the last admin stays one).",
      options: { role: { type: "string", value: "ROLE", description: "viewer, commander or admin" } },
      fieldOptions: { role: "--role" },
      async run(ctx, parsed) {
        const person = await findPerson(ctx, parsed, usages.role);
        const role = requiredOption(parsed.values, "role", usages.role);
        const changed = await ctx.api().run(changePersonRoleRoute, { id: person.id, role });
        ctx.print(changed, (p) => `${p.name} (${p.email}) is now ${p.role}.`);
        return 0;
      },
    },
    {
      name: "remove",
      usage: usages.remove,
      summary: "Remove a person: their console sessions end at once (the last admin stays).",
      async run(ctx, parsed) {
        const person = await findPerson(ctx, parsed, usages.remove);
        await ctx.api().run(removePersonRoute, { id: person.id });
        ctx.print({ removed: person.id }, () => `Removed ${person.name} (${person.email}); their sessions ended.`);
        return 0;
      },
    },
    {
      name: "sessions",
      usage: usages.sessions,
      summary: "Where a person is signed in to the console.",
      async run(ctx, parsed) {
        const person = await findPerson(ctx, parsed, usages.sessions);
        ctx.print(await ctx.api().run(listPersonSessionsRoute, { id: person.id }), ({ sessions }) =>
          sessions.length === 0
            ? `${person.name} is signed in nowhere.`
            : table(
                sessions.map((s) => [
                  s.id,
                  s.device ?? s.user_agent ?? "unknown browser",
                  `signed in ${s.created_at}`,
                  s.last_seen_at ? `last seen ${s.last_seen_at}` : "",
                ]),
              ),
        );
        return 0;
      },
    },
    {
      name: "sign-out",
      usage: usages.signOut,
      summary: "End one of a person's sessions (--session), or all of them: they are signed out at once.",
      options: { session: { type: "string", value: "ID", description: "one session, as `person sessions` lists it" } },
      async run(ctx, parsed) {
        const person = await findPerson(ctx, parsed, usages.signOut);
        const session = stringOption(parsed.values, "session");
        if (session !== undefined) {
          await ctx.api().run(endPersonSessionRoute, { id: person.id, session_id: session });
          ctx.print({ ended: 1 }, () => `Ended ${person.name}'s session ${session}.`);
        } else {
          const { ended } = await ctx.api().run(signPersonOutEverywhereRoute, { id: person.id });
          ctx.print({ ended }, () => `Signed ${person.name} out everywhere (${ended} session(s) ended).`);
        }
        return 0;
      },
    },
    {
      name: "passkeys",
      usage: usages.passkeys,
      summary: "A person's passkeys.",
      async run(ctx, parsed) {
        const person = await findPerson(ctx, parsed, usages.passkeys);
        ctx.print(await ctx.api().run(listPersonPasskeysRoute, { id: person.id }), ({ passkeys }) =>
          passkeys.length === 0
            ? `${person.name} has no passkeys.`
            : table(
                passkeys.map((p) => [
                  p.id,
                  p.name,
                  `added ${p.created_at}`,
                  p.last_used_at ? `last used ${p.last_used_at}` : "never used",
                ]),
              ),
        );
        return 0;
      },
    },
    {
      name: "remove-passkey",
      usage: usages.removePasskey,
      summary: "Remove a person's passkey (a lost phone): it no longer signs them in.",
      async run(ctx, parsed) {
        const person = await findPerson(ctx, parsed, usages.removePasskey);
        const passkey = requiredPositional(
          parsed,
          1,
          "the passkey's id (see `herald person passkeys`)",
          usages.removePasskey,
        );
        await ctx.api().run(removePersonPasskeyRoute, { id: person.id, passkey_id: passkey });
        ctx.print({ removed: passkey }, () => `Removed ${person.name}'s passkey ${passkey}.`);
        return 0;
      },
    },
  ],
};
