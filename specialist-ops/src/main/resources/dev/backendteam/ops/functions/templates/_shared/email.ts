// Sends a plain-text email through {{providerName}}'s HTTP API, with the API key from the environment and a deadline.
import { HttpError } from "./errors.ts";
import { requireEnv } from "./validate.ts";

export async function sendEmail(message: { to: string; subject: string; text: string }): Promise<void> {
  let response: Response;
  try {
    response = await fetch("{{url}}", {
      method: "POST",
      headers: {{headers}},
      body: JSON.stringify({{body}}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    console.error("{{providerName}} unreachable:", e);
    throw new HttpError(502, "upstream_failed", "{{providerName}} could not be reached");
  }
  if (!response.ok) {
    throw new HttpError(502, "upstream_failed", `{{providerName}} answered ${response.status}`);
  }
}
