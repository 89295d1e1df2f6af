-- A live shop in public with skewed data, analyzed: the target PerformanceTargetTest optimises. Of 40,000 orders
-- 95 % are delivered (delivered_at set), 1 % refunded (refunded_at set), the rest pending, paid or shipped; five hot
-- customers of 2,000 place a third of the orders. No index but the keys', so the advice has something to find.
-- The generator's own guesses differ on purpose: without these statistics the first enum label (pending) would
-- dominate and refunded_at would be set on nine rows of ten.
create type order_status as enum ('pending', 'paid', 'shipped', 'delivered', 'refunded');
create table customers (
    id bigint generated always as identity primary key,
    email text not null unique,
    country text not null,
    created_at timestamptz not null
);
create table orders (
    id bigint generated always as identity primary key,
    customer_id bigint not null references customers (id),
    status order_status not null,
    total numeric(10, 2) not null,
    created_at timestamptz not null,
    delivered_at timestamptz,
    refunded_at timestamptz
);

insert into customers (email, country, created_at)
select 'buyer' || i || '@example.com', (array['NO', 'SE', 'DK', 'FI'])[1 + i % 4],
       timestamptz '2023-01-01' + i * interval '3 hours'
  from generate_series(1, 2000) i;
insert into orders (customer_id, status, total, created_at, delivered_at, refunded_at)
select case when i % 3 = 0 then 1 + i % 5 else 1 + (i * 7919) % 2000 end, s, (i % 700) + 0.5, created,
       case when s = 'delivered' then created + interval '2 days' end,
       case when s = 'refunded' then created + interval '9 days' end
  from (select i, timestamptz '2024-01-01' + i * interval '10 minutes' as created,
               (case when i % 100 < 95 then 'delivered' when i % 100 = 95 then 'refunded'
                     when i % 100 in (96, 97) then 'pending' when i % 100 = 98 then 'paid'
                     else 'shipped' end)::order_status as s
          from generate_series(1, 40000) i) o;
analyze customers;
analyze orders;
