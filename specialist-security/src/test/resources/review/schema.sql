-- CareSlot: appointment booking and practice management for small clinics (Supabase project, schema public).
-- The team's migrations after five months, concatenated in the order the Supabase CLI applies them.
-- Each planted security problem is marked by a PROBLEM comment (its number, a colon, what is wrong) on the line
-- before the statement, column or clause that carries it; review/problems.yaml lists them with their rule.
-- Everything not marked is meant to be clean: it should raise no finding of the catalogue.
-- Applies as a non-superuser that owns what it creates (the sandbox runner), on PostgreSQL 15 and 17, under the
-- explicit-grants model (nothing is granted to anon, authenticated or service_role unless a statement below does).


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250106101500_init.sql
-- ---------------------------------------------------------------------------------------------------------------

-- PROBLEM 1: set_updated_at() has no fixed search_path (copied from a blog post): the caller's search_path decides what its names resolve to
create or replace function public.set_updated_at()
returns trigger
language plpgsql
as $$
begin
  new.updated_at = now();
  return new;
end;
$$;

create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  slug text not null unique,
  timezone text not null default 'Europe/Berlin',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.clinics is 'A clinic (the tenant). Staff are its members.';

create trigger clinics_set_updated_at
  before update on public.clinics
  for each row execute function public.set_updated_at();

create table public.clinic_members (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  primary key (clinic_id, user_id)
);
create index clinic_members_user_id_idx on public.clinic_members (user_id);

-- Membership checks for policies. They read clinic_members as their owner (no RLS recursion) and live in a schema
-- the Data API does not expose; only signed-in users may run them.
create schema if not exists private;
grant usage on schema private to authenticated;

create or replace function private.is_clinic_member(p_clinic_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.clinic_members m
    where m.clinic_id = p_clinic_id and m.user_id = (select auth.uid())
  );
$$;

create or replace function private.has_clinic_role(p_clinic_id uuid, p_roles text[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.clinic_members m
    where m.clinic_id = p_clinic_id and m.user_id = (select auth.uid()) and m.role = any (p_roles)
  );
$$;

revoke all on function private.is_clinic_member(uuid) from public;
revoke all on function private.has_clinic_role(uuid, text[]) from public;
grant execute on function private.is_clinic_member(uuid) to authenticated;
grant execute on function private.has_clinic_role(uuid, text[]) to authenticated;

-- Whoever creates a clinic becomes its owner in the same transaction (server-side inserts have no user: no member).
create or replace function private.handle_new_clinic()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.clinic_members (clinic_id, user_id, role)
  select new.id, auth.uid(), 'owner'
  where auth.uid() is not null;
  return new;
end;
$$;
revoke all on function private.handle_new_clinic() from public;

create trigger on_clinic_created
  after insert on public.clinics
  for each row execute function private.handle_new_clinic();

alter table public.clinics enable row level security;
alter table public.clinic_members enable row level security;

create policy "Members can view their clinics"
  on public.clinics for select to authenticated
  using (private.is_clinic_member(id));

create policy "Signed-in users can create clinics"
  on public.clinics for insert to authenticated
  with check ((select auth.uid()) is not null);

create policy "Owners can update their clinic"
  on public.clinics for update to authenticated
  using (private.has_clinic_role(id, array['owner']))
  with check (private.has_clinic_role(id, array['owner']));

create policy "Members can view co-members"
  on public.clinic_members for select to authenticated
  using (private.is_clinic_member(clinic_id));

create policy "Owners can add members"
  on public.clinic_members for insert to authenticated
  with check (private.has_clinic_role(clinic_id, array['owner']));

create policy "Owners can change roles"
  on public.clinic_members for update to authenticated
  using (private.has_clinic_role(clinic_id, array['owner']))
  with check (private.has_clinic_role(clinic_id, array['owner']));

create policy "Owners can remove members"
  on public.clinic_members for delete to authenticated
  using (private.has_clinic_role(clinic_id, array['owner']));

grant select, insert, delete on public.clinics to authenticated;
grant update (name, slug, timezone) on public.clinics to authenticated;
grant select, insert, delete on public.clinic_members to authenticated;
grant update (role) on public.clinic_members to authenticated;
grant all on public.clinics, public.clinic_members to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250113094500_profiles.sql
-- ---------------------------------------------------------------------------------------------------------------

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text,
  avatar_url text,
  bio text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'Public profile of a user (practitioners are shown on the booking page).';

create trigger profiles_set_updated_at
  before update on public.profiles
  for each row execute function public.set_updated_at();

alter table public.profiles enable row level security;

-- PROBLEM 2: the policy has no `to` role (applies to PUBLIC); the Supabase template it comes from
create policy "Public profiles are viewable by everyone"
  on public.profiles for select
  using (true);

create policy "Users can insert their own profile"
  on public.profiles for insert to authenticated
  with check ((select auth.uid()) = id);

-- PROBLEM 3: bare auth.uid(), evaluated once per row instead of once per statement
create policy "Users can update own profile"
  on public.profiles for update to authenticated
  using (auth.uid() = id)
  with check (auth.uid() = id);

grant select on public.profiles to anon;
grant select, insert on public.profiles to authenticated;
grant update (display_name, avatar_url, bio) on public.profiles to authenticated;
grant all on public.profiles to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250120160000_specialties.sql
-- ---------------------------------------------------------------------------------------------------------------

create table public.specialties (
  id bigint generated always as identity primary key,
  name text not null unique,
  slug text not null unique
);
comment on table public.specialties is 'Lookup list for the booking page filter (physiotherapy, dentistry, ...).';

-- PROBLEM 4: RLS enabled "because the linter said so", but no policy: the booking page's filter is empty for everyone
alter table public.specialties enable row level security;

grant select on public.specialties to anon, authenticated;
grant all on public.specialties to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250203113000_patients.sql
-- ---------------------------------------------------------------------------------------------------------------

-- PROBLEM 5: RLS is never enabled on patients, an exposed table the Data API roles are granted
create table public.patients (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  full_name text not null,
  -- PROBLEM 6: contact data and birth dates readable by anyone with the anon key (no RLS on the table)
  email text,
  phone text,
  date_of_birth date,
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (clinic_id, email)
);

create trigger patients_set_updated_at
  before update on public.patients
  for each row execute function public.set_updated_at();

-- PROBLEM 7: policies written, but `enable row level security` was forgotten: none of them applies
create policy "Clinic staff can view patients"
  on public.patients for select to authenticated
  using (private.is_clinic_member(clinic_id));

create policy "Clinic staff can add patients"
  on public.patients for insert to authenticated
  with check (private.is_clinic_member(clinic_id));

create policy "Clinic staff can edit patients"
  on public.patients for update to authenticated
  using (private.is_clinic_member(clinic_id))
  with check (private.is_clinic_member(clinic_id));

create policy "Clinic admins can delete patients"
  on public.patients for delete to authenticated
  using (private.has_clinic_role(clinic_id, array['owner', 'admin']));

-- PROBLEM 8: grant all to anon (every privilege, truncate included) and to authenticated (truncate, trigger, references)
grant all on public.patients to anon, authenticated;
grant all on public.patients to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250217140000_appointments.sql
-- ---------------------------------------------------------------------------------------------------------------

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  -- PROBLEM 9: foreign key appointments_patient_id_fkey has no index (deleting a patient scans appointments)
  patient_id uuid not null references public.patients (id) on delete cascade,
  practitioner_id uuid references auth.users (id) on delete set null,
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'booked'
    check (status in ('booked', 'confirmed', 'cancelled', 'completed', 'no_show')),
  reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index appointments_clinic_id_starts_at_idx on public.appointments (clinic_id, starts_at);
create index appointments_practitioner_id_idx on public.appointments (practitioner_id);
create index appointments_created_by_idx on public.appointments (created_by);

create trigger appointments_set_updated_at
  before update on public.appointments
  for each row execute function public.set_updated_at();

alter table public.appointments enable row level security;

create policy "Clinic staff can view appointments"
  on public.appointments for select to authenticated
  using (private.is_clinic_member(clinic_id));

-- PROBLEM 10: a second permissive select policy for authenticated: both are evaluated for every row
create policy "Creators can view their appointments"
  on public.appointments for select to authenticated
  using (created_by = (select auth.uid()));

create policy "Clinic staff can book appointments"
  on public.appointments for insert to authenticated
  with check (private.is_clinic_member(clinic_id) and created_by = (select auth.uid()));

-- PROBLEM 11: no `with check`: a member may set created_by to anyone (and move the row to any clinic they belong to)
create policy "Clinic staff can reschedule appointments"
  on public.appointments for update to authenticated
  using (private.is_clinic_member(clinic_id));

create policy "Creators can cancel their appointments"
  on public.appointments for delete to authenticated
  using (created_by = (select auth.uid()));

-- PROBLEM 12: a table-wide update grant: the owner column created_by (and clinic_id, patient_id) is updatable
grant select, insert, update, delete on public.appointments to authenticated;
grant all on public.appointments to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250304090000_appointment_notes.sql
-- ---------------------------------------------------------------------------------------------------------------

create table public.appointment_notes (
  id uuid primary key default gen_random_uuid(),
  appointment_id uuid not null references public.appointments (id) on delete cascade,
  author_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index appointment_notes_appointment_id_idx on public.appointment_notes (appointment_id);
create index appointment_notes_author_id_idx on public.appointment_notes (author_id);

create trigger appointment_notes_set_updated_at
  before update on public.appointment_notes
  for each row execute function public.set_updated_at();

alter table public.appointment_notes enable row level security;

create policy "Staff can read notes of visible appointments"
  on public.appointment_notes for select to authenticated
  using (exists (select 1 from public.appointments a where a.id = appointment_id));

create policy "Staff can write notes"
  on public.appointment_notes for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and exists (select 1 from public.appointments a where a.id = appointment_id)
  );

create policy "Authors can edit their notes"
  on public.appointment_notes for update to authenticated
  using (author_id = (select auth.uid()))
  with check (author_id = (select auth.uid()));

-- PROBLEM 13: using (true) on a delete: any signed-in user deletes every clinic's notes
create policy "Staff can delete notes"
  on public.appointment_notes for delete to authenticated
  using (true);

grant select, insert, delete on public.appointment_notes to authenticated;
grant update (body) on public.appointment_notes to authenticated;
grant all on public.appointment_notes to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250318103000_opening_hours.sql
-- ---------------------------------------------------------------------------------------------------------------

-- PROBLEM 14: no primary key (a row has no identity: clients cannot address one reliably, replication cannot update or delete it)
create table public.clinic_opening_hours (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  weekday smallint not null check (weekday between 0 and 6),
  opens_at time not null,
  closes_at time not null
);
create index clinic_opening_hours_clinic_id_idx on public.clinic_opening_hours (clinic_id);

alter table public.clinic_opening_hours enable row level security;

create policy "Members can view opening hours"
  on public.clinic_opening_hours for select to authenticated
  using (private.is_clinic_member(clinic_id));

grant select on public.clinic_opening_hours to authenticated;
grant all on public.clinic_opening_hours to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250402151500_audit_log.sql
-- ---------------------------------------------------------------------------------------------------------------

-- Written by the backend (edge functions with the service key); clinic_id is kept even after a clinic is deleted.
create table public.audit_log (
  id bigint generated always as identity primary key,
  clinic_id uuid,
  actor_id uuid,
  action text not null,
  payload jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

alter table public.audit_log enable row level security;

-- PROBLEM 15: `using (false)` added only to silence "RLS enabled, no policy": it grants nothing and proves nothing
create policy "No direct access"
  on public.audit_log for all to authenticated
  using (false)
  with check (false);

grant all on public.audit_log to service_role;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250415120000_patient_search.sql
-- ---------------------------------------------------------------------------------------------------------------

-- PROBLEM 16: extension installed in public (its functions and operators land in the exposed schema)
create extension if not exists pg_trgm schema public;

create index patients_full_name_trgm_idx on public.patients using gin (full_name public.gin_trgm_ops);


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250429170000_staff_directory.sql
-- ---------------------------------------------------------------------------------------------------------------

-- PROBLEM 17: the view exposes auth.users (emails, user metadata) through the Data API
create or replace view public.staff_directory
  -- PROBLEM 18: security_barrier is not security_invoker: the view runs with its owner's rights, past every policy
  with (security_barrier = true)
as
select m.clinic_id, m.user_id, m.role, u.email, u.raw_user_meta_data ->> 'full_name' as full_name
from public.clinic_members m
join auth.users u on u.id = m.user_id;

grant select on public.staff_directory to authenticated;

-- "Invite by email" in the staff settings page.
-- PROBLEM 19: security definer function in public, executable by anon and authenticated (PUBLIC keeps EXECUTE): anyone can test whether an email has an account
create or replace function public.get_user_id_by_email(p_email text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.id from auth.users u where lower(u.email) = lower(p_email) limit 1;
$$;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250512083000_waiting_room.sql
-- ---------------------------------------------------------------------------------------------------------------

-- Shown on the waiting-room screen (signed out, anon key).
-- PROBLEM 20: security definer view readable by anon: today's and future appointments of every clinic, with patient names
create or replace view public.upcoming_appointments as
select a.id, a.clinic_id, a.starts_at, a.ends_at, a.status, p.full_name as patient_name
from public.appointments a
join public.patients p on p.id = a.patient_id
where a.starts_at >= now();

grant select on public.upcoming_appointments to anon, authenticated;


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250520094500_support_tools.sql
-- ---------------------------------------------------------------------------------------------------------------

-- Support staff flag themselves in the dashboard (user metadata) to clean up test clinics.
-- PROBLEM 21: the policy trusts user_metadata, which every user can edit for themselves (supabase.auth.updateUser)
create policy "Support staff can delete clinics"
  on public.clinics for delete to authenticated
  using (((select auth.jwt()) -> 'user_metadata' ->> 'role') = 'support');


-- ---------------------------------------------------------------------------------------------------------------
-- supabase/migrations/20250602110000_calendar_performance.sql
-- ---------------------------------------------------------------------------------------------------------------

-- PROBLEM 22: duplicate of appointments_clinic_id_starts_at_idx (same table, columns, order and method)
create index idx_appointments_clinic_starts on public.appointments (clinic_id, starts_at);
