-- Transaction-ID age of this database (age(datfrozenxid), always a row: info below {xid-age-ratio} of 2^31, warn from
-- it, error from {xid-error-ratio}) and of its tables from {xid-age-ratio} (age(relfrozenxid); warn, error from
-- {xid-error-ratio}).
select current_database() as object, age(d.datfrozenxid) as age,
       round(age(d.datfrozenxid) / 2147483648.0, 4) as ratio,
       current_setting('autovacuum_freeze_max_age') as freeze_max_age,
       case when age(d.datfrozenxid) / 2147483648.0 >= {xid-error-ratio} then 'error'
            when age(d.datfrozenxid) / 2147483648.0 >= {xid-age-ratio} then 'warn' else 'info' end as severity
  from pg_database d where d.datname = current_database()
union all
select * from (
    select format('%I.%I', n.nspname, c.relname), age(c.relfrozenxid), round(age(c.relfrozenxid) / 2147483648.0, 4),
           current_setting('autovacuum_freeze_max_age'),
           case when age(c.relfrozenxid) / 2147483648.0 >= {xid-error-ratio} then 'error' else 'warn' end
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'm', 't') and n.nspname not in ('pg_catalog', 'information_schema')
       and age(c.relfrozenxid) / 2147483648.0 >= {xid-age-ratio}
     order by age(c.relfrozenxid) desc limit 10) t
