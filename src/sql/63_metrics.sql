-- pg_actions install script, part 63: figures for monitoring (contrib/prometheus/queries.yaml).
-- Row-level security hides the actions from a monitoring role, so the counts come from functions
-- that run as the extension's owner and return numbers only (no title, no person); like
-- actions.maintenance_status they are not for PUBLIC: a DBA grants them to a monitoring role.

CREATE FUNCTION actions.metrics_actions()
    RETURNS TABLE (workspace_id bigint, status text, open bigint, overdue bigint, due_soon bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT w.workspace_id, s.status,
           (SELECT count(*) FROM actions.action a
             WHERE a.workspace_id = w.workspace_id AND a.status = s.status),
           (SELECT count(*) FROM actions.action a
             WHERE a.workspace_id = w.workspace_id AND a.status = s.status
               AND a.due_at IS NOT NULL AND a.due_at < pg_catalog.now()),
           (SELECT count(*) FROM actions.action a
             WHERE a.workspace_id = w.workspace_id AND a.status = s.status
               AND a.due_at IS NOT NULL AND a.due_at >= pg_catalog.now()
               AND a.due_at <= pg_catalog.now() + w.due_soon_window)
      FROM actions.workspace w
     CROSS JOIN unnest(actions.list_vocabulary('open')) AS s(status)
     ORDER BY 1, 2
$$;
COMMENT ON FUNCTION actions.metrics_actions() IS
    'Monitoring: per workspace and open status (to_do, in_progress, overdue), how many actions are open, past their due date (overdue, whether or not mark_overdue marked them yet) and due within the workspace''s due_soon_window; counts only';

CREATE FUNCTION actions.metrics_outbox()
    RETURNS TABLE (channel text, pending bigint, retrying bigint, failed bigint, delivered bigint, skipped bigint,
                   oldest_pending_age_seconds double precision)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT c.channel,
           count(*) FILTER (WHERE d.state = 'pending'),
           count(*) FILTER (WHERE d.state = 'pending' AND d.attempts > 0),
           count(*) FILTER (WHERE d.state = 'failed'),
           count(*) FILTER (WHERE d.state = 'delivered'),
           count(*) FILTER (WHERE d.state = 'skipped'),
           coalesce(extract(epoch FROM pg_catalog.now() - min(n.created_at) FILTER (WHERE d.state = 'pending')), 0)::double precision
      FROM actions.delivery_channel c
      LEFT JOIN actions.notification_delivery d ON d.channel = c.channel
      LEFT JOIN actions.notification n ON n.workspace_id = d.workspace_id AND n.notification_id = d.notification_id
     GROUP BY c.channel
     ORDER BY c.channel
$$;
COMMENT ON FUNCTION actions.metrics_outbox() IS
    'Monitoring: per open delivery channel, how many deliveries are pending (of them retrying after a failed attempt), failed for good, delivered and skipped, and the age in seconds of the oldest pending notification (0 when none)';

CREATE FUNCTION actions.metrics_ledger()
    RETURNS TABLE (workspace_id bigint, seals bigint, seal_age_seconds double precision, unsealed boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT w.workspace_id, coalesce(s.seal_no, 0),
           extract(epoch FROM pg_catalog.now() - coalesce(s.sealed_at, w.created_at))::double precision,
           EXISTS (SELECT 1 FROM actions.activity l
                    WHERE l.workspace_id = w.workspace_id AND l.at > coalesce(s.sealed_at, '-infinity'))
      FROM actions.workspace w
      LEFT JOIN LATERAL (SELECT x.seal_no, x.sealed_at FROM actions.ledger_seal x
                          WHERE x.workspace_id = w.workspace_id ORDER BY x.seal_no DESC LIMIT 1) s ON true
     ORDER BY 1
$$;
COMMENT ON FUNCTION actions.metrics_ledger() IS
    'Monitoring: per workspace, the number of its newest ledger seal (0: never sealed), the seconds since that seal (since the workspace was created when it has none) and whether log entries newer than it exist (what seal_ledgers would seal)';

REVOKE ALL ON FUNCTION actions.metrics_actions(), actions.metrics_outbox(), actions.metrics_ledger() FROM PUBLIC;
