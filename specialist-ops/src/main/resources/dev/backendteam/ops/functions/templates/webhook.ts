/// <reference types="@supabase/functions-js/src/edge-runtime.d.ts" />
// {{name}}: {{purpose}}
// Called by {{provider}}, not by a signed-in user: verify_jwt = false in supabase/config.toml, and the signature is
// checked here instead, on the raw body before it is parsed.
import { z } from "zod";
import { handleError, HttpError } from "../_shared/errors.ts";
import { {{validateImports}} } from "../_shared/validate.ts";
{{clientImport}}import { {{verifier}} } from "../_shared/signatures.ts";

const Event = {{eventSchema}};

Deno.serve(async (req: Request): Promise<Response> => {
  try {
    if (req.method !== "POST") throw new HttpError(405, "method_not_allowed", "POST only");
    const raw = new Uint8Array(await req.arrayBuffer());
    await {{verifier}}(raw, req.headers.get("{{signatureHeader}}"), requireEnv("{{secret}}"));
    const body = new TextDecoder().decode(raw);
    const event = parseJson(body, Event);
{{handle}}
  } catch (e) {
    return handleError(e);
  }
});
