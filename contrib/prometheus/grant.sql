-- The privileges of postgres_exporter's login role for contrib/prometheus/queries.yaml, and
-- nothing more: run as a superuser in the database with pg_actions, after creating the role, e.g.
--   CREATE ROLE actions_monitor LOGIN PASSWORD '...' IN ROLE pg_monitor;
--   psql -d DB -v role=actions_monitor -f contrib/prometheus/grant.sql
-- pg_monitor is for the exporter's own default metrics (pg_stat_*); the pg_actions figures come
-- from the view and functions below, which run as the extension's owner and return counts and
-- times only (no title, no person, no e-mail).
GRANT USAGE ON SCHEMA actions TO :"role";
GRANT SELECT ON actions.maintenance_status TO :"role";
GRANT EXECUTE ON FUNCTION actions.metrics_actions(), actions.metrics_outbox(), actions.metrics_ledger(),
    actions.metrics_verify() TO :"role";
