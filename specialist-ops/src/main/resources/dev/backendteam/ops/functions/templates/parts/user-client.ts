
/** Acts as the caller: their JWT goes with every request, so row level security decides what they may do. */
export function userClient(req: Request): SupabaseClient{{generic}} {
  const authorization = req.headers.get("Authorization");
  if (authorization === null || !authorization.startsWith("Bearer ")) {
    throw new HttpError(401, "unauthorized", "an Authorization: Bearer <user JWT> header is required");
  }
  return createClient{{generic}}(requireEnv("SUPABASE_URL"), requireEnv("SUPABASE_ANON_KEY"), {
    ...options,
    global: { headers: { Authorization: authorization } },
  });
}
