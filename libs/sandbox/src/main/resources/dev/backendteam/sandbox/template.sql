-- The sandbox template: Supabase-compatible shims, run by the admin in a fresh database cloned from template0.
-- {{runner}} is the NOLOGIN role that owns what user SQL creates (each step's login role sets role to it).
-- Changing this file changes the template's marker, so prepare() rebuilds the template.

-- public: only the runner creates; the API roles use (as on Supabase, where postgres creates and anon,
-- authenticated and service_role get usage).
revoke create on schema public from public;
grant usage, create on schema public to {{runner}};
grant usage on schema public to anon, authenticated, service_role;

create schema if not exists extensions;
grant usage on schema extensions to {{runner}}, anon, authenticated, service_role;

create schema if not exists auth;
grant usage on schema auth to {{runner}}, anon, authenticated, service_role;

-- auth.users as GoTrue creates it (the columns user schemas and policies refer to). The id has a default here so
-- that fixtures can insert users without one.
create table auth.users (
    instance_id uuid,
    id uuid not null default gen_random_uuid() primary key,
    aud varchar(255),
    role varchar(255),
    email varchar(255),
    encrypted_password varchar(255),
    email_confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    phone text unique default null,
    phone_confirmed_at timestamptz,
    banned_until timestamptz,
    deleted_at timestamptz,
    is_sso_user boolean not null default false,
    is_anonymous boolean not null default false
);
create index users_instance_id_email_idx on auth.users (instance_id, lower(email));
create index users_instance_id_idx on auth.users (instance_id);
comment on table auth.users is 'Sandbox shim of Supabase Auth: user login data.';

-- The runner stands in for Supabase's postgres role: it may reference auth.users, put triggers on it
-- (handle_new_user) and insert fixtures. The API roles get nothing on it, as on Supabase.
grant all on table auth.users to {{runner}};

-- Supabase's definitions: claims come from request.jwt.claims (PostgREST), or the older per-claim settings.
create or replace function auth.uid() returns uuid
    language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
    language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
    language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
    language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to {{runner}}, anon, authenticated, service_role;

-- Grants on what user SQL creates in public follow the grant model (GrantModel), one template per model. This
-- base is the EXPLICIT model, Supabase today: no default privileges for anon, authenticated and service_role, so a
-- new table or sequence is theirs only after an explicit GRANT. Functions are left to PostgreSQL's own default,
-- EXECUTE for PUBLIC, which Supabase's change does not touch: anon may call a new function in public until
-- `revoke execute on function … from public`. The LEGACY model adds grants-legacy.sql on top.
