-- A target whose application keeps its tables in a schema of its own (billing), not in public: a few hot accounts
-- hold most invoices; no index but the keys'.
create schema billing;
create table billing.accounts (
    id bigint generated always as identity primary key,
    name text not null
);
create table billing.invoices (
    id bigint generated always as identity primary key,
    account_id bigint not null references billing.accounts (id),
    amount numeric(10, 2) not null,
    issued_at timestamptz not null
);
insert into billing.accounts (name) select 'account ' || i from generate_series(1, 500) i;
insert into billing.invoices (account_id, amount, issued_at)
select case when i % 4 = 0 then 1 + i % 3 else 1 + (i * 7919) % 500 end, (i % 900) + 0.25,
       timestamptz '2024-01-01' + i * interval '20 minutes'
  from generate_series(1, 30000) i;
analyze billing.accounts;
analyze billing.invoices;
