import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

export type OidcProvider = { issuer: string; clientId: string; clientSecret: string; stop(): Promise<void> };

export const OIDC_CLIENT = { clientId: "herald", clientSecret: "herald-test-secret" };

/** A free TCP port, for a process whose address must be known before it starts (Herald's callback URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts test/helpers/oidc-provider-process.mjs (a real `oidc-provider`) whose one client returns to `redirectUri`. */
export async function startOidcProvider(redirectUri: string): Promise<OidcProvider> {
  const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, "oidc-provider-process.mjs")], {
    env: {
      ...process.env,
      OIDC_REDIRECT_URI: redirectUri,
      OIDC_CLIENT_ID: OIDC_CLIENT.clientId,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.clientSecret,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`The OpenID provider exited (${code}):\n${errors}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    issuer: `http://localhost:${port}`,
    ...OIDC_CLIENT,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
