import type { PublicReads } from "../reads.ts";
import { onPage } from "../retirement.ts";
import { orderComponents } from "../statuspage.ts";
import { pageInfo } from "./shared.ts";
import type { SubscribePageView } from "./types.ts";

/** The subscribe form's data: every component and group one can choose, in page order (members after their group). */
export async function subscribePageView(reads: PublicReads): Promise<SubscribePageView> {
  const [page, all] = await Promise.all([pageInfo(reads), reads.components()]);
  return {
    page,
    choices: orderComponents(onPage(all)).map((c) => ({
      id: c.id,
      name: c.name,
      isGroup: c.isGroup,
      inGroup: c.groupId !== null,
    })),
  };
}
