/**
 * Findings the consistency check makes today that another branch of issue 19 fixes. The short run in
 * `npm test` tolerates only these (each finding names its bug); the soak reports them all. Delete an
 * entry once its branch is merged: the check then holds the fix.
 */
export const KNOWN_BUGS = {
  "events-of-one-tick-out-of-order": {
    branch: "none yet (reported in the consistency closing note; jobs/notify/sender.ts sends concurrently)",
    what: "two events about one maintenance from one tick (started, completed) can reach a subscriber completed first",
  },
} as const satisfies Record<string, { branch: string; what: string }>;

export type KnownBug = keyof typeof KNOWN_BUGS;
