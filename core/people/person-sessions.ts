import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { consoleSessions, people } from "../../db/schema.ts";
import type { Actor } from "../actions/context.ts";
import { defineAction, defineQuery, type Outcome } from "../actions/define.ts";
import { forbidden, notFound } from "../actions/errors.ts";
import type { Change } from "../changes/commit.ts";
import { sessionIdOf } from "../console/sessions.ts";
import { describeUserAgent } from "../console/user-agent.ts";
import { type PersonRow, requirePerson } from "./load-person.ts";

/** A person's live console session as they and admins see it: never the cookie, nor its hash. */
export const personSessionSchema = z.strictObject({
  id: z.string().describe("the session's id (not its cookie): what ending it names"),
  created_at: z.string().describe("when they signed in"),
  last_seen_at: z.string().nullable().describe("their last request, to within 5 minutes"),
  expires_at: z.string(),
  user_agent: z.string().nullable().describe("the browser's User-Agent at sign-in, cut short"),
  device: z.string().nullable().describe('the browser and system it names, like "Firefox 128 on Windows"'),
});
export type PersonSession = z.output<typeof personSessionSchema>;

export const personSessionsSchema = z.strictObject({ sessions: z.array(personSessionSchema) });

type LiveSession = PersonSession & { idHash: string };

/** A person's live sessions, newest first. */
async function liveSessions(db: Db, now: Date, personId: string): Promise<LiveSession[]> {
  const rows = await db
    .select()
    .from(consoleSessions)
    .where(and(eq(consoleSessions.personId, personId), gt(consoleSessions.expiresAt, now.toISOString())))
    .orderBy(desc(consoleSessions.createdAt), desc(consoleSessions.idHash));
  return rows.map((row) => ({
    idHash: row.idHash,
    id: sessionIdOf(row.idHash),
    created_at: row.createdAt,
    last_seen_at: row.lastSeenAt,
    expires_at: row.expiresAt,
    user_agent: row.userAgent,
    device: describeUserAgent(row.userAgent),
  }));
}

const shown = ({ idHash: _hidden, ...session }: LiveSession): PersonSession => session;

/** The person a self-service action acts on: the one signed in, never a token (a token has no sessions or passkeys). */
export function ownPersonId(actor: Actor): string {
  if (actor.kind !== "person") {
    throw forbidden("Only a person signed in as themselves has sessions and passkeys; a token has none.");
  }
  return actor.id;
}

const personId = z.string().describe("the person's id");
const sessionId = z.string().describe("the session's id, as listed");

async function loadSessions(db: Db, now: Date, id: string) {
  const [person] = await db
    .select()
    .from(people)
    .where(and(eq(people.id, id), isNull(people.removedAt)));
  return { db, person, sessions: person ? await liveSessions(db, now, id) : [] };
}

type LoadedSessions = Awaited<ReturnType<typeof loadSessions>>;

function endSessionsChange(db: Db, person: PersonRow, ended: LiveSession[], action: string): Change {
  return {
    statements: [
      db.delete(consoleSessions).where(
        and(
          eq(consoleSessions.personId, person.id),
          inArray(
            consoleSessions.idHash,
            ended.map((s) => s.idHash),
          ),
        ),
      ),
    ],
    audit: {
      action,
      targetType: "person",
      targetId: person.id,
      details: { name: person.name, sessions: ended.map((s) => ({ id: s.id, device: s.device ?? s.user_agent })) },
    },
    jobs: [],
  };
}

function planEndSession(
  { db, person, sessions }: LoadedSessions,
  id: string,
  sessionIdWanted: string,
): Outcome<{ outcome: "ended" }> {
  const found = requirePerson(person, id);
  const session = sessions.find((s) => s.id === sessionIdWanted);
  if (!session) throw notFound(`${found.name} has no live session with id "${sessionIdWanted}".`);
  return { changes: [endSessionsChange(db, found, [session], "person.end_session")], result: { outcome: "ended" } };
}

function planSignOutEverywhere(
  { db, person, sessions }: LoadedSessions,
  id: string,
  keep?: string,
): Outcome<{ ended: number }> {
  const found = requirePerson(person, id);
  const ending = sessions.filter((s) => s.id !== keep);
  if (ending.length === 0) return { changes: [], result: { ended: 0 } };
  return {
    changes: [endSessionsChange(db, found, ending, "person.sign_out_everywhere")],
    result: { ended: ending.length },
  };
}

/** An admin sees where a person is signed in. */
export const listPersonSessions = defineQuery({
  name: "person.sessions",
  role: "admin",
  doing: "see where other people are signed in",
  input: z.object({ id: personId }).strict(),
  async read(ctx, { id }, now) {
    const { person, sessions } = await loadSessions(ctx.db, now, id);
    requirePerson(person, id);
    return { sessions: sessions.map(shown) };
  },
});

/** A person sees where they are signed in. */
export const listOwnSessions = defineQuery({
  name: "person.own_sessions",
  role: "viewer",
  doing: "see where they are signed in",
  input: z.object({}).strict(),
  async read(ctx, _input, now) {
    const { sessions } = await loadSessions(ctx.db, now, ownPersonId(ctx.actor));
    return { sessions: sessions.map(shown) };
  },
});

/** An admin ends one of a person's sessions: its next request signs it out. */
export const endPersonSession = defineAction({
  name: "person.end_session",
  role: "admin",
  doing: "end other people's sessions",
  input: z.object({ id: personId, session_id: sessionId }).strict(),
  load: (ctx, { id }, now) => loadSessions(ctx.db, now, id),
  plan: (loaded, { id, session_id }) => planEndSession(loaded, id, session_id),
});

/** A person ends one of their own sessions (a browser they left signed in). */
export const endOwnSession = defineAction({
  name: "person.end_own_session",
  role: "viewer",
  doing: "end their sessions",
  input: z.object({ session_id: sessionId }).strict(),
  load: async (ctx, _input, now) => ({
    ...(await loadSessions(ctx.db, now, ownPersonId(ctx.actor))),
    id: ctx.actor.id,
  }),
  plan: (loaded, { session_id }) => planEndSession(loaded, loaded.id, session_id),
});

/** An admin signs a person out everywhere at once (a lost laptop): every session of theirs ends. */
export const signPersonOutEverywhere = defineAction({
  name: "person.sign_out_everywhere",
  role: "admin",
  doing: "sign other people out",
  input: z.object({ id: personId }).strict(),
  load: (ctx, { id }, now) => loadSessions(ctx.db, now, id),
  plan: (loaded, { id }) => planSignOutEverywhere(loaded, id),
});

/** A person signs out everywhere else: every session of theirs but the one asking ends. */
export const signOutEverywhereElse = defineAction({
  name: "person.sign_out_elsewhere",
  role: "viewer",
  doing: "sign out of their other sessions",
  input: z.object({ keep_session_id: sessionId.optional().describe("the session to keep (the one asking)") }).strict(),
  load: async (ctx, _input, now) => ({
    ...(await loadSessions(ctx.db, now, ownPersonId(ctx.actor))),
    id: ctx.actor.id,
  }),
  plan: (loaded, { keep_session_id }) => planSignOutEverywhere(loaded, loaded.id, keep_session_id),
});
