-- Jobs waiting for the AI planner rest in status 'routing' between transactions; the planning worker looks for them
-- every second, so that look must not read the whole job store.
create index if not exists jobs_awaiting_plan on jobs (updated_at) where status = 'routing';
