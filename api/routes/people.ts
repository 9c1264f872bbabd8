import { z } from "zod";
import { changePersonRole } from "../../core/people/change-role.ts";
import { invitePerson } from "../../core/people/invite-person.ts";
import { listPeople, teamSchema } from "../../core/people/list-people.ts";
import { listPersonPasskeys, personPasskeysSchema, removePersonPasskey } from "../../core/people/passkeys/manage.ts";
import { personMailLog, personMailLogSchema } from "../../core/people/person-mail-log.ts";
import {
  endPersonSession,
  listPersonSessions,
  personSessionsSchema,
  signPersonOutEverywhere,
} from "../../core/people/person-sessions.ts";
import { removePerson } from "../../core/people/remove-person.ts";
import { revokeInvitation } from "../../core/people/revoke-invitation.ts";
import { invitationSummarySchema, personSummarySchema } from "../../core/people/schemas.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "people";

export const listPeopleRoute = operationRoute(listPeople, {
  method: "get",
  path: "/api/people",
  summary: "List the team: its people and open invitations",
  tag,
  status: 200,
  response: teamSchema,
  respond: (team) => team,
  responseDescription: "people (oldest first, removed ones left out) and invitations still open (never their links)",
});

export const invitePersonRoute = operationRoute(invitePerson, {
  method: "post",
  path: "/api/people/invitations",
  summary: "Invite someone by email (a single-use link valid for 7 days is mailed to them)",
  tag,
  status: 201,
  response: invitationSummarySchema,
  respond: (invitation) => invitation,
  responseDescription: "the invitation; its link goes only to the invited address",
});

export const revokeInvitationRoute = operationRoute(revokeInvitation, {
  method: "delete",
  path: "/api/people/invitations/{id}",
  summary: "Withdraw an invitation (its link stops working at once)",
  tag,
  status: 204,
  responseDescription: "withdrawn (or already accepted or withdrawn: nothing changed)",
});

export const changePersonRoleRoute = operationRoute(changePersonRole, {
  method: "patch",
  path: "/api/people/{id}",
  summary: "Change a person's role (not your own; the last admin stays one)",
  tag,
  status: 200,
  response: personSummarySchema,
  respond: (person) => person,
  responseDescription: "the person with their new role",
});

export const removePersonRoute = operationRoute(removePerson, {
  method: "delete",
  path: "/api/people/{id}",
  summary: "Remove a person: their console sessions end at once (the last admin stays)",
  tag,
  status: 204,
  responseDescription: "removed: their next console request signs them out",
});

export const listPersonSessionsRoute = operationRoute(listPersonSessions, {
  method: "get",
  path: "/api/people/{id}/sessions",
  summary: "Where a person is signed in to the console",
  tag,
  status: 200,
  response: personSessionsSchema,
  respond: (listed) => listed,
  responseDescription: "their live sessions, newest first (an id each, never the cookie)",
});

export const endPersonSessionRoute = operationRoute(endPersonSession, {
  method: "delete",
  path: "/api/people/{id}/sessions/{session_id}",
  summary: "End one of a person's console sessions (its next request signs it out)",
  tag,
  status: 204,
  responseDescription: "ended",
});

export const signPersonOutEverywhereRoute = operationRoute(signPersonOutEverywhere, {
  method: "delete",
  path: "/api/people/{id}/sessions",
  summary: "Sign a person out everywhere: every console session of theirs ends at once",
  tag,
  status: 200,
  response: z.strictObject({ ended: z.number().int().describe("how many sessions ended") }),
  respond: (result) => result,
  responseDescription: "how many sessions ended (0: they were signed in nowhere)",
});

export const listPersonPasskeysRoute = operationRoute(listPersonPasskeys, {
  method: "get",
  path: "/api/people/{id}/passkeys",
  summary: "A person's passkeys",
  tag,
  status: 200,
  response: personPasskeysSchema,
  respond: (listed) => listed,
  responseDescription: "their passkeys, oldest first (never the public key)",
});

export const removePersonPasskeyRoute = operationRoute(removePersonPasskey, {
  method: "delete",
  path: "/api/people/{id}/passkeys/{passkey_id}",
  summary: "Remove a person's passkey: it no longer signs them in",
  tag,
  status: 204,
  responseDescription: "removed",
});

export const personMailLogRoute = operationRoute(personMailLog, {
  method: "get",
  path: "/api/people/mail",
  summary: "The delivery log of mail to people: invitations and sign-in links, to whom, and how each went",
  tag,
  status: 200,
  response: personMailLogSchema,
  respond: (log) => log,
  responseDescription: "each mail's recipient (and their name on the team), state, attempts and the server's reply",
});

export const peopleRoutes: AdminRoute[] = [
  listPeopleRoute,
  personMailLogRoute,
  invitePersonRoute,
  revokeInvitationRoute,
  changePersonRoleRoute,
  removePersonRoute,
  listPersonSessionsRoute,
  endPersonSessionRoute,
  signPersonOutEverywhereRoute,
  listPersonPasskeysRoute,
  removePersonPasskeyRoute,
];
