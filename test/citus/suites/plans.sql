-- Statements Citus plans: the API's functions reading or writing a distributed table with their
-- arguments are planned with the values. An SQL function (not inlined) is planned by Citus with
-- its parameters unresolved and refused ("could not create distributed plan ... parameters in SQL
-- functions"); these are PL/pgSQL (src/sql/40_admin.sql, 62_delivery.sql). Runs against the
-- coordinator of a cluster with pg_actions' tables distributed (actions.distribute()).
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
DO $$ BEGIN
    IF to_regprocedure('actions.distribute()') IS NOT NULL THEN PERFORM actions.distribute(); END IF;
END $$;

SELECT plan(6);

SELECT is((SELECT array_agg(logicalrelid::text ORDER BY logicalrelid::text) FROM pg_dist_partition
            WHERE logicalrelid IN ('actions.notification_delivery'::regclass, 'actions.trusted_service'::regclass)),
          ARRAY['actions.notification_delivery', 'actions.trusted_service'],
          'the tables of the calls below are Citus tables');

DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plans_service') THEN CREATE ROLE plans_service; END IF;
END $$;
SELECT lives_ok($$SELECT actions.trust_service('plans_service')$$, 'a service is trusted');
SELECT is(actions.untrust_service('plans_service'), true, 'untrust_service() removes it (a delete with its argument)');
SELECT is(actions.untrust_service('plans_service'), false, 'untrust_service() again: there is none');

-- No such delivery: the update with the arguments finds nothing (planned, routed by workspace_id).
SELECT is(actions.mark_delivered(1, 1, 'plans'), false, 'mark_delivered() of no pending delivery: false');
SELECT is(actions.mark_delivery_failed(1, 1, 'plans', 'unreachable'), NULL, 'mark_delivery_failed() of no pending delivery: NULL');

SELECT * FROM finish();
