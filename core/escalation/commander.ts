import type { Actor } from "../actions/context.ts";

/** Who commands an incident an actor opens: the actor when a person, else nobody (a token, the automation). */
export function commanderOf(actor: Actor): string | null {
  return actor.kind === "person" ? actor.id : null;
}

/** A person's id as the API takes it: what `people.id` holds (12 lowercase base36 characters). */
export const PERSON_ID = /^[0-9a-z]{1,64}$/;
