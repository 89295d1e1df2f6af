// Supabase clients. {{clientsDoc}}
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
{{databaseImport}}{{errorsImport}}import { requireEnv } from "./validate.ts";

const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };
{{clients}}
