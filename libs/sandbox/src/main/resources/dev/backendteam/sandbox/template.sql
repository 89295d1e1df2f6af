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

-- Supabase Realtime (supabase/realtime's tenant migrations, written anew): the schema, the broadcast/presence
-- message table whose RLS policies authorize private channels, and the topic the Realtime server sets before it
-- checks them (set_config('realtime.topic', <channel topic>, true), then a select or insert as the user's role).
create schema if not exists realtime;
grant usage on schema realtime to {{runner}}, anon, authenticated, service_role;

create function realtime.topic() returns text
    language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;

-- As Supabase defines it: partitioned by day on inserted_at (the server creates the daily partitions; the default
-- partition takes every row here), RLS on and no policy, so a private channel admits nobody until policies say who.
create table realtime.messages (
    topic text not null,
    extension text not null,
    payload jsonb,
    event text,
    private boolean default false,
    updated_at timestamp without time zone default now() not null,
    inserted_at timestamp without time zone default now() not null,
    id uuid default gen_random_uuid() not null,
    constraint messages_pkey primary key (id, inserted_at)
) partition by range (inserted_at);
create table realtime.messages_default partition of realtime.messages default;
create index messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
    where extension = 'broadcast' and private is true;
alter table realtime.messages enable row level security;
grant select, insert, update on table realtime.messages to anon, authenticated, service_role;

-- Supabase lets its postgres role manage the policies of realtime.messages (supautils' policy_grants; earlier a
-- membership in the owner role supabase_realtime_admin). The runner stands in for postgres, and PostgreSQL lets only
-- the owner create policies, so the runner owns the table: a migration can also alter or drop it, which Supabase
-- refuses (the websocket role's proof checks that RLS stays on).
-- (A new owner needs CREATE on the schema unless a superuser makes the change: granted for the moment of it.)
grant create on schema realtime to {{runner}};
alter table realtime.messages owner to {{runner}};
alter table realtime.messages_default owner to {{runner}};
revoke create on schema realtime from {{runner}};

-- The publication Realtime streams Postgres Changes from, created empty as on every Supabase project. PostgreSQL lets
-- only its owner add a table to it, and only a table the same role owns: the runner owns what user SQL creates, so it
-- owns the publication (ALTER … OWNER needs the new owner to hold CREATE on the database, for the moment of the
-- change). FOR ALL TABLES / FOR TABLES IN SCHEMA stay superuser-only, as they are for Supabase's postgres.
create publication supabase_realtime;
do $$ begin execute format('grant create on database %I to {{runner}}', current_database()); end $$;
alter publication supabase_realtime owner to {{runner}};
do $$ begin execute format('revoke create on database %I from {{runner}}', current_database()); end $$;

-- Grants on what user SQL creates in public follow the grant model (GrantModel), one template per model. This
-- base is the EXPLICIT model, Supabase today: no default privileges for anon, authenticated and service_role, so a
-- new table or sequence is theirs only after an explicit GRANT. Functions are left to PostgreSQL's own default,
-- EXECUTE for PUBLIC, which Supabase's change does not touch: anon may call a new function in public until
-- `revoke execute on function … from public`. The LEGACY model adds grants-legacy.sql on top.
