/** A small client of Herald's REST API that turns problem+json errors into readable messages. */
export class ApiError extends Error {}

export function createApiClient(baseUrl: string, token: string | undefined) {
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(
        `Cannot reach Herald at ${baseUrl} (${(error as Error).message}). Is it running? Set HERALD_URL.`,
      );
    }
    const text = await response.text();
    if (!response.ok) throw new ApiError(describeProblem(response.status, text));
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

function describeProblem(status: number, text: string): string {
  try {
    const problem = JSON.parse(text) as {
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    const lines = [`${problem.title ?? "Error"} (HTTP ${status}): ${problem.detail ?? ""}`];
    for (const error of problem.errors ?? []) lines.push(`  - ${error.path}: ${error.message}`);
    return lines.join("\n");
  } catch {
    return `HTTP ${status}: ${text.slice(0, 500)}`;
  }
}
