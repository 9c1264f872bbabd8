/** "Acme status" for a page named "Acme", and "Acme Status" as it is: never "Acme Status status". */
export function statusTitle(pageName: string): string {
  return /\bstatus$/i.test(pageName.trim()) ? pageName : `${pageName} status`;
}
