-- pg_actions upgrade script 0.2 -> 0.3 (ALTER EXTENSION pg_actions UPDATE TO '0.3').
-- Frozen once 0.3 is released; a later schema change adds pg_actions--0.3--0.4.sql instead.
-- test/tap/008_upgrade.pl checks that 0.2 (and 0.1, through 0.2) + this script equals a fresh install of 0.3.

\echo Use "ALTER EXTENSION pg_actions UPDATE" to load this file. \quit

-- ==== domain rules in the core ====
-- mark_overdue(), add_member() and substituted_members() become C functions whose decisions are
-- the core's (core::becomes_overdue, core::state_after_add, core::stands_in); same signatures,
-- errors and locks.
CREATE OR REPLACE FUNCTION actions.add_member(workspace_id bigint, person_id bigint, role text DEFAULT 'user')
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_member';
CREATE OR REPLACE FUNCTION actions.mark_overdue() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_mark_overdue';
CREATE OR REPLACE FUNCTION actions.substituted_members() RETURNS TABLE (workspace_id bigint, person_id bigint)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_substituted_members';
CREATE FUNCTION actions.enumerated_columns() RETURNS TABLE (table_name text, column_name text, names text[])
    LANGUAGE c IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_enumerated_columns';
COMMENT ON FUNCTION actions.enumerated_columns() IS
    'Every column the schema restricts to a list of names (a table''s column, or a domain''s value), with the core''s names for it in order: each such CHECK lists exactly these';
REVOKE ALL ON FUNCTION actions.enumerated_columns() FROM PUBLIC;

-- ==== one visibility rule ====
-- Who may see an action is said once, by actions.may_see_action(), which the policies on
-- actions.action and actions.service_level and the view actions.action_list_rows ask; nobody sees
-- anything different.
CREATE TYPE actions.member_key AS (workspace_id bigint, person_id bigint);
COMMENT ON TYPE actions.member_key IS 'A member of a workspace (workspace, person): the absent members the acting person stands in for, as actions.may_see_action() takes them (actions.substituted_members())';
CREATE FUNCTION actions.may_see_action(workspace_id bigint, action_id bigint, record_id bigint, group_ids bigint[],
                                       assignee_id bigint, owner_id bigint, delegated_by bigint, sees_all boolean,
                                       view_workspaces bigint[], view_groups bigint[], party_records bigint[],
                                       candidate_actions bigint[], substituted actions.member_key[],
                                       member_workspaces bigint[], actor bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN sees_all
        OR workspace_id OPERATOR(pg_catalog.=) ANY (view_workspaces)
        OR group_ids OPERATOR(pg_catalog.&&) view_groups
        OR record_id OPERATOR(pg_catalog.=) ANY (party_records)
        OR action_id OPERATOR(pg_catalog.=) ANY (candidate_actions)
        OR ROW(workspace_id, assignee_id)::actions.member_key OPERATOR(pg_catalog.=) ANY (substituted)
        OR (workspace_id OPERATOR(pg_catalog.=) ANY (member_workspaces)
            AND actor OPERATOR(pg_catalog.=) ANY (ARRAY[assignee_id, owner_id, delegated_by]));
COMMENT ON FUNCTION actions.may_see_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint, boolean, bigint[], bigint[], bigint[], bigint[], actions.member_key[], bigint[], bigint) IS
    'Whether an action (workspace, id, record, groups, assignee, owner, delegator) is visible to the acting person, given the session''s actions.service_sees_all(), visible_workspaces(), visible_groups(), party_records(), candidate_actions(), substituted_members(), member_workspaces() and current_actor(): the one rule of the policies on actions.action and actions.service_level and of actions.action_list_rows';

ALTER POLICY action_visible ON actions.action USING (
    actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
        (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
        (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
        (SELECT actions.candidate_actions())::bigint[],
        (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
        (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor())));
ALTER POLICY action_service_update ON actions.action USING ((SELECT actions.is_trusted_service()) AND (
        actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
            (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
            (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
            (SELECT actions.candidate_actions())::bigint[],
            (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
            (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor()))));
ALTER POLICY action_service_delete ON actions.action USING ((SELECT actions.is_trusted_service()) AND (
        actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
            (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
            (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
            (SELECT actions.candidate_actions())::bigint[],
            (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
            (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor()))));
ALTER POLICY service_level_visible ON actions.service_level USING (
    actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, NULL,
        (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
        (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
        (SELECT actions.candidate_actions())::bigint[],
        (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
        (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor())));
CREATE OR REPLACE VIEW actions.action_list_rows AS
SELECT a.workspace_id, a.action_id, a.title, a.description, a.type, a.status, a.priority, a.due_at,
       (a.due_at IS NOT NULL AND a.due_at < now() AND a.status = ANY (actions.list_vocabulary('open'))) AS overdue,
       a.assignee_id, (SELECT ap.display_name FROM actions.person ap WHERE ap.person_id = a.assignee_id) AS assignee_name,
       a.owner_id, (SELECT op.display_name FROM actions.person op WHERE op.person_id = a.owner_id) AS owner_name,
       a.record_id,
       -- A record's fields only for someone who may see the record (NULL otherwise): seeing an
       -- action does not show the record it is linked to.
       (SELECT r.title FROM actions.record r WHERE r.workspace_id = a.workspace_id AND r.record_id = a.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_title,
       (SELECT r.kind FROM actions.record r WHERE r.workspace_id = a.workspace_id AND r.record_id = a.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_kind,
       a.group_ids,
       ARRAY(SELECT g.name FROM actions."group" g
              WHERE g.workspace_id = a.workspace_id AND g.group_id = ANY (a.group_ids) ORDER BY g.name) AS group_names,
       a.created_at, a.updated_at,
       array_position(actions.list_vocabulary('priority'), a.priority) AS priority_rank,
       array_position(actions.list_vocabulary('status'), a.status) AS status_rank
  FROM actions.action a
 WHERE -- the rule of the policy action_visible (45_visibility.sql)
       actions.may_see_action(a.workspace_id, a.action_id, a.record_id, a.group_ids, a.assignee_id, a.owner_id, a.delegated_by,
        (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
        (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
        (SELECT actions.candidate_actions())::bigint[],
        (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
        (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor()));
GRANT EXECUTE ON FUNCTION actions.may_see_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint, boolean, bigint[], bigint[], bigint[], bigint[], actions.member_key[], bigint[], bigint) TO PUBLIC;

-- ==== tracked rows in the core ====
-- actions.track_row() becomes a C function: how a tracked table's row maps to its record is the
-- core's rule (core/tracked_rows.hpp); same checks, errors and writes.
CREATE OR REPLACE FUNCTION actions.track_row(source regclass, op text, old_key text, new_key text, title text, archived boolean)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_track_row';

-- ==== the ledger's leaves, a seal's in rows of up to 10,000 ====
-- One row per leaf (three index entries each) becomes one row per 10,000 leaves of a seal, in
-- action_id order: the order the seal's Merkle root was computed in, so every seal verifies as
-- before. read_until of the converted rows is the upgrade's time: the first seal after it skips
-- every head they hold (a later one only those of the seals read after its window began).
ALTER TABLE actions.ledger_leaf RENAME TO ledger_leaf_0_2;
ALTER INDEX actions.ledger_leaf_pkey RENAME TO ledger_leaf_0_2_pkey;
-- From PostgreSQL 18 on, NOT NULL constraints have names, chosen unique in the schema: the old
-- table's are renamed too, so the new table's get the names a fresh install gives them.
DO $$
DECLARE
    c name;
BEGIN
    FOR c IN SELECT conname FROM pg_catalog.pg_constraint
              WHERE conrelid = 'actions.ledger_leaf_0_2'::pg_catalog.regclass AND contype = 'n' LOOP
        EXECUTE pg_catalog.format('ALTER TABLE actions.ledger_leaf_0_2 RENAME CONSTRAINT %I TO %I', c, c || '_0_2');
    END LOOP;
END
$$;
CREATE TABLE actions.ledger_leaf (
    workspace_id bigint NOT NULL,
    seal_no      bigint NOT NULL,
    chunk        integer NOT NULL,
    action_ids   bigint[] NOT NULL,
    seqs         integer[] NOT NULL,
    hashes       bytea[] NOT NULL,
    read_until   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, seal_no, chunk)
);
-- Stored out of line uncompressed: hashes do not compress, and trying costs the sealer more than
-- the rest of its work.
ALTER TABLE actions.ledger_leaf ALTER COLUMN action_ids SET STORAGE EXTERNAL,
    ALTER COLUMN seqs SET STORAGE EXTERNAL, ALTER COLUMN hashes SET STORAGE EXTERNAL;
INSERT INTO actions.ledger_leaf (workspace_id, seal_no, chunk, action_ids, seqs, hashes, read_until)
SELECT workspace_id, seal_no, (n - 1) / 10000 + 1, array_agg(action_id ORDER BY action_id),
       array_agg(seq ORDER BY action_id), array_agg(hash ORDER BY action_id), pg_catalog.now()
  FROM (SELECT l.*, row_number() OVER (PARTITION BY workspace_id, seal_no ORDER BY action_id) AS n
          FROM actions.ledger_leaf_0_2 l) leaves
 GROUP BY workspace_id, seal_no, (n - 1) / 10000;
ALTER EXTENSION pg_actions DROP TABLE actions.ledger_leaf_0_2;  -- and from the tables dumped with their rows
DROP TABLE actions.ledger_leaf_0_2;
REVOKE ALL ON actions.ledger_leaf FROM PUBLIC;
COMMENT ON TABLE actions.ledger_leaf IS 'The chain heads each seal holds (an action''s newest entry when the seal was made), in action_id order, at most 10,000 to a row';
COMMENT ON COLUMN actions.ledger_leaf.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.ledger_leaf.seal_no IS 'Seal that holds the leaves';
COMMENT ON COLUMN actions.ledger_leaf.chunk IS 'Position of the row among the seal''s rows: 1, 2, 3, ... (the leaves continue in action_id order)';
COMMENT ON COLUMN actions.ledger_leaf.action_ids IS 'Action of each leaf, ascending';
COMMENT ON COLUMN actions.ledger_leaf.seqs IS 'seq of the chain''s newest entry at the seal, for each leaf';
COMMENT ON COLUMN actions.ledger_leaf.hashes IS 'hash of that entry, for each leaf';
COMMENT ON COLUMN actions.ledger_leaf.read_until IS 'A time after the seal read the log (not sealed: the next seal skips the heads held by the seals read after its window began)';
COMMENT ON COLUMN actions.ledger_seal.leaf_count IS 'Number of chain heads the seal holds (its leaves in actions.ledger_leaf)';
CREATE TRIGGER ledger_leaf_immutable BEFORE UPDATE OR DELETE ON actions.ledger_leaf
    FOR EACH ROW EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER ledger_leaf_no_truncate BEFORE TRUNCATE ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER ledger_leaf_immutable;
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER ledger_leaf_no_truncate;
SELECT pg_catalog.pg_extension_config_dump('actions.ledger_leaf', '');
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.ledger_leaf IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.ledger_leaf IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';

-- ==== kept eligibility facts ====
-- The eligibility questions (eligible_approvers, is_eligible_approver, why_not 'approve') keep
-- what they read from these tables across statements; every statement that writes one of them
-- tells every session to drop it (at its commit; this session's next command at once).
CREATE FUNCTION actions.kept_facts_changed() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_kept_facts_changed';
COMMENT ON FUNCTION actions.kept_facts_changed() IS
    'Trigger: after a statement writes actions.role, member, group or group_member, invalidates the eligibility facts every session keeps (a relcache invalidation sent at commit, and a lock held until it is sent)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions.role
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions.role ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions.role IS
    'Invalidates the eligibility facts sessions keep of the roles (actions.kept_facts_changed)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions.member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions.member ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions.member IS
    'Invalidates the eligibility facts sessions keep of the members (actions.kept_facts_changed)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions."group"
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions."group" ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions."group" IS
    'Invalidates the eligibility facts sessions keep of the groups and their paths (actions.kept_facts_changed)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions.group_member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions.group_member ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions.group_member IS
    'Invalidates the eligibility facts sessions keep of the group members (actions.kept_facts_changed)';
REVOKE ALL ON FUNCTION actions.kept_facts_changed() FROM PUBLIC;

-- ==== member states from the core ====
-- actions.list_vocabulary() also answers member_acting and member_named (core/member.hpp), which
-- claim_delivery() and the library's statements read instead of spelling a member state.
COMMENT ON FUNCTION actions.list_vocabulary(text) IS
    'The allowed values of a list filter or sort, from the core: status, priority, open (statuses of work still open), open_not_overdue (those a passed due date makes overdue), sort, direction; and the member states in which a member acts (member_acting) and may be named (member_named); in rank order';
CREATE OR REPLACE FUNCTION actions.claim_delivery(channel text)
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

-- ==== routing on Citus ====
-- (src/sql/68_routing.sql)
CREATE FUNCTION actions.routed_functions()
    RETURNS TABLE (fn regprocedure, distribution_arg name)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
SELECT p.oid::regprocedure, a.name
  FROM pg_proc p
 CROSS JOIN LATERAL (
        SELECT arg.name::name AS name
          FROM unnest(p.proargnames,
                      coalesce(p.proargmodes,
                               array_fill('i'::"char", ARRAY[cardinality(p.proargnames)])),
                      coalesce(p.proallargtypes, p.proargtypes::oid[]))
               AS arg(name, mode, type)
         WHERE arg.mode IN ('i', 'b') AND arg.type = 'bigint'::regtype
           AND arg.name IN ('workspace_id', 'in_workspace')
         LIMIT 1) a
 WHERE p.pronamespace = 'actions'::regnamespace
   AND p.prokind = 'f'
   AND p.proargnames IS NOT NULL
   -- The questions row-level security asks per row run where the row is.
   AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_policy'::regclass
                      AND d.refclassid = 'pg_proc'::regclass AND d.refobjid = p.oid)
   -- A function given a table of the coordinator's (track_table) works on the coordinator's catalog.
   AND NOT ('regclass'::regtype = ANY (p.proargtypes::oid[]))
 ORDER BY p.oid::regprocedure::text
$$;
COMMENT ON FUNCTION actions.routed_functions() IS
    'The functions that run on the node holding their workspace on Citus (actions.distribute() makes each a distributed function colocated with actions.workspace), and the argument naming the workspace: every function of the schema taking a bigint workspace_id, apart from those row-level security calls and those given a table';
REVOKE ALL ON FUNCTION actions.routed_functions() FROM PUBLIC;

-- Called by actions.distribute() (on the coordinator, Citus installed, actions.workspace
-- distributed): makes each routed function a distributed function, delegated also inside a
-- transaction block (force_delegation: PostgREST and most pools call inside one). Returns how many
-- it distributed now; 0 when every one already was.
CREATE FUNCTION actions.distribute_functions() RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f record;
    n integer := 0;
BEGIN
    FOR f IN
        SELECT r.fn, r.distribution_arg
          FROM actions.routed_functions() r
         WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_dist_object o
                            WHERE o.classid = 'pg_proc'::regclass AND o.objid = r.fn
                              AND o.distribution_argument_index IS NOT NULL)
    LOOP
        PERFORM pg_catalog.create_distributed_function(f.fn, f.distribution_arg::text,
                                                       colocate_with => 'actions.workspace',
                                                       force_delegation => true);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION actions.distribute_functions() IS
    'Part of actions.distribute(): makes every function of actions.routed_functions() a Citus distributed function colocated with actions.workspace (delegated inside transaction blocks too); returns how many it distributed now';
REVOKE ALL ON FUNCTION actions.distribute_functions() FROM PUBLIC;

-- ==== statements Citus routes ====
-- The workspace's filter as a plain equality (one statement per case), and unread_count() in
-- PL/pgSQL: Citus routes these to the workspace's shard (src/sql/47_list.sql).
CREATE OR REPLACE FUNCTION actions.list_notifications(in_workspace bigint DEFAULT NULL, unread_only boolean DEFAULT false,
                                           page_size integer DEFAULT 50, before_id bigint DEFAULT NULL)
RETURNS TABLE (notification_id bigint, workspace_id bigint, kind text, action_id bigint, link text,
               created_at timestamptz, read_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF page_size IS NULL OR page_size < 1 OR page_size > 1000 THEN
        RAISE EXCEPTION 'page_size % is out of range', page_size USING ERRCODE = '22023', HINT = 'use a page size from 1 to 1000';
    END IF;
    -- One statement per case of in_workspace: the workspace's filter stays a plain equality, which
    -- Citus routes to the workspace's shard (docs/design.md, "On Citus").
    IF in_workspace IS NULL THEN
        RETURN QUERY
            SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
              FROM actions.notification n
             WHERE n.person_id = me
               AND (NOT unread_only OR n.read_at IS NULL)
               AND (before_id IS NULL OR n.notification_id < before_id)
             ORDER BY n.notification_id DESC
             LIMIT page_size;
    ELSE
        RETURN QUERY
            SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
              FROM actions.notification n
             WHERE n.workspace_id = in_workspace AND n.person_id = me
               AND (NOT unread_only OR n.read_at IS NULL)
               AND (before_id IS NULL OR n.notification_id < before_id)
             ORDER BY n.notification_id DESC
             LIMIT page_size;
    END IF;
END
$fn$;
CREATE OR REPLACE FUNCTION actions.unread_count(workspace_id bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF unread_count.workspace_id IS NULL THEN
        RETURN (SELECT count(*) FROM actions.notification n
                 WHERE n.person_id = actions.current_actor() AND n.read_at IS NULL);
    END IF;
    RETURN (SELECT count(*) FROM actions.notification n
             WHERE n.workspace_id = unread_count.workspace_id
               AND n.person_id = actions.current_actor() AND n.read_at IS NULL);
END
$fn$;
