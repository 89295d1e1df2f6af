/// <reference types="@supabase/functions-js/src/edge-runtime.d.ts" />
// {{name}}: {{purpose}}
// Runs on a schedule ({{schedule}}, UTC): pg_cron calls it through pg_net with the x-cron-secret header (the SQL is
// in supabase/functions/README.md). verify_jwt = false in supabase/config.toml; the secret is checked here.
import { handleError, HttpError } from "../_shared/errors.ts";
import { requireEnv } from "../_shared/validate.ts";
import { verifySecretHeader } from "../_shared/signatures.ts";
{{imports}}
Deno.serve(async (req: Request): Promise<Response> => {
  try {
    if (req.method !== "POST") throw new HttpError(405, "method_not_allowed", "POST only");
    verifySecretHeader(req.headers.get("x-cron-secret"), requireEnv("CRON_SECRET"));
{{work}}
  } catch (e) {
    return handleError(e);
  }
});
