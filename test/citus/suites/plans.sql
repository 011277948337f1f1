-- Statements Citus plans: the API's functions reading or writing a distributed table with their
-- arguments are planned with the values. An SQL function (not inlined) is planned by Citus with
-- its parameters unresolved and refused ("could not create distributed plan ... parameters in SQL
-- functions"); these are PL/pgSQL (src/sql/40_admin.sql, 62_delivery.sql). A policy's helper runs
-- in the query on a shard, where no distributed query may run: actions.sees_action_of() reads the
-- local shard without SQL (src/pg/api/action_policy.cpp). Runs against the coordinator of a
-- cluster with pg_actions' tables distributed (actions.distribute()).
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
DO $$ BEGIN
    IF to_regprocedure('actions.distribute()') IS NOT NULL THEN PERFORM actions.distribute(); END IF;
END $$;

-- An action for the policy helper's tests below (made before the plan: pgTAP keeps it in a
-- table of the superuser's session).
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plans_owner') THEN CREATE ROLE plans_owner LOGIN; END IF;
END $$;
SELECT coalesce((SELECT person_id FROM actions.person WHERE login_role = 'plans_owner'),
                actions.create_person('plans-owner@example.com', 'Plans owner', 'plans_owner')) AS owner \gset
SELECT actions.create_workspace('plans', owner_id => :owner) AS ws \gset
SET SESSION AUTHORIZATION plans_owner;
SELECT actions.create_action(:ws, 'planned') AS act \gset
RESET SESSION AUTHORIZATION;

SELECT plan(11);

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

-- A policy's helper inside the query on a shard: pushed down with the filter to the worker
-- holding the workspace, as a policy's expression is (as the superuser: no policy applies, the
-- helper answers whether the action exists there).
-- (Counts read into variables first: Citus would push a test function beside the table down.)
SELECT count(*) AS seen FROM actions.activity a
 WHERE a.workspace_id = :ws AND actions.sees_action_of(a.workspace_id, a.action_id) \gset
SELECT count(*) AS unseen FROM actions.activity a
 WHERE a.workspace_id = :ws AND actions.sees_action_of(a.workspace_id, a.action_id + 1) \gset
SELECT is(:seen::bigint, 1::bigint,
          'sees_action_of() in the query on the workspace''s shard reads the action there (no distributed query)');
SELECT is(:unseen::bigint, 0::bigint,
          'sees_action_of() of no such action: false');
SELECT throws_ok(format('SELECT actions.sees_action_of(%s, %s)', :ws, :act), '55000', NULL,
                 'sees_action_of() on the coordinator, not in a query on the shard: the store''s error naming the node (55000), no distributed query');

-- The calendar policies' helpers (PL/pgSQL): a reference table, a distributed one by calendar.
SELECT is(actions.sees_calendar(0), false, 'sees_calendar() of no calendar: false (planned with the value)');
SELECT is(actions.sees_calendar_in_use(0), false, 'sees_calendar_in_use() of no calendar: false (planned with the value)');

SELECT * FROM finish();
