// CORS for the functions a browser calls. Only the origin in ALLOWED_ORIGIN (your site, e.g. https://app.example.com)
// is allowed; unset, no Access-Control-Allow-Origin is sent and browsers on other origins are refused.
// Webhooks and scheduled jobs are called server to server and answer no preflight.
export function corsHeaders(): Record<string, string> {
  const headers: Record<string, string> = {
    "Access-Control-Allow-Headers": "authorization, x-client-info, apikey, content-type",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Vary": "Origin",
  };
  const origin = Deno.env.get("ALLOWED_ORIGIN");
  if (origin) headers["Access-Control-Allow-Origin"] = origin;
  return headers;
}

/** The answer to a CORS preflight, or null when the request is not one. */
export function preflight(req: Request): Response | null {
  return req.method === "OPTIONS" ? new Response(null, { status: 204, headers: corsHeaders() }) : null;
}
