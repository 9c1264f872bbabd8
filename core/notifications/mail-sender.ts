import type { PageRow } from "../model/rows.ts";
import { headerAddress, headerText } from "./email/header-text.ts";
/** From: the sender name and address of the page settings when set, else the page's name and MAIL_FROM. */
export function mailSender(
  page: PageRow,
  mailFrom: string | undefined,
  host: string,
): { name: string; address: string } {
  return {
    name: headerText(page.senderName ?? page.name),
    address: senderAddress(page.senderAddress ?? mailFrom, host),
  };
}

function senderAddress(mailFrom: string | undefined, host: string): string {
  const configured = mailFrom?.match(/<([^>]+)>/)?.[1] ?? mailFrom;
  const address = configured ? headerAddress(configured) : "";
  return address.includes("@") ? address : `no-reply@${host}`;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
