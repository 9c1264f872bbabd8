import { describe, expect, it } from "vitest";
import { createExclusive, FollowUps } from "../../jobs/render/queue.ts";

/** A follow-up queue on a clock the test moves; `rendered` lists each turn's routes, `turns()` those that rendered any. */
function queue(timing = { quietMs: 250, maxDelayMs: 2_000 }) {
  let now = 0;
  const rendered: string[][] = [];
  const followUps: FollowUps = new FollowUps(
    createExclusive(),
    async () => {
      // Months are routes as soon as they are added; this batch has no component pages to choose.
      followUps.takeTopics();
      const due = followUps.due();
      rendered.push(due);
      followUps.done(due);
    },
    timing,
    () => now,
  );
  return {
    followUps,
    rendered,
    turns: () => rendered.filter((turn) => turn.length > 0),
    at: (ms: number) => {
      now = ms;
    },
  };
}

const month = (m: string) => [{ months: [m] }];

describe("follow-up pages wait until changes pause", () => {
  it("renders nothing while changes keep coming, then one page per turn once they pause", async () => {
    const { followUps, turns, at } = queue();
    followUps.add(month("2026-11"));
    await followUps.drain();
    at(100);
    followUps.add(month("2026-12"));
    await followUps.drain();
    expect(turns()).toEqual([]);
    at(400);
    await followUps.drain();
    expect(turns()).toEqual([["/history/2026-11/"], ["/history/2026-12/"]]);
    expect(followUps.pending()).toBe(false);
  });

  it("in a long burst, renders the pages pending for the longest delay once, one per turn", async () => {
    const { followUps, turns, at } = queue();
    followUps.add([{ months: ["2026-11", "2026-12"] }]);
    for (let t = 100; t < 2_000; t += 100) {
      at(t);
      followUps.add(month("2026-12"));
      await followUps.drain();
    }
    expect(turns()).toEqual([]);
    at(2_000);
    followUps.add(month("2026-10"));
    await followUps.drain();
    // The two pending since 0 are overdue, each its own turn (a change can come between them); the month
    // added now waits for the next pause.
    expect(turns()).toEqual([["/history/2026-11/"], ["/history/2026-12/"]]);
    expect(followUps.pending()).toBe(true);
  });

  it("renders everything at once for whoever waits for it (settled)", async () => {
    const { followUps, turns, at } = queue();
    followUps.add([{ months: ["2026-11", "2026-12"] }]);
    at(10);
    await followUps.settled();
    expect(turns()).toEqual([["/history/2026-11/"], ["/history/2026-12/"]]);
    expect(followUps.pending()).toBe(false);
  });

  it("drains on its own once the pause has passed (a timer, not the next change)", async () => {
    const { followUps, rendered, at } = queue({ quietMs: 20, maxDelayMs: 1_000 });
    followUps.add(month("2026-11"));
    await followUps.drain();
    at(25);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await followUps.settled();
    expect(rendered).toEqual([["/history/2026-11/"]]);
  });
});
