import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../jobs/notify/sender/group-commit.ts";
import type { Outcome } from "../../jobs/notify/sender/outcome.ts";
import { SendWindow } from "../../jobs/notify/sender/send-window.ts";
import { WakeUp } from "../../jobs/notify/sender/wake-up.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sent(id: string, subscriberId = `s-${id}`, endsFailureRun = false): Outcome {
  return {
    kind: "sent",
    id,
    eventId: "e",
    subscriberId,
    channel: "email",
    reply: "250",
    messageId: id,
    endsFailureRun,
  };
}
function retry(id: string, subscriberId: string): Outcome {
  return { kind: "retry", id, eventId: "e", subscriberId, channel: "email", attempts: 1, next: "", reply: "451" };
}

function recorder(failures = 0) {
  const writes: Outcome[][] = [];
  const logged: string[] = [];
  let failing = failures;
  const commit = new GroupCommit(
    async (outcomes) => {
      if (failing-- > 0) throw new Error("database is locked");
      writes.push(outcomes);
    },
    { max: 3, ms: 20 },
    (message) => logged.push(message),
  );
  return { commit, writes, logged };
}

describe("the sender's group commit", () => {
  it("writes once `max` outcomes wait, in one write", async () => {
    const { commit, writes } = recorder();
    commit.add(sent("a"));
    commit.add(sent("b"));
    commit.add(sent("c"));
    await sleep(5);
    expect(writes.map((w) => w.map((o) => o.id))).toEqual([["a", "b", "c"]]);
  });

  it("writes fewer `ms` after the first, and the rest on drain", async () => {
    const { commit, writes } = recorder();
    commit.add(sent("a"));
    await sleep(60);
    expect(writes.map((w) => w.map((o) => o.id))).toEqual([["a"]]);
    commit.add(sent("b"));
    await commit.drain();
    expect(writes.map((w) => w.map((o) => o.id))).toEqual([["a"], ["b"]]);
  });

  it("keeps the outcomes of a failed write and writes them with the next ones", async () => {
    const { commit, writes, logged } = recorder(1);
    commit.add(sent("a"));
    commit.add(sent("b"));
    commit.add(sent("c"));
    await sleep(5);
    commit.add(sent("d"));
    await sleep(700);
    expect(logged).toEqual(["Herald: could not record delivery results; retrying."]);
    expect(writes.flat().map((o) => o.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("a success after a failure this sender saw ends the failure run, whatever the leased row said", async () => {
    const { commit, writes } = recorder();
    commit.add(retry("a", "reader"));
    commit.add(sent("b", "reader"));
    commit.add(sent("c", "other"));
    await commit.drain();
    const [written] = writes;
    expect(written?.map((o) => (o.kind === "sent" ? o.endsFailureRun : o.kind))).toEqual(["retry", true, false]);
  });
});

describe("the sender's wake-up", () => {
  it("sleeps until poked, and a poke while awake makes the next wait return at once", async () => {
    const wakeUp = new WakeUp();
    const started = Date.now();
    const waiting = wakeUp.wait(10_000);
    wakeUp.poke();
    await waiting;
    wakeUp.poke();
    await wakeUp.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    const slept = Date.now();
    await wakeUp.wait(30);
    expect(Date.now() - slept).toBeGreaterThanOrEqual(25);
  });
});

describe("the sender's window", () => {
  it("leases only when a step is free, and hands each outcome over as its send settles", async () => {
    const window = new SendWindow(100);
    expect(window.roomToLease()).toBe(100);
    const settled: string[] = [];
    const releases: (() => void)[] = [];
    for (let i = 0; i < 60; i++)
      window.add(new Promise<Outcome>((resolve) => releases.push(() => resolve(sent(String(i))))), (outcome) =>
        settled.push(outcome.id),
      );
    expect(window.roomToLease()).toBe(0);
    expect(window.nearlyFull()).toBe(true);
    for (const release of releases.slice(0, 20)) release();
    await sleep(0);
    expect(window.inFlight).toBe(40);
    expect(window.roomToLease()).toBe(60);
    expect(window.nearlyFull()).toBe(false);
    for (const release of releases.slice(20)) release();
    await window.settled();
    expect(settled).toHaveLength(60);
  });
});
