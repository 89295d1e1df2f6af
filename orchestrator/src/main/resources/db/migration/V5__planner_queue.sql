-- Jobs waiting for the AI planner rest in status 'routing' between transactions; the planning worker looks for them
-- every second, so that look must not read the whole job store. A replica claims a job for a while before it calls the
-- model (planner_lease), so that several orchestrators never plan the same job at once.
create index if not exists jobs_awaiting_plan on jobs (updated_at) where status = 'routing';
alter table jobs add column if not exists planner_lease timestamptz;
