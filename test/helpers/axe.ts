import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";

const AXE_SOURCE = await readFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** axe-core's violations on the page as `rule (nodes)`; the page must be opened with `bypassCSP`. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } })
      .axe;
    return (await axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}
