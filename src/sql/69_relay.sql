-- pg_actions install script, part 69: NOTIFY on a Citus cluster. A notification is announced with
-- NOTIFY pg_actions where it is written; on a Citus worker it is not (a listener connects to the
-- coordinator, and a transaction that ran NOTIFY cannot PREPARE, which Citus does on every node a
-- transaction wrote): the row is marked relay_pending, and the coordinator's relay announces it
-- (docs/design.md, "Notifications on a cluster"). On a single node nothing is ever pending.

ALTER TABLE actions.notification ADD COLUMN relay_pending boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN actions.notification.relay_pending IS
    'Written on a Citus worker and not yet announced: actions.relay_notifications() on the coordinator sends its NOTIFY pg_actions and clears it';
CREATE INDEX notification_relay_idx ON actions.notification (workspace_id, created_at, notification_id) WHERE relay_pending;

-- One pass of the relay: for each workspace with pending notifications that no other relay is
-- relaying (a transaction-level advisory lock per workspace on the coordinator: two relays never
-- interleave one workspace's notifications), at most `batch` of them, oldest first, cleared and
-- announced in that order, in the caller's transaction: its NOTIFYs are delivered when it
-- commits, together with the clearing on the workers (exactly once; a rollback undoes both).
-- Each workspace's statements name it, so Citus sends them to its node alone.
CREATE FUNCTION actions.relay_notifications(batch integer DEFAULT 1000) RETURNS integer
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    w bigint;
    n record;
    relayed integer := 0;
BEGIN
    IF batch IS NULL OR batch < 1 OR batch > 100000 THEN
        RAISE EXCEPTION 'batch % is out of range', batch USING ERRCODE = '22023', HINT = 'use a batch from 1 to 100000';
    END IF;
    FOR w IN SELECT DISTINCT p.workspace_id FROM actions.notification p WHERE p.relay_pending ORDER BY 1 LOOP
        CONTINUE WHEN NOT pg_try_advisory_xact_lock(hashtext('pg_actions.relay_notifications'), hashint8(w));
        FOR n IN
            WITH taken AS (
                UPDATE actions.notification t SET relay_pending = false
                 WHERE t.workspace_id = w AND t.relay_pending
                   AND t.notification_id IN (SELECT p.notification_id FROM actions.notification p
                                              WHERE p.workspace_id = w AND p.relay_pending
                                              ORDER BY p.created_at, p.notification_id
                                              LIMIT batch FOR UPDATE SKIP LOCKED)
                RETURNING t.notification_id, t.created_at)
            SELECT taken.notification_id FROM taken ORDER BY taken.created_at, taken.notification_id
        LOOP
            PERFORM pg_notify('pg_actions', n.notification_id::text);
            relayed := relayed + 1;
        END LOOP;
    END LOOP;
    RETURN relayed;
END
$fn$;
COMMENT ON FUNCTION actions.relay_notifications(integer) IS
    'On a Citus coordinator: sends NOTIFY pg_actions for the notifications written on the workers (at most batch per workspace, oldest first) and clears their relay_pending, in this transaction; returns how many. Nothing to do on a single node';
REVOKE ALL ON FUNCTION actions.relay_notifications(integer) FROM PUBLIC;

-- The relay as a loop: relay_notifications() and a commit every `poll` until `run_for` has passed
-- (a session of its own, or pg_cron every minute with run_for => '59 seconds'). A procedure that
-- commits may not have a SET clause: it pins search_path for each of its transactions itself, and
-- every name in it is schema-qualified, types included. Invoker's rights, administrators only.
CREATE PROCEDURE actions.run_notification_relay(run_for interval DEFAULT '1 minute', poll interval DEFAULT '100 milliseconds')
    LANGUAGE plpgsql
    AS $fn$
DECLARE
    until pg_catalog.timestamptz := pg_catalog.clock_timestamp() OPERATOR(pg_catalog.+) run_for;
BEGIN
    IF run_for IS NULL OR poll IS NULL OR poll OPERATOR(pg_catalog.<) '1 millisecond'::pg_catalog.interval
       OR poll OPERATOR(pg_catalog.>) '1 minute'::pg_catalog.interval THEN
        RAISE EXCEPTION 'run_for must be given and poll from 1 millisecond to 1 minute' USING ERRCODE = '22023',
            HINT = 'for example CALL actions.run_notification_relay(''59 seconds'')';
    END IF;
    LOOP
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        PERFORM actions.relay_notifications();
        COMMIT;
        EXIT WHEN pg_catalog.clock_timestamp() OPERATOR(pg_catalog.>=) until;
        PERFORM pg_catalog.pg_sleep(pg_catalog.date_part('epoch', poll));
    END LOOP;
END
$fn$;
COMMENT ON PROCEDURE actions.run_notification_relay(interval, interval) IS
    'On a Citus coordinator: runs actions.relay_notifications() and commits every poll until run_for has passed (CALL it outside a transaction block, in a session of its own or from pg_cron)';
REVOKE ALL ON PROCEDURE actions.run_notification_relay(interval, interval) FROM PUBLIC;
