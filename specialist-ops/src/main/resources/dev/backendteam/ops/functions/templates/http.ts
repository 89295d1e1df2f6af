/// <reference types="@supabase/functions-js/src/edge-runtime.d.ts" />
// {{name}}: {{purpose}}
// Called by a signed-in user (verify_jwt stays on): it acts as the caller, so row level security decides.
import { z } from "zod";
import { corsHeaders, preflight } from "../_shared/cors.ts";
import { handleError, HttpError } from "../_shared/errors.ts";
import { parseJson } from "../_shared/validate.ts";
import { userClient } from "../_shared/supabase.ts";

const Input = z.object({ limit: z.number().int().min(1).max(100).default(20) });

Deno.serve(async (req: Request): Promise<Response> => {
  const early = preflight(req);
  if (early !== null) return early;
  try {
    if (req.method !== "POST") throw new HttpError(405, "method_not_allowed", "POST only");
    const supabase = userClient(req);
    const input = parseJson(await req.text(), Input);
{{work}}
  } catch (e) {
    return handleError(e, corsHeaders());
  }
});
