-- A multi-tenant task tracker, as a Supabase project would have it: the data generator's test schema. It has every
-- shape the generator must respect: owners in auth.users, a unique (org, user) membership with a role check, a
-- composite foreign key, a self-reference, a join table with a composite primary key, an enum, a domain, a price
-- check, a two-column check, identity and generated columns, a unique email.
create type task_priority as enum ('normal', 'high', 'low', 'urgent');
create domain money_amount as numeric(10, 2) check (value >= 0);

create table organizations (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    slug text not null unique,
    plan text not null default 'free' check (plan in ('free', 'pro', 'enterprise')),
    created_at timestamptz not null default now()
);

create table profiles (
    id uuid primary key references auth.users (id) on delete cascade,
    email text not null unique,
    display_name text,
    avatar_url text,
    created_at timestamptz not null default now()
);

create table memberships (
    id bigint generated always as identity primary key,
    org_id uuid not null references organizations (id) on delete cascade,
    user_id uuid not null references auth.users (id) on delete cascade,
    role text not null default 'member' check (role in ('member', 'admin', 'owner')),
    created_at timestamptz not null default now(),
    unique (org_id, user_id)
);

create table projects (
    id bigint generated always as identity primary key,
    org_id uuid not null references organizations (id) on delete cascade,
    owner_id uuid not null references auth.users (id),
    name text not null,
    budget money_amount,
    starts_at timestamptz not null,
    ends_at timestamptz,
    archived_at timestamptz,
    check (ends_at > starts_at),
    unique (id, org_id)
);

create table tasks (
    id bigint generated always as identity primary key,
    org_id uuid not null references organizations (id) on delete cascade,
    project_id bigint not null,
    parent_id bigint references tasks (id) on delete cascade,
    assignee_id uuid references auth.users (id),
    title text not null,
    description text,
    status text not null default 'todo' check (status in ('todo', 'doing', 'done', 'blocked')),
    priority task_priority not null default 'normal',
    estimate_hours integer check (estimate_hours between 1 and 40),
    due_date date,
    created_at timestamptz not null default now(),
    deleted_at timestamptz,
    title_length integer generated always as (char_length(title)) stored,
    foreign key (project_id, org_id) references projects (id, org_id) on delete cascade
);
create index tasks_project_idx on tasks (project_id);

create table tags (
    id bigint generated always as identity primary key,
    org_id uuid not null references organizations (id) on delete cascade,
    name text not null,
    unique (org_id, name)
);

create table task_tags (
    task_id bigint not null references tasks (id) on delete cascade,
    tag_id bigint not null references tags (id) on delete cascade,
    primary key (task_id, tag_id)
);

create table line_items (
    id bigint generated always as identity primary key,
    project_id bigint not null references projects (id) on delete cascade,
    sku text not null,
    price numeric(10, 2) not null check (price >= 0),
    quantity integer not null check (quantity > 0),
    created_at timestamptz not null default now()
);
