-- The embedded default's demo target (DemoTarget): a small shop with a few realistic problems for the ops monitor
-- and query-optimizer to find — an index nothing uses (customers.created_at), the same index twice (orders.customer_id)
-- and no index for the refunds report (orders by status and date). Generated set-based, in one transaction, so a
-- start that dies half-way leaves nothing behind and the next one seeds again.
create table customers (
    id bigint generated always as identity primary key,
    email text not null unique,
    name text not null,
    country text not null,
    created_at timestamptz not null default now()
);
create table orders (
    id bigint generated always as identity primary key,
    customer_id bigint not null,
    status text not null check (status in ('pending', 'paid', 'shipped', 'delivered', 'refunded')),
    total numeric(12, 2) not null,
    created_at timestamptz not null default now()
);
create table order_items (
    order_id bigint not null,
    line int not null,
    product text not null,
    quantity int not null check (quantity > 0),
    price numeric(12, 2) not null,
    primary key (order_id, line)
);
insert into customers (email, name, country, created_at)
select 'customer' || g || '@example.com', 'Customer ' || g,
       (array['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'IT', 'SE'])[1 + g % 8],
       now() - make_interval(days => g % 720)
  from generate_series(1, 10000) g;
insert into orders (customer_id, status, total, created_at)
select 1 + (g * 7919) % 10000,
       case when g % 100 = 0 then 'refunded' when g % 10 < 6 then 'delivered' when g % 10 < 8 then 'shipped'
            when g % 10 < 9 then 'paid' else 'pending' end,
       round((5 + (g * 37) % 500)::numeric + (g % 100) / 100.0, 2),
       now() - make_interval(mins => g * 7)
  from generate_series(1, 60000) g;
insert into order_items (order_id, line, product, quantity, price)
select o, l, 'product-' || ((o * 13 + l) % 400), 1 + (o + l) % 4, round((2 + (o * l) % 120)::numeric, 2)
  from generate_series(1, 60000) o, generate_series(1, 2) l;
-- foreign keys after the load: one validating scan each instead of a trigger per row
alter table orders add constraint orders_customer_id_fkey foreign key (customer_id) references customers (id)
    on delete cascade;
alter table order_items add constraint order_items_order_id_fkey foreign key (order_id) references orders (id)
    on delete cascade;
-- the problems
create index idx_customers_created_at on customers (created_at);
create index idx_orders_customer_id on orders (customer_id);
create index idx_orders_customer on orders (customer_id);
analyze customers;
analyze orders;
analyze order_items;
