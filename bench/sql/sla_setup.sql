-- Service-level benchmark set-up, run by bench/sla.sh as postgres in a fresh database.
--   :actions  actions (1000000)
-- One workspace (owner sla_owner, a login role, with view_actions) with 300 members and 20 groups;
-- :actions actions created over the last 365 days, evenly; 70% complete 0 to 10 days after
-- creation, the rest open; due 1 to 8 days after creation. The rows and their log (created,
-- assigned, started, completed: about 3.4 entries an action, the same events, values and detail
-- the log trigger writes) are bulk-inserted with the triggers off; the log's hashes are not
-- computed (verify_log is not part of this benchmark). actions.service_level is then rebuilt from
-- the log by actions.rebuild_service_levels(), which bench/sla.sh times.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS pg_actions;
SELECT format('CREATE ROLE %I LOGIN', 'sla_owner') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sla_owner')
\gexec
SELECT actions.create_person('owner@sla.example', 'SLA Owner', 'sla_owner') AS owner \gset
SELECT actions.create_workspace('sla bench', 'UTC', NULL, :owner) AS ws \gset
\connect - sla_owner
SET client_min_messages = warning;
SELECT count(actions.create_group(:ws, format('group %s', i))) FROM generate_series(1, 20) i;
\connect - postgres
SET client_min_messages = warning;
INSERT INTO actions.person (email, display_name)
SELECT format('p%s@sla-member.example', i), format('Person %s', i) FROM generate_series(1, 299) i;
INSERT INTO actions.member (workspace_id, person_id, role_id)
SELECT :ws, p.person_id, r.role_id FROM actions.person p JOIN actions.role r ON r.workspace_id = :ws AND r.name = 'user'
 WHERE p.email LIKE '%@sla-member.example';

CREATE TEMP TABLE people AS
SELECT row_number() OVER (ORDER BY person_id) - 1 AS k, person_id FROM actions.member WHERE workspace_id = :ws;
CREATE TEMP TABLE grp AS
SELECT row_number() OVER (ORDER BY group_id) - 1 AS k, group_id FROM actions."group" WHERE workspace_id = :ws;
SELECT (SELECT count(*) FROM people) AS npeople, (SELECT count(*) FROM grp) AS ngroups \gset

-- The facts of each action, then the rows and the log from them.
CREATE TEMP TABLE src AS
SELECT i, a.person_id AS assignee, o.person_id AS owner, g.group_id,
       CASE i % 4 WHEN 0 THEN 'review' ELSE 'task' END AS type,
       c.created, c.created + make_interval(hours => 24 + (i * 13) % 168) AS due,
       i % 10 < 7 AS done,
       LEAST(c.created + interval '1 hour' + make_interval(mins => (i * 37) % 14400), now()) AS completed
  FROM generate_series(1, :actions) i
  CROSS JOIN LATERAL (SELECT now() - make_interval(secs => (i::float8 / :actions) * 365 * 86400) AS created) c
  JOIN people a ON a.k = i % :npeople
  JOIN people o ON o.k = (i * 7) % :npeople
  JOIN grp g ON g.k = i % :ngroups;

ALTER TABLE actions.action DISABLE TRIGGER USER;
INSERT INTO actions.action (workspace_id, title, type, owner_id, assignee_id, group_ids, status, due_at,
                            created_at, updated_at, started_at, completed_at)
SELECT :ws, format('sla bench action %s', i), type, owner, assignee, ARRAY[group_id],
       CASE WHEN done THEN 'complete' WHEN due < now() THEN 'overdue' ELSE 'in_progress' END, due,
       created, created, created + interval '1 hour', CASE WHEN done THEN completed END
  FROM src ORDER BY i;
ALTER TABLE actions.action ENABLE TRIGGER USER;

CREATE TEMP TABLE ids AS
SELECT row_number() OVER (ORDER BY action_id) AS i, action_id FROM actions.action WHERE workspace_id = :ws;
CREATE INDEX ON ids (i);
ANALYZE ids;

CREATE FUNCTION pg_temp.iso(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
INSERT INTO actions.activity (workspace_id, action_id, seq, event, old_value, new_value, detail, actor_id, db_role, at,
                              prev_hash, hash)
SELECT :ws, d.action_id, e.seq, e.event, e.old_value, e.new_value, e.detail, s.owner, 'postgres', e.at,
       '\x00'::bytea, '\x00'::bytea
  FROM src s JOIN ids d ON d.i = s.i
  CROSS JOIN LATERAL (VALUES
      (1, 'created', NULL, 'sla bench action', jsonb_build_object('owner_id', s.owner, 'type', s.type, 'description', NULL,
          'due_at', pg_temp.iso(s.due), 'priority', 'none', 'record_id', NULL, 'group_ids', format('{%s}', s.group_id)), s.created),
      (2, 'assigned', NULL, s.assignee::text, NULL::jsonb, s.created),
      (3, 'started', 'to_do', 'in_progress', NULL, s.created + interval '1 hour'),
      (4, CASE WHEN s.done THEN 'completed' ELSE 'overdue' END, 'in_progress',
          CASE WHEN s.done THEN 'complete' ELSE 'overdue' END, NULL, CASE WHEN s.done THEN s.completed ELSE s.due END)
  ) e(seq, event, old_value, new_value, detail, at)
 WHERE e.seq < 4 OR s.done OR s.due < now();

SELECT :ws AS ws, :owner AS owner;
