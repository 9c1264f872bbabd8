// `npm run bench` runs bench/publish.ts; `npm run bench -- serve` bench/serve.ts; `npm run bench -- fanout` bench/fanout.ts;
// `npm run bench -- edge` bench/edge.ts; `npm run bench -- publish-edge` bench/publish-edge.ts;
// `npm run bench -- fanout-provider` bench/fanout-provider.ts; `npm run bench -- intake` bench/intake.ts;
// `npm run bench -- alert-evaluation` bench/alert-evaluation.ts; `npm run bench -- review` bench/review.ts.
const BENCHES = [
  "publish",
  "serve",
  "fanout",
  "edge",
  "publish-edge",
  "fanout-provider",
  "intake",
  "alert-evaluation",
  "review",
] as const;
const bench = process.argv[2] ?? "publish";
if (!(BENCHES as readonly string[]).includes(bench)) {
  console.error(`Unknown bench "${bench}": choose one of ${BENCHES.join(", ")}.`);
  process.exit(2);
}
await import(`./${bench}.ts`);

export {};
