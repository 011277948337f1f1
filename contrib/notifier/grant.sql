-- The privileges of the notifier's login role, and nothing more: run as a superuser (or the
-- extension's owner) in every database with pg_actions, after creating the role, e.g.
--   CREATE ROLE actions_notifier LOGIN PASSWORD '...';
--   psql -d DB -v role=actions_notifier -f contrib/notifier/grant.sql
-- The functions run as the extension's owner: the role reads no table, sees no row of its own.
GRANT USAGE ON SCHEMA actions TO :"role";
GRANT EXECUTE ON FUNCTION actions.open_delivery_channel(text, timestamptz),
    actions.claim_delivery(text), actions.mark_delivered(bigint, bigint, text),
    actions.mark_delivery_failed(bigint, bigint, text, text, interval, integer) TO :"role";
