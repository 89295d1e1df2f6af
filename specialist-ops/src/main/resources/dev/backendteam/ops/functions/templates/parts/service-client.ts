
/**
 * Bypasses row level security: only for callers the function has verified itself (a webhook's signature, the
 * scheduler's secret), never on behalf of an unverified request.
 */
export function serviceClient(): SupabaseClient{{generic}} {
  return createClient{{generic}}(requireEnv("SUPABASE_URL"), requireEnv("SUPABASE_SERVICE_ROLE_KEY"), options);
}
