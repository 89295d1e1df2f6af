// Sends a plain-text email through {{providerName}}'s HTTP API, with the API key from the environment and a deadline.
import { HttpError } from "./errors.ts";
import { requireEnv } from "./validate.ts";

export async function sendEmail(message: { to: string; subject: string; text: string }): Promise<void> {
  const response = await fetch("{{url}}", {
    method: "POST",
    headers: {{headers}},
    body: JSON.stringify({{body}}),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new HttpError(502, "upstream_failed", `{{providerName}} answered ${response.status}`);
  }
}
