-- pg_actions install script, part 62: delivery of notifications by e-mail and webhook
-- (contrib/notifier). A channel is opened once; from then on every notification gets one delivery
-- row per open channel (a trigger), which a worker takes with FOR UPDATE SKIP LOCKED, delivers and
-- marks in the same transaction. A worker that dies before its commit leaves the row pending and
-- unlocked, so another one (or the restarted one) delivers it; a death between the send and the
-- commit sends it again, under the same idempotency key (notification and channel).

CREATE TABLE actions.delivery_channel (
    channel   text PRIMARY KEY CHECK (channel IN ('email', 'webhook')),
    opened_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE actions.delivery_channel IS
    'Channels notifications are delivered on outside the database (actions.open_delivery_channel()); each notification created while a channel is open gets a delivery row for it';
COMMENT ON COLUMN actions.delivery_channel.channel IS 'email or webhook';
COMMENT ON COLUMN actions.delivery_channel.opened_at IS 'When the channel was opened: notifications created before are not delivered on it';

CREATE TABLE actions.notification_delivery (
    workspace_id    bigint NOT NULL,
    notification_id bigint NOT NULL,
    channel         text NOT NULL REFERENCES actions.delivery_channel ON DELETE CASCADE,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'skipped', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text,
    PRIMARY KEY (workspace_id, notification_id, channel),
    FOREIGN KEY (workspace_id, notification_id) REFERENCES actions.notification ON DELETE CASCADE,
    CHECK ((state = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX notification_delivery_pending_idx ON actions.notification_delivery (channel, next_attempt_at)
    WHERE state = 'pending';
COMMENT ON TABLE actions.notification_delivery IS
    'The outbox of each open channel: one row per notification and channel, taken by a worker with actions.claim_delivery()';
COMMENT ON COLUMN actions.notification_delivery.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.notification_delivery.notification_id IS 'The notification (actions.notification)';
COMMENT ON COLUMN actions.notification_delivery.channel IS 'email or webhook';
COMMENT ON COLUMN actions.notification_delivery.state IS
    'pending (to deliver from next_attempt_at), delivered, skipped (the kind was turned off, the person opted out of it or left the workspace before delivery) or failed (gave up after the worker''s last attempt)';
COMMENT ON COLUMN actions.notification_delivery.attempts IS 'Sends that ended (delivered or failed); a send cut short by a crash is not counted';
COMMENT ON COLUMN actions.notification_delivery.next_attempt_at IS 'When a pending row may be taken: now, or later after a failed attempt (backoff)';
COMMENT ON COLUMN actions.notification_delivery.delivered_at IS 'When the worker marked it delivered';
COMMENT ON COLUMN actions.notification_delivery.last_error IS 'The error of the last failed attempt, or why it was skipped';

-- A notification is queued on every open channel as the extension writes it (store/notify.cpp,
-- in C: one index scan of actions.delivery_channel, nothing more while no channel is open).

CREATE FUNCTION actions.open_delivery_channel(channel text, since timestamptz DEFAULT NULL) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    opened timestamptz;
BEGIN
    IF channel IS NULL OR channel NOT IN ('email', 'webhook') THEN
        RAISE EXCEPTION 'unknown delivery channel: %', coalesce(channel, 'NULL')
            USING ERRCODE = '22023', HINT = 'channel is email or webhook';
    END IF;
    INSERT INTO actions.delivery_channel AS c (channel, opened_at)
    VALUES (open_delivery_channel.channel, pg_catalog.now())
    ON CONFLICT ON CONSTRAINT delivery_channel_pkey DO NOTHING;
    SELECT c.opened_at INTO opened FROM actions.delivery_channel c
     WHERE c.channel = open_delivery_channel.channel FOR UPDATE;
    IF since IS NOT NULL AND since < opened THEN
        -- The notifications created since then are queued as well, once.
        INSERT INTO actions.notification_delivery (workspace_id, notification_id, channel)
        SELECT n.workspace_id, n.notification_id, open_delivery_channel.channel
          FROM actions.notification n
         WHERE n.created_at >= since AND n.created_at < opened
        ON CONFLICT ON CONSTRAINT notification_delivery_pkey DO NOTHING;
        UPDATE actions.delivery_channel c SET opened_at = since WHERE c.channel = open_delivery_channel.channel;
        opened := since;
    END IF;
    RETURN opened;
END
$$;
COMMENT ON FUNCTION actions.open_delivery_channel(text, timestamptz) IS
    'Open a delivery channel (email or webhook) if it is not open: every notification created from then on is queued on it; since: also queue the notifications created since then. Returns when the channel was opened. The notifier calls it at start';

CREATE FUNCTION actions.claim_delivery(channel text)
    RETURNS TABLE (workspace_id bigint, notification_id bigint, attempts integer,
                   kind text, person_id bigint, email text, display_name text, workspace_name text,
                   action_id bigint, action_title text, action_ids bigint[], link text, created_at timestamptz,
                   idempotency_key text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    d actions.notification_delivery;
    why text;
BEGIN
    LOOP
        -- The oldest due row no other worker holds; locked until the caller's transaction ends.
        SELECT * INTO d FROM actions.notification_delivery q
         WHERE q.channel = claim_delivery.channel AND q.state = 'pending' AND q.next_attempt_at <= pg_catalog.now()
         ORDER BY q.next_attempt_at, q.notification_id
         LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        -- The person's and the workspace's settings as they are now, not when it was created.
        SELECT CASE
                   WHEN EXISTS (SELECT 1 FROM actions.notification_setting s
                                 WHERE s.workspace_id = n.workspace_id AND s.kind = n.kind AND NOT s.enabled)
                       THEN 'the workspace turned the kind ' || n.kind || ' off'
                   WHEN EXISTS (SELECT 1 FROM actions.notification_opt_out o
                                 WHERE o.workspace_id = n.workspace_id AND o.person_id = n.person_id AND o.kind = n.kind)
                       THEN 'the person opted out of ' || n.kind
                   WHEN EXISTS (SELECT 1 FROM actions.member m
                                 WHERE m.workspace_id = n.workspace_id AND m.person_id = n.person_id
                                   AND m.state <> ALL (actions.list_vocabulary('member_named')))
                       THEN 'the person left the workspace'
               END INTO why
          FROM actions.notification n
         WHERE n.workspace_id = d.workspace_id AND n.notification_id = d.notification_id;
        IF why IS NULL THEN
            EXIT;
        END IF;
        UPDATE actions.notification_delivery q SET state = 'skipped', last_error = why
         WHERE q.workspace_id = d.workspace_id AND q.notification_id = d.notification_id AND q.channel = d.channel;
    END LOOP;
    RETURN QUERY
    SELECT d.workspace_id, d.notification_id, d.attempts, n.kind, n.person_id, p.email, p.display_name,
           w.name, n.action_id, a.title, n.action_ids, n.link, n.created_at,
           'pg-actions-' || d.workspace_id || '-' || d.notification_id || '-' || d.channel
      FROM actions.notification n
      JOIN actions.person p ON p.person_id = n.person_id
      JOIN actions.workspace w ON w.workspace_id = n.workspace_id
      LEFT JOIN actions.action a ON a.workspace_id = n.workspace_id AND a.action_id = n.action_id
     WHERE n.workspace_id = d.workspace_id AND n.notification_id = d.notification_id;
END
$$;
COMMENT ON FUNCTION actions.claim_delivery(text) IS
    'Notifier: take the oldest due pending delivery of the channel that no other transaction holds (FOR UPDATE SKIP LOCKED; held until the caller''s transaction ends) and return what to send, with its idempotency key pg-actions-<workspace>-<notification>-<channel>; no row when none is due. Rows whose kind the workspace turned off, whose person opted out of the kind or left the workspace are marked skipped on the way';

CREATE FUNCTION actions.mark_delivered(workspace_id bigint, notification_id bigint, channel text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    UPDATE actions.notification_delivery q
       SET state = 'delivered', delivered_at = pg_catalog.now(), attempts = q.attempts + 1
     WHERE q.workspace_id = mark_delivered.workspace_id AND q.notification_id = mark_delivered.notification_id
       AND q.channel = mark_delivered.channel AND q.state = 'pending';
    RETURN FOUND;
END
$$;
COMMENT ON FUNCTION actions.mark_delivered(bigint, bigint, text) IS
    'Notifier: mark a pending delivery delivered (in the transaction that claimed it); false when it was not pending';

CREATE FUNCTION actions.mark_delivery_failed(workspace_id bigint, notification_id bigint, channel text, error text,
                                             retry_base interval DEFAULT '10 seconds', max_attempts integer DEFAULT 10)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    new_state text;
    attempts_before integer;
    next_at timestamptz;
BEGIN
    SELECT q.attempts INTO attempts_before
      FROM actions.notification_delivery q
     WHERE q.workspace_id = mark_delivery_failed.workspace_id
       AND q.notification_id = mark_delivery_failed.notification_id
       AND q.channel = mark_delivery_failed.channel AND q.state = 'pending'
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    new_state := CASE WHEN attempts_before + 1 >= mark_delivery_failed.max_attempts THEN 'failed' ELSE 'pending' END;
    -- Exponential backoff: retry_base, then twice as long each time, at most a day.
    next_at := pg_catalog.now() + LEAST(interval '1 day',
                                        mark_delivery_failed.retry_base * pg_catalog.power(2, LEAST(attempts_before, 30)));
    -- One write, its values computed here (Citus runs no STABLE function such as
    -- timestamptz + interval beside a column in a write; values it passes as they are).
    UPDATE actions.notification_delivery q
       SET attempts = attempts_before + 1,
           last_error = pg_catalog.left(mark_delivery_failed.error, 2000),
           state = new_state,
           next_attempt_at = next_at
     WHERE q.workspace_id = mark_delivery_failed.workspace_id
       AND q.notification_id = mark_delivery_failed.notification_id
       AND q.channel = mark_delivery_failed.channel;
    RETURN new_state;
END
$$;
COMMENT ON FUNCTION actions.mark_delivery_failed(bigint, bigint, text, text, interval, integer) IS
    'Notifier: record a failed attempt of a pending delivery: retried after retry_base * 2^(attempts before), at most a day, or failed for good at max_attempts; returns the new state (pending or failed), NULL when it was not pending';

REVOKE ALL ON FUNCTION actions.open_delivery_channel(text, timestamptz),
    actions.claim_delivery(text), actions.mark_delivered(bigint, bigint, text),
    actions.mark_delivery_failed(bigint, bigint, text, text, interval, integer) FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.delivery_channel', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification_delivery', '');
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.delivery_channel
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.delivery_channel ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification_delivery ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.delivery_channel IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification_delivery IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.delivery_channel
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
CREATE TRIGGER restore_done AFTER INSERT ON actions.notification_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.delivery_channel ENABLE ALWAYS TRIGGER restore_done;
ALTER TABLE actions.notification_delivery ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.delivery_channel IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';
COMMENT ON TRIGGER restore_done ON actions.notification_delivery IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';
