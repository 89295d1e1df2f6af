-- The orchestrator appends a step on its own (a security step when db-architect created tables in an exposed schema
-- and none ran): such a step has origin 'appended' and says why in cause. The widened check accepts every stored row.

alter table steps add column cause text;

alter table steps drop constraint steps_origin_check;
alter table steps add constraint steps_origin_check
    check (origin in ('flow', 'handoff', 'validation', 'appended'));
