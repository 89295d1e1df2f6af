-- A live shop's schema with data, analyzed: the target the read-only tests read. Awkward most common values on
-- customers.label (a quote, a comma, a double quote, a backslash, the word NULL, braces, an empty string), a fifth
-- of labels null, a unique email, three countries.
create schema shop;
create type shop.status as enum ('new', 'paid', 'shipped', 'cancelled');
create table shop.customers (
    id bigint generated always as identity primary key,
    email text not null unique,
    label text,
    country text not null,
    created_at timestamptz not null
);
create table shop.orders (
    id bigint generated always as identity primary key,
    customer_id bigint not null references shop.customers (id),
    status shop.status not null,
    total numeric(10, 2) not null,
    created_at timestamptz not null
);
create index orders_customer_created on shop.orders (customer_id, created_at);
create table shop.secrets (id int primary key, token text not null);

insert into shop.customers (email, label, country, created_at)
select 'user' || i || '@example.com',
       case i % 10 when 0 then 'it''s' when 1 then 'a,b' when 2 then 'say "hi"' when 3 then 'back\slash'
                   when 4 then 'NULL' when 5 then '{brace}' when 6 then '' when 7 then null when 8 then null
                   else 'unique-' || i end,
       (array['NO', 'SE', 'DK'])[1 + i % 3],
       timestamptz '2024-01-01' + i * interval '1 hour'
  from generate_series(1, 3000) i;
insert into shop.orders (customer_id, status, total, created_at)
select 1 + i % 3000, (array['new', 'paid', 'shipped', 'cancelled'])[1 + i % 4]::shop.status, (i % 500) + 0.99,
       timestamptz '2024-01-01' + i * interval '7 minutes'
  from generate_series(1, 20000) i;
insert into shop.secrets select i, md5(i::text) from generate_series(1, 100) i;
analyze shop.customers;
analyze shop.orders;
analyze shop.secrets;
