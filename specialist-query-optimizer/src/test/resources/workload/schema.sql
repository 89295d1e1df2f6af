-- A shop with a helpdesk, multi-tenant by org_id: the query-optimizer's workload fixture.
-- It has what such a schema ships with (primary keys, unique constraints, one foreign-key index) and none of the
-- indexes its queries need (expected-indexes.md). Closed value sets list the dominant value first: the data
-- generator makes the first value the common one.

create extension if not exists pg_trgm;

create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  slug text not null unique,
  plan text not null default 'free' check (plan in ('free', 'pro', 'enterprise')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table customers (
  id bigint generated always as identity primary key,
  org_id uuid not null references organizations(id) on delete cascade,
  user_id uuid not null references auth.users(id) on delete cascade,
  email text not null,
  full_name text,
  status text not null default 'active' check (status in ('active', 'invited', 'blocked')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  unique (org_id, user_id)
);

create table agents (
  id bigint generated always as identity primary key,
  org_id uuid not null references organizations(id) on delete cascade,
  user_id uuid not null references auth.users(id) on delete cascade,
  display_name text not null,
  role text not null default 'agent' check (role in ('agent', 'admin', 'viewer')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, user_id)
);

create table products (
  id bigint generated always as identity primary key,
  org_id uuid not null references organizations(id) on delete cascade,
  sku text not null,
  name text not null,
  description text,
  price_cents integer not null check (price_cents >= 0),
  status text not null default 'active' check (status in ('active', 'draft', 'archived')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  unique (org_id, sku)
);

create table orders (
  id bigint generated always as identity primary key,
  org_id uuid not null references organizations(id) on delete cascade,
  customer_id bigint not null references customers(id) on delete restrict,
  status text not null default 'pending'
    check (status in ('delivered', 'pending', 'paid', 'shipped', 'cancelled', 'refunded')),
  total_cents bigint not null check (total_cents >= 0),
  currency text not null default 'EUR' check (currency in ('EUR', 'USD', 'GBP')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table order_items (
  id bigint generated always as identity primary key,
  order_id bigint not null references orders(id) on delete cascade,
  product_id bigint not null references products(id) on delete restrict,
  quantity integer not null check (quantity > 0),
  unit_price_cents integer not null check (unit_price_cents >= 0),
  created_at timestamptz not null default now()
);
-- the one foreign-key index the team added when the order page was slow
create index order_items_order_id_idx on order_items (order_id);

create table tickets (
  id bigint generated always as identity primary key,
  org_id uuid not null references organizations(id) on delete cascade,
  customer_id bigint not null references customers(id) on delete cascade,
  assignee_id bigint references agents(id) on delete set null,
  subject text not null,
  status text not null default 'open' check (status in ('closed', 'open', 'pending')),
  priority text not null default 'normal' check (priority in ('normal', 'low', 'high', 'urgent')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  check (closed_at is null or status = 'closed')
);

create table ticket_comments (
  id bigint generated always as identity primary key,
  ticket_id bigint not null references tickets(id) on delete cascade,
  user_id uuid not null references auth.users(id) on delete cascade,
  body text not null check (length(body) <= 20000),
  is_internal boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
