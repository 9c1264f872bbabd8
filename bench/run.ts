// `npm run bench` runs bench/publish.ts; `npm run bench -- serve` runs bench/serve.ts.
const BENCHES = ["publish", "serve"] as const;
const bench = process.argv[2] ?? "publish";
if (!(BENCHES as readonly string[]).includes(bench)) {
  console.error(`Unknown bench "${bench}": choose one of ${BENCHES.join(", ")}.`);
  process.exit(2);
}
await import(`./${bench}.ts`);

export {};
