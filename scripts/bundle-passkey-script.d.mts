/** The passkey bundle's path, and what it should hold: the console's passkey script, bundled (a JSON text). */
export const PASSKEY_BUNDLE: string;
export function bundlePasskeyScript(): Promise<string>;
