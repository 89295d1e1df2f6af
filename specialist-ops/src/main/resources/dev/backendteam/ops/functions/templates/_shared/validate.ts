// Input validation with zod: a body that is not JSON, or not of the schema, is a typed 400.
import { z } from "zod";
import { HttpError } from "./errors.ts";

export function parseJson<T extends z.ZodType>(text: string, schema: T): z.infer<T> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_body", "the body is not JSON");
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new HttpError(
      400,
      "invalid_body",
      "the body does not match the expected schema",
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

/** A setting or secret from the environment (`supabase secrets set NAME=…`); its absence is a 500, never a guess. */
export function requireEnv(name: string): string {
  const value = Deno.env.get(name);
  if (value === undefined || value === "") {
    throw new HttpError(500, "misconfigured", `${name} is not set`);
  }
  return value;
}

export function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
