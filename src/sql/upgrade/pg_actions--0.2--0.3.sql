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
-- The list's view keeps the fields a list sorts and filters on; the display fields move to
-- actions.action_list (list_actions() reads them for its page itself: on Citus its statement then
-- reads the workspace's shards alone). Recreated, as a view cannot lose columns.
DROP VIEW actions.action_list;
DROP VIEW actions.action_list_rows;
CREATE VIEW actions.action_list_rows AS
SELECT a.workspace_id, a.action_id, a.title, a.description, a.type, a.status, a.priority, a.due_at,
       (a.due_at IS NOT NULL AND a.due_at < now() AND a.status = ANY (actions.list_vocabulary('open'))) AS overdue,
       a.assignee_id, a.owner_id, a.record_id, a.group_ids, a.created_at, a.updated_at,
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
COMMENT ON VIEW actions.action_list_rows IS
    'Internal: the actions the acting person sees (the predicate of the policy action_visible) with the fields a list sorts and filters on; read through actions.action_list or actions.list_actions()';
COMMENT ON COLUMN actions.action_list_rows.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_list_rows.action_id IS 'Identifier of the action';
COMMENT ON COLUMN actions.action_list_rows.title IS 'What needs to be done';
COMMENT ON COLUMN actions.action_list_rows.description IS 'Details of the work (searched, not shown by actions.action_list)';
COMMENT ON COLUMN actions.action_list_rows.type IS 'task, approval, review, acknowledgement, ...';
COMMENT ON COLUMN actions.action_list_rows.status IS 'Status (actions.list_vocabulary(status))';
COMMENT ON COLUMN actions.action_list_rows.priority IS 'Priority (actions.list_vocabulary(priority))';
COMMENT ON COLUMN actions.action_list_rows.due_at IS 'When the action becomes overdue';
COMMENT ON COLUMN actions.action_list_rows.overdue IS 'Open and past its due date';
COMMENT ON COLUMN actions.action_list_rows.assignee_id IS 'Person responsible for it, or NULL';
COMMENT ON COLUMN actions.action_list_rows.owner_id IS 'Person who created it';
COMMENT ON COLUMN actions.action_list_rows.record_id IS 'Linked record, or NULL';
COMMENT ON COLUMN actions.action_list_rows.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list_rows.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list_rows.updated_at IS 'When the action last changed';
COMMENT ON COLUMN actions.action_list_rows.priority_rank IS 'Position of the priority in actions.list_vocabulary(priority): the priority sort key';
COMMENT ON COLUMN actions.action_list_rows.status_rank IS 'Position of the status in actions.list_vocabulary(status): the status sort key';
REVOKE ALL ON actions.action_list_rows FROM PUBLIC;

-- security_barrier: a caller's own functions in a WHERE clause see only rows the predicate passed.
-- The display fields are read here (as the owner: members cannot read people and records), for
-- BI tools; actions.list_actions() reads them for its page itself (core::list_statement; on Citus
-- the names apart, store::display_names), the same values (test/pgtap/list.sql compares them): on Citus
-- a statement a routed function runs may read the workspace's shards only, by the workspace as a
-- value, and no reference table beside them.
CREATE VIEW actions.action_list WITH (security_barrier) AS
SELECT v.workspace_id, v.action_id, v.title, v.type, v.status, v.priority, v.due_at, v.overdue,
       v.assignee_id, (SELECT ap.display_name FROM actions.person ap WHERE ap.person_id = v.assignee_id) AS assignee_name,
       v.owner_id, (SELECT op.display_name FROM actions.person op WHERE op.person_id = v.owner_id) AS owner_name,
       v.record_id,
       -- A record's fields only for someone who may see the record (NULL otherwise): seeing an
       -- action does not show the record it is linked to.
       (SELECT r.title FROM actions.record r WHERE r.workspace_id = v.workspace_id AND r.record_id = v.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_title,
       (SELECT r.kind FROM actions.record r WHERE r.workspace_id = v.workspace_id AND r.record_id = v.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_kind,
       v.group_ids,
       ARRAY(SELECT g.name FROM actions."group" g
              WHERE g.workspace_id = v.workspace_id AND g.group_id = ANY (v.group_ids) ORDER BY g.name) AS group_names,
       v.created_at, v.updated_at
  FROM actions.action_list_rows v;
COMMENT ON VIEW actions.action_list IS
    'The actions the acting person sees (exactly the rows row-level security shows them in actions.action) with the fields a list shows, for BI tools';
COMMENT ON COLUMN actions.action_list.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_list.action_id IS 'Identifier of the action';
COMMENT ON COLUMN actions.action_list.title IS 'What needs to be done';
COMMENT ON COLUMN actions.action_list.type IS 'task, approval, review, acknowledgement, ...';
COMMENT ON COLUMN actions.action_list.status IS 'Status (actions.list_vocabulary(status))';
COMMENT ON COLUMN actions.action_list.priority IS 'Priority (actions.list_vocabulary(priority))';
COMMENT ON COLUMN actions.action_list.due_at IS 'When the action becomes overdue';
COMMENT ON COLUMN actions.action_list.overdue IS 'Open and past its due date';
COMMENT ON COLUMN actions.action_list.assignee_id IS 'Person responsible for it, or NULL';
COMMENT ON COLUMN actions.action_list.assignee_name IS 'Display name of the assignee';
COMMENT ON COLUMN actions.action_list.owner_id IS 'Person who created it';
COMMENT ON COLUMN actions.action_list.owner_name IS 'Display name of the owner';
COMMENT ON COLUMN actions.action_list.record_id IS 'Linked record, or NULL';
COMMENT ON COLUMN actions.action_list.record_title IS 'Title of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list.record_kind IS 'Kind of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list.group_names IS 'Names of those groups, sorted';
COMMENT ON COLUMN actions.action_list.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list.updated_at IS 'When the action last changed';
GRANT SELECT ON actions.action_list TO PUBLIC;
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

-- ==== distribution keys ====
-- The keys and policies a distributed (Citus) install needs, the same on a single node: exactly
-- src/sql/66_distribution_keys.sql (see there).
-- Unique indexes on an id alone: the id first, so a lookup by id alone stays an index scan.
DROP INDEX actions.absence_id_idx;
CREATE UNIQUE INDEX absence_id_idx ON actions.absence (absence_id, workspace_id);
DROP INDEX actions.escalation_rule_id_idx;
CREATE UNIQUE INDEX escalation_rule_id_idx ON actions.escalation_rule (rule_id, workspace_id);
DROP INDEX actions.schedule_id_idx;
CREATE UNIQUE INDEX schedule_id_idx ON actions.schedule (schedule_id, workspace_id);
DROP INDEX actions.schedule_occurrence_action_idx;
CREATE UNIQUE INDEX schedule_occurrence_action_idx ON actions.schedule_occurrence (action_id, workspace_id);
ALTER TABLE actions.invitation DROP CONSTRAINT invitation_token_key,
    ADD CONSTRAINT invitation_token_key UNIQUE (token, workspace_id);
-- A tracked table belongs to one workspace (actions.track_table() refuses a table tracked already),
-- so its rows' records are unique by (table, key) in that workspace.
DROP INDEX actions.record_source_key;
CREATE UNIQUE INDEX record_source_key ON actions.record (source_table, source_key, workspace_id)
    WHERE source_table IS NOT NULL;
ALTER TABLE actions.tracked_table DROP CONSTRAINT tracked_table_pkey, ADD PRIMARY KEY (source, workspace_id);

-- record_party had no key (a party is a person or a group, either NULL): an identifier.
ALTER TABLE actions.record_party ADD COLUMN party_id bigint GENERATED ALWAYS AS IDENTITY,
    ADD PRIMARY KEY (workspace_id, party_id);
COMMENT ON COLUMN actions.record_party.party_id IS 'Identifier of the party row (its key with workspace_id)';
SELECT pg_catalog.pg_extension_config_dump('actions.record_party_party_id_seq', '');

-- Calendars are shared between workspaces (actions.share_calendar()), so they are global data
-- (reference tables on Citus): a calendar names its owning workspace without a foreign key.
-- Workspaces are never deleted by the API; a workspace_calendar row goes with its workspace.
ALTER TABLE actions.calendar DROP CONSTRAINT calendar_workspace_id_fkey;

-- Row-level security without subqueries. The session's questions the policies asked through a
-- sub-select (once per query, an InitPlan) are asked through actions.remembered_*(), which keep
-- each answer for the statement (src/pg/api/session_memo.cpp): a row costs a comparison, not a
-- lookup nor a SECURITY DEFINER call.
CREATE FUNCTION actions.substituted_member_keys() RETURNS actions.member_key[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_substituted_member_keys';
COMMENT ON FUNCTION actions.substituted_member_keys() IS
    'actions.substituted_members() as an array, as actions.may_see_action() takes it: the absent members the acting person stands in for now';

CREATE FUNCTION actions.remembered_ids(question regprocedure) RETURNS bigint[]
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_ids';
CREATE FUNCTION actions.remembered_flag(question regprocedure) RETURNS boolean
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_flag';
CREATE FUNCTION actions.remembered_id(question regprocedure) RETURNS bigint
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_id';
CREATE FUNCTION actions.remembered_keys(question regprocedure) RETURNS actions.member_key[]
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'pg_actions_remembered_keys';
COMMENT ON FUNCTION actions.remembered_ids(regprocedure) IS
    'The answer of a visibility question of the session returning bigint[] (actions.member_workspaces(), visible_workspaces(), visible_groups(), party_records(), candidate_actions()), asked once per statement and acting person: what the row-level security policies compare each row with';
COMMENT ON FUNCTION actions.remembered_flag(regprocedure) IS
    'The answer of a yes/no question of the session (actions.service_sees_all(), is_trusted_service()), asked once per statement and acting person, for the row-level security policies';
COMMENT ON FUNCTION actions.remembered_id(regprocedure) IS
    'The answer of actions.current_actor(), asked once per statement, for the row-level security policies';
COMMENT ON FUNCTION actions.remembered_keys(regprocedure) IS
    'The answer of actions.substituted_member_keys(), asked once per statement and acting person, for the row-level security policies';

-- Inlined into the policies (SQL body parsed at creation, every operator schema-qualified, no SET
-- clause), as actions.may_see_action() is.
CREATE FUNCTION actions.sees_workspace(workspace_id bigint) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN actions.remembered_flag('actions.service_sees_all()')
        OR workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.member_workspaces()'));
COMMENT ON FUNCTION actions.sees_workspace(bigint) IS
    'Whether the acting person reads the rows of this workspace that every member reads (roles, members, groups, templates, ...): an active member, or a trusted service that sees all';

CREATE FUNCTION actions.sees_action(workspace_id bigint, action_id bigint, record_id bigint, group_ids bigint[],
                                    assignee_id bigint, owner_id bigint, delegated_by bigint)
    RETURNS boolean LANGUAGE sql STABLE
    RETURN actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
        actions.remembered_flag('actions.service_sees_all()'),
        actions.remembered_ids('actions.visible_workspaces()'),
        actions.remembered_ids('actions.visible_groups()'),
        actions.remembered_ids('actions.party_records()'),
        actions.remembered_ids('actions.candidate_actions()'),
        actions.remembered_keys('actions.substituted_member_keys()'),
        actions.remembered_ids('actions.member_workspaces()'),
        actions.remembered_id('actions.current_actor()'));
COMMENT ON FUNCTION actions.sees_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint) IS
    'actions.may_see_action() for the acting person (this session''s service_sees_all(), visible_workspaces(), visible_groups(), party_records(), candidate_actions(), substituted_member_keys(), member_workspaces(), current_actor()): the test of the policies on actions.action and actions.service_level';

CREATE FUNCTION actions.sees_absence(workspace_id bigint, person_id bigint, substitute_id bigint)
    RETURNS boolean LANGUAGE sql STABLE
    RETURN actions.remembered_flag('actions.service_sees_all()')
        OR workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.visible_workspaces()'))
        OR (workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.member_workspaces()'))
            AND (person_id OPERATOR(pg_catalog.=) actions.remembered_id('actions.current_actor()')
                 OR substitute_id OPERATOR(pg_catalog.=) actions.remembered_id('actions.current_actor()')));
COMMENT ON FUNCTION actions.sees_absence(bigint, bigint, bigint) IS
    'Whether the acting person reads an absence: view_actions in its workspace, or, as an active member, their own or one they substitute in (the policy absence_visible)';

-- These read a table under the caller's own row-level security, as the sub-selects did (not
-- SECURITY DEFINER: the caller sees exactly what it saw).
CREATE FUNCTION actions.sees_action_of(workspace_id bigint, action_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    RETURN EXISTS (SELECT 1 FROM actions.action a
                    WHERE a.workspace_id OPERATOR(pg_catalog.=) sees_action_of.workspace_id
                      AND a.action_id OPERATOR(pg_catalog.=) sees_action_of.action_id);
COMMENT ON FUNCTION actions.sees_action_of(bigint, bigint) IS
    'Whether the caller reads this action in actions.action (under its row-level security): what the log, evidence, notes, offers, escalations and procedure places of an action follow';

CREATE FUNCTION actions.sees_calendar_in_use(calendar_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    RETURN EXISTS (SELECT 1 FROM actions.workspace_calendar wc
                    WHERE wc.calendar_id OPERATOR(pg_catalog.=) sees_calendar_in_use.calendar_id);
COMMENT ON FUNCTION actions.sees_calendar_in_use(bigint) IS
    'Whether the caller reads a workspace''s use of this calendar in actions.workspace_calendar (under its row-level security): members read the calendar their workspace uses';

CREATE FUNCTION actions.sees_calendar(calendar_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    RETURN EXISTS (SELECT 1 FROM actions.calendar c WHERE c.calendar_id OPERATOR(pg_catalog.=) sees_calendar.calendar_id);
COMMENT ON FUNCTION actions.sees_calendar(bigint) IS
    'Whether the caller reads this calendar in actions.calendar (under its row-level security): its working hours and holidays follow';

GRANT EXECUTE ON FUNCTION actions.substituted_member_keys(), actions.sees_workspace(bigint),
    actions.remembered_ids(regprocedure), actions.remembered_flag(regprocedure), actions.remembered_id(regprocedure),
    actions.remembered_keys(regprocedure),
    actions.sees_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint),
    actions.sees_absence(bigint, bigint, bigint), actions.sees_action_of(bigint, bigint),
    actions.sees_calendar_in_use(bigint), actions.sees_calendar(bigint) TO PUBLIC;

ALTER POLICY action_visible ON actions.action USING (
    actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by));
ALTER POLICY action_service_insert ON actions.action WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY action_service_update ON actions.action
    USING (actions.remembered_flag('actions.is_trusted_service()')
           AND actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by))
    WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY action_service_delete ON actions.action
    USING (actions.remembered_flag('actions.is_trusted_service()')
           AND actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by));
ALTER POLICY service_level_visible ON actions.service_level USING (
    actions.sees_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, NULL));
ALTER POLICY absence_visible ON actions.absence USING (actions.sees_absence(workspace_id, person_id, substitute_id));
ALTER POLICY action_offer_visible ON actions.action_offer USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY activity_visible ON actions.activity USING (
    actions.remembered_flag('actions.service_sees_all()') OR workspace_id OPERATOR(pg_catalog.=) ANY (actions.remembered_ids('actions.visible_workspaces()'))
    OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY activity_service_update ON actions.activity USING (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY activity_service_delete ON actions.activity USING (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY escalation_fired_visible ON actions.escalation_fired USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY evidence_visible ON actions.evidence USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY note_visible ON actions.note USING (
    actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id));
ALTER POLICY note_service_insert ON actions.note WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY note_service_update ON actions.note
    USING (actions.remembered_flag('actions.is_trusted_service()') AND (actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id)))
    WITH CHECK (actions.remembered_flag('actions.is_trusted_service()'));
ALTER POLICY note_service_delete ON actions.note
    USING (actions.remembered_flag('actions.is_trusted_service()') AND (actions.remembered_flag('actions.service_sees_all()') OR actions.sees_action_of(workspace_id, action_id)));
ALTER POLICY notification_own ON actions.notification USING (
    actions.remembered_flag('actions.service_sees_all()') OR person_id OPERATOR(pg_catalog.=) actions.remembered_id('actions.current_actor()'));
ALTER POLICY procedure_action_visible ON actions.procedure_action USING (actions.sees_action_of(workspace_id, action_id));
ALTER POLICY calendar_visible ON actions.calendar USING (
    actions.sees_workspace(workspace_id) OR actions.sees_calendar_in_use(calendar_id));
ALTER POLICY calendar_holiday_visible ON actions.calendar_holiday USING (actions.sees_calendar(calendar_id));
ALTER POLICY calendar_hours_visible ON actions.calendar_hours USING (actions.sees_calendar(calendar_id));
ALTER POLICY action_type_visible ON actions.action_type USING (actions.sees_workspace(workspace_id));
ALTER POLICY escalation_rule_visible ON actions.escalation_rule USING (actions.sees_workspace(workspace_id));
ALTER POLICY group_visible ON actions.group USING (actions.sees_workspace(workspace_id));
ALTER POLICY group_member_visible ON actions.group_member USING (actions.sees_workspace(workspace_id));
ALTER POLICY member_visible ON actions.member USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_visible ON actions.procedure USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_run_visible ON actions.procedure_run USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_setting_visible ON actions.procedure_setting USING (actions.sees_workspace(workspace_id));
ALTER POLICY procedure_step_visible ON actions.procedure_step USING (actions.sees_workspace(workspace_id));
ALTER POLICY record_kind_visible ON actions.record_kind USING (actions.sees_workspace(workspace_id));
ALTER POLICY role_visible ON actions.role USING (actions.sees_workspace(workspace_id));
ALTER POLICY schedule_visible ON actions.schedule USING (actions.sees_workspace(workspace_id));
ALTER POLICY schedule_occurrence_visible ON actions.schedule_occurrence USING (actions.sees_workspace(workspace_id));
ALTER POLICY template_visible ON actions.template USING (actions.sees_workspace(workspace_id));
ALTER POLICY template_version_visible ON actions.template_version USING (actions.sees_workspace(workspace_id));
ALTER POLICY workspace_visible ON actions.workspace USING (actions.sees_workspace(workspace_id));
ALTER POLICY workspace_calendar_visible ON actions.workspace_calendar USING (actions.sees_workspace(workspace_id));
ALTER POLICY record_visible ON actions.record USING (
    actions.may_see_record(workspace_id, record_id, group_ids, actions.remembered_flag('actions.service_sees_all()'),
        actions.remembered_ids('actions.visible_workspaces()'), actions.remembered_ids('actions.visible_groups()'), actions.remembered_ids('actions.party_records()')));

-- The trigger that keeps one list secret deletes from the table it fires on: on Citus that is each
-- placement of the reference table (a DELETE by name from a placement's trigger would be a
-- distributed command inside the copy); on a single node it is actions.list_secret, as before.
CREATE OR REPLACE FUNCTION actions.list_secret_replace() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    EXECUTE format('DELETE FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    RETURN NEW;
END
$$;

-- actions.distribute() and actions.table_kinds(): exactly src/sql/67_distribute.sql.
CREATE FUNCTION actions.table_kinds() RETURNS TABLE (table_name regclass, kind text, why text)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
    WITH listed(name, kind, why) AS (VALUES
        ('person', 'reference', 'one human across workspaces; read by every node, written when a person is added'),
        ('trusted_service', 'reference', 'registrations of applications and authenticators, read on every call'),
        ('delivery_channel', 'reference', 'the open notifier channels, read by every notification''s trigger, written when a channel opens'),
        ('list_secret', 'reference', 'the key list cursors are signed with: the same on every node, written on rotation only'),
        ('cluster_secret', 'reference', 'the key the coordinator signs the identity it carries to the workers with: the same on every node, written by distribute() and on rotation only'),
        ('calendar', 'reference', 'business calendars are shared between workspaces (share_calendar), read by due-date arithmetic'),
        ('calendar_hours', 'reference', 'working hours of a calendar, read with it'),
        ('calendar_holiday', 'reference', 'holidays of a calendar, read with it'),
        ('maintenance_run', 'local', 'what each node''s maintenance sweep did: written by every sweep, read on that node'),
        ('maintenance_error', 'local', 'the items each node''s sweep failed on: written by that sweep, read on that node'),
        ('workspace', 'distributed', 'the tenant itself, distributed by its id: the anchor of the colocation'))
    SELECT c.oid::regclass,
           coalesce(l.kind, CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id'
                                                  AND NOT a.attisdropped) THEN 'distributed' END),
           coalesce(l.why, 'per-workspace rows, distributed by workspace_id, colocated with actions.workspace')
      FROM pg_class c LEFT JOIN listed l ON l.name = c.relname
     WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind = 'r'
     ORDER BY 1;
    END;
COMMENT ON FUNCTION actions.table_kinds() IS
    'How actions.distribute() places each table of schema actions on Citus: reference (a copy on every node), distributed (by workspace_id, colocated with actions.workspace) or local (node-local bookkeeping), and why';
REVOKE ALL ON FUNCTION actions.table_kinds() FROM PUBLIC;

CREATE FUNCTION actions.distribute() RETURNS TABLE (table_name regclass, kind text, outcome text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t record;
    done regclass[] := '{}';
    pending regclass[];
    ready regclass;
    changed integer := 0;
    workers integer;
    adjusted bigint;
    routed integer;
    had_rows regclass[] := '{}';
    has_rows boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'Citus is not installed in this database'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'actions.distribute() spreads the tables of pg_actions over a Citus cluster.',
                  HINT = 'Load Citus (shared_preload_libraries = ''citus'') on the coordinator and every worker, CREATE EXTENSION citus and pg_actions on each, add the workers with citus_add_node(), then call actions.distribute() on the coordinator. A single node needs no distribution.';
    END IF;
    IF NOT citus_is_coordinator() THEN
        RAISE EXCEPTION 'actions.distribute() runs on the coordinator only'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Connect to the coordinator of the Citus cluster and call it there.';
    END IF;
    IF EXISTS (SELECT 1 FROM actions.table_kinds() k WHERE k.kind IS NULL) THEN
        RAISE EXCEPTION 'table % has no place on Citus', (SELECT k.table_name FROM actions.table_kinds() k WHERE k.kind IS NULL LIMIT 1)
            USING ERRCODE = 'internal_error', HINT = 'Add it to actions.table_kinds().';
    END IF;
    -- The log, ledger and notification triggers run on the node of the row's shard; Citus asks
    -- for this setting to distribute a table with triggers (for this transaction only).
    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    -- The per-workspace tables that reference a global one (member -> person, ...) are distributed
    -- right after it, in this transaction: Citus must not turn them into Citus local tables first.
    PERFORM set_config('citus.enable_local_reference_table_foreign_keys', 'off', true);
    -- A workspace's tables go to the node of its workspace (colocation): one round trip per call.

    -- A worker's own copies of the tables become the shells of the coordinator's (Citus creates
    -- none for tables an extension owns): the rows its CREATE EXTENSION made (its list secret) go
    -- while the copies are still plain tables, so every shell is empty, of 0 bytes (TRUNCATE; a
    -- DELETE would leave its page): test/citus/shells.sh finds anything written into one since.
    -- A table another one references by foreign key cannot be truncated alone: DELETE.
    PERFORM run_command_on_workers($w$DO $d$
        DECLARE t regclass;
        BEGIN
            FOR t IN SELECT k.table_name FROM actions.table_kinds() k
                      WHERE k.kind <> 'local'
                        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = k.table_name) LOOP
                CONTINUE WHEN pg_catalog.pg_relation_size(t) = 0;
                IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f
                            WHERE f.contype = 'f' AND f.confrelid = t AND f.conrelid <> t) THEN
                    EXECUTE pg_catalog.format('DELETE FROM %s', t);
                ELSE
                    EXECUTE pg_catalog.format('TRUNCATE %s', t);
                END IF;
            END LOOP;
        END $d$ $w$);

    -- 0. The application's tables actions.track_table() adopts are the coordinator's own: the
    -- columns naming one keep its OID (a regclass value would reach the workers by name, where no
    -- such table is). On a single node they stay regclass (a dump and restore keeps them by name).
    IF (SELECT a.atttypid FROM pg_attribute a
         WHERE a.attrelid = 'actions.tracked_table'::regclass AND a.attname = 'source') = 'regclass'::regtype THEN
        ALTER TABLE actions.tracked_table ALTER COLUMN source TYPE oid;
        ALTER TABLE actions.record ALTER COLUMN source_table TYPE oid;
    END IF;

    -- 1. Reference tables, referenced ones first (calendar before its hours and holidays).
    FOR t IN SELECT k.table_name, k.kind FROM actions.table_kinds() k WHERE k.kind = 'reference'
              ORDER BY EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = k.table_name AND f.contype = 'f'), 1 LOOP
        table_name := t.table_name; kind := t.kind;
        IF EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = t.table_name) THEN
            outcome := 'already a reference table';
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', t.table_name) INTO has_rows;
            IF has_rows THEN had_rows := had_rows || t.table_name; END IF;
            PERFORM create_reference_table(t.table_name);
            outcome := 'made a reference table';
            changed := changed + 1;
        END IF;
        RETURN NEXT;
    END LOOP;

    -- The cluster secret the coordinator signs the identity it carries to the workers with, made
    -- once (docs/security.md, "Identity on Citus").
    table_name := 'actions.cluster_secret'::regclass; kind := 'identity secret';
    IF EXISTS (SELECT 1 FROM actions.cluster_secret) THEN
        outcome := 'already made';
    ELSE
        PERFORM actions.rotate_cluster_secret();
        outcome := 'made';
        changed := changed + 1;
    END IF;
    RETURN NEXT;

    -- 2. actions.workspace by its id, then 3. every per-workspace table colocated with it, each
    -- after the tables its foreign keys reference.
    pending := ARRAY(SELECT k.table_name FROM actions.table_kinds() k WHERE k.kind = 'distributed'
                     ORDER BY k.table_name <> 'actions.workspace'::regclass, 1);
    WHILE cardinality(pending) > 0 LOOP
        SELECT p INTO ready FROM unnest(pending) WITH ORDINALITY AS u(p, n)
         WHERE NOT EXISTS (SELECT 1 FROM pg_constraint f
                            WHERE f.conrelid = u.p AND f.contype = 'f' AND f.confrelid <> u.p
                              AND f.confrelid = ANY (pending))
         ORDER BY n LIMIT 1;
        IF ready IS NULL THEN
            RAISE EXCEPTION 'the foreign keys between % form a cycle', pending USING ERRCODE = 'internal_error';
        END IF;
        table_name := ready; kind := 'distributed';
        IF EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = ready) THEN
            outcome := 'already distributed by workspace_id';
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', ready) INTO has_rows;
            IF has_rows THEN had_rows := had_rows || ready; END IF;
            IF ready = 'actions.workspace'::regclass THEN
                PERFORM create_distributed_table(ready, 'workspace_id');
                outcome := 'distributed by workspace_id';
            ELSE
                PERFORM create_distributed_table(ready, 'workspace_id', colocate_with => 'actions.workspace');
                outcome := 'distributed by workspace_id, colocated with actions.workspace';
            END IF;
            changed := changed + 1;
        END IF;
        RETURN NEXT;
        pending := array_remove(pending, ready);
        done := done || ready;
    END LOOP;

    -- The coordinator's rows were copied into the shards; its own copies (the shells) are emptied
    -- where nothing else refers to them by foreign key (the list secret of a fresh install). An
    -- install that had data keeps it in the other shells, invisible: a notice names them.
    FOR t IN SELECT u.t AS table_name FROM unnest(had_rows) AS u(t)
              WHERE NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND u.t IN (f.conrelid, f.confrelid)) LOOP
        PERFORM truncate_local_data_after_distributing_table(t.table_name);
        had_rows := array_remove(had_rows, t.table_name);
    END LOOP;
    IF cardinality(had_rows) > 0 THEN
        RAISE NOTICE 'the rows of % were copied to the shards; the coordinator''s local copies remain, unread', had_rows
            USING HINT = 'Empty them with SELECT truncate_local_data_after_distributing_table(...) where no foreign key prevents it.';
    END IF;

    FOR t IN SELECT k.table_name, k.kind FROM actions.table_kinds() k WHERE k.kind = 'local' ORDER BY 1 LOOP
        table_name := t.table_name; kind := t.kind; outcome := 'kept node-local';
        RETURN NEXT;
    END LOOP;

    -- 4. Identity ranges: every worker generates the ids of the rows it inserts from its own range
    -- ((group id << 48) + 1 on, Citus' worker_adjust_identity_column_seq_ranges), which Citus does
    -- not set for tables an extension owns. The coordinator (group 0) keeps 1 .. 2^48.
    SELECT count(*) INTO workers FROM pg_dist_node n WHERE n.noderole = 'primary' AND n.groupid <> 0 AND n.isactive;
    SELECT coalesce(sum(r.result::bigint), 0) INTO adjusted
      FROM run_command_on_workers($q$SELECT count(*) FROM pg_catalog.pg_sequence s
                                       JOIN pg_catalog.pg_depend d ON d.objid = s.seqrelid AND d.deptype = 'i'
                                       JOIN pg_catalog.pg_class c ON c.oid = d.refobjid
                                      WHERE c.oid IN (SELECT k.table_name FROM actions.table_kinds() k WHERE k.kind <> 'local')
                                        AND s.seqmin <> ((SELECT groupid FROM pg_catalog.pg_dist_local_group)::bigint << 48) + 1$q$) r
     WHERE r.success;
    FOR t IN SELECT k.table_name FROM actions.table_kinds() k
              WHERE k.kind IN ('reference', 'distributed')
                AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.table_name AND a.attidentity <> '')
              ORDER BY 1 LOOP
        PERFORM run_command_on_workers(format('SELECT pg_catalog.worker_adjust_identity_column_seq_ranges(%L::regclass)',
                                              t.table_name::text));
    END LOOP;
    table_name := NULL; kind := 'identity ranges';
    outcome := CASE WHEN adjusted = 0 THEN format('already set on %s worker(s)', workers)
                    ELSE format('%s sequence(s) given their range on %s worker(s)', adjusted, workers) END;
    RETURN NEXT;

    -- 5. Every function taking a workspace becomes a distributed function colocated with
    -- actions.workspace, so a call runs whole on the node holding it (src/sql/68_routing.sql).
    routed := actions.distribute_functions();
    table_name := NULL; kind := 'routed functions';
    outcome := CASE WHEN routed = 0 THEN 'already distributed'
                    ELSE format('%s function(s) distributed, colocated with actions.workspace', routed) END;
    RETURN NEXT;
    IF changed = 0 AND adjusted = 0 AND routed = 0 THEN
        RAISE NOTICE 'pg_actions is distributed already: nothing changed';
    ELSE
        RAISE NOTICE 'pg_actions distributed: % table(s) placed, % identity sequence(s) given their range on % worker(s), % function(s) routed',
            changed, adjusted, workers, routed;
    END IF;
END
$$;
COMMENT ON FUNCTION actions.distribute() IS
    'Administration, Citus only, on the coordinator: makes the global tables reference tables, distributes actions.workspace by its id and every per-workspace table by workspace_id colocated with it (in foreign-key order), and gives every worker its own range of identity values; returns what it did per table. A second call changes nothing (says so). Refused (55000) where Citus is not installed';
REVOKE ALL ON FUNCTION actions.distribute() FROM PUBLIC;

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
-- unread_count() in PL/pgSQL, the workspace's filter a plain equality: Citus routes it to the
-- workspace's shard (src/sql/47_list.sql). (list_notifications() below, with its new order.)
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

-- ==== Citus drops what is its own ====
CREATE OR REPLACE FUNCTION actions.forget_dropped_tables() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    dropped oid[];
BEGIN
    -- On Citus only the coordinator forgets, and only what a user drops there. A tracked table is
    -- a table of the coordinator's catalog (actions.track_table() runs where it is called, and
    -- its OID means nothing elsewhere); what a worker drops, and what Citus drops through its own
    -- connections (application_name citus_internal ...: the shells and shards of a dropped
    -- distributed table, the placements a shard move left behind, which its cleanup drops), is
    -- never a tracked table. Reading actions.tracked_table there, a distributed table, would be a
    -- distributed query inside Citus' own command, which Citus refuses: the drop would fail.
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_local_group') IS NOT NULL THEN
        IF pg_catalog.current_setting('application_name') LIKE 'citus\_internal gpid=%'
           OR EXISTS (SELECT FROM pg_catalog.pg_dist_local_group WHERE groupid <> 0) THEN
            RETURN;
        END IF;
    END IF;
    -- The dropped relations, read here: on Citus the DELETE below runs on the workers' shards,
    -- where pg_event_trigger_dropped_objects() cannot be called.
    SELECT pg_catalog.array_agg(d.objid) INTO dropped
      FROM pg_catalog.pg_event_trigger_dropped_objects() d
     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0;
    IF dropped IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM actions.tracked_table t WHERE t.source::oid = ANY (dropped);
END
$$;
COMMENT ON FUNCTION actions.forget_dropped_tables() IS
    'Event trigger: a dropped table''s row in actions.tracked_table is removed with it (on Citus, on the coordinator, for what a user drops there: Citus'' own drops of shards and shells are left alone)';

-- ==== statements Citus plans ====
-- SQL functions (not inlined) reading a distributed table with their arguments are planned by Citus
-- without the values and refused ("could not create distributed plan"): these are PL/pgSQL now, same
-- meaning, privileges and search_path (src/sql/40_admin.sql, 50_tracking.sql, 62_delivery.sql).
CREATE OR REPLACE FUNCTION actions.untrust_service(role_name name) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    DELETE FROM actions.trusted_service t WHERE t.role_name = untrust_service.role_name;
    RETURN FOUND;
END
$$;
-- tracked_record() is C (the acting person's membership of the record's workspace, read where the
-- workspace is), and the tracking functions compare and store the table's OID (on Citus the
-- columns naming an application's table are oid: actions.distribute(), step 0).
CREATE OR REPLACE FUNCTION actions.tracked_record(source regclass, key text) RETURNS bigint
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_tracked_record';
CREATE OR REPLACE FUNCTION actions.track_table_install(source regclass, workspace_id bigint, kind text, key_column name,
                                            title_column name, archived text, owner_id bigint)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    archived_sql text;
    record_owner bigint;
    -- The table compared and stored as its OID: on Citus the column is one (actions.distribute(),
    -- step 0), and a regclass value would reach the workers by name.
    source_oid oid := source;
BEGIN
    IF source IS NULL
       OR NOT coalesce(pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = source), 'MEMBER'), false) THEN
        RAISE EXCEPTION 'permission denied to track %', source USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'only the owner of a table (or a member of its role) may have pg_actions install triggers on it',
            HINT = 'run actions.track_table() as the table''s owner';
    END IF;
    -- The acting person creates records in the workspace; the owner of the records is a member.
    record_owner := actions.authorize_tracking(workspace_id, owner_id);
    IF NOT EXISTS (SELECT 1 FROM actions.record_kind k WHERE k.workspace_id = track_table_install.workspace_id AND k.kind = track_table_install.kind) THEN
        RAISE EXCEPTION 'unknown record kind "%" in workspace %', kind, workspace_id USING ERRCODE = 'invalid_parameter_value',
            HINT = 'use a built-in kind or add it with actions.create_record_kind()';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = key_column AND attnum > 0 AND NOT attisdropped)
       OR NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = title_column AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION '% has no column % or %', source, key_column, title_column USING ERRCODE = 'undefined_column',
            HINT = 'name the key and title columns of the table';
    END IF;
    archived_sql := actions.archived_condition(source, archived);
    IF EXISTS (SELECT 1 FROM actions.tracked_table t WHERE t.source = source_oid) THEN
        RAISE EXCEPTION '% is already tracked', source USING ERRCODE = 'duplicate_object',
            HINT = 'call actions.untrack_table() first to change how it is tracked';
    END IF;
    INSERT INTO actions.tracked_table (source, workspace_id, kind, key_column, title_column, archived, owner_id)
    VALUES (source_oid, workspace_id, kind, key_column, title_column, archived, record_owner);
    EXECUTE format('CREATE TRIGGER pg_actions_track AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION actions.track_trigger(%L, %L, %L)',
                   source, key_column, title_column, archived_sql);
    RETURN archived_sql;
END
$$;
CREATE OR REPLACE FUNCTION actions.untrack_table(source regclass) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    source_oid oid := source;  -- as in actions.track_table_install()
BEGIN
    IF source IS NULL
       OR NOT coalesce(pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = source), 'USAGE'), false) THEN
        RAISE EXCEPTION 'permission denied to untrack %', source USING ERRCODE = 'insufficient_privilege',
            HINT = 'run actions.untrack_table() as the table''s owner';
    END IF;
    DELETE FROM actions.tracked_table t WHERE t.source = source_oid;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not tracked', source USING ERRCODE = 'undefined_object', HINT = 'see actions.tracked_table';
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS pg_actions_track ON %s', source);
END
$$;
CREATE OR REPLACE FUNCTION actions.mark_delivered(workspace_id bigint, notification_id bigint, channel text) RETURNS boolean
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
CREATE OR REPLACE FUNCTION actions.mark_delivery_failed(workspace_id bigint, notification_id bigint, channel text, error text,
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

-- ==== policy helpers without SQL ====
-- actions.sees_action_of() asks it without SQL (src/pg/api/action_policy.cpp): on Citus it runs in
-- the query on a shard of the table whose policy calls it, where no distributed query may run; it
-- reads the action from its workspace's local shard and tests it as action_visible does.
CREATE OR REPLACE FUNCTION actions.sees_action_of(workspace_id bigint, action_id bigint) RETURNS boolean
    LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_sees_action_of';
COMMENT ON FUNCTION actions.sees_action_of(bigint, bigint) IS
    'Whether the caller reads this action in actions.action (under its row-level security): what the log, evidence, notes, offers, escalations and procedure places of an action follow';
-- PL/pgSQL, so Citus plans their statements with the values (an SQL function's it cannot plan).
CREATE OR REPLACE FUNCTION actions.sees_calendar_in_use(calendar_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM actions.workspace_calendar wc
                    WHERE wc.calendar_id OPERATOR(pg_catalog.=) sees_calendar_in_use.calendar_id);
END
$$;
CREATE OR REPLACE FUNCTION actions.sees_calendar(calendar_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM actions.calendar c WHERE c.calendar_id OPERATOR(pg_catalog.=) sees_calendar.calendar_id);
END
$$;

-- The functions taking an entity's id (complete(action_id), add_note(action_id, ...),
-- bulk_reassign(action_ids, ...), can(verb, action_id), ...) reach the node holding the entity
-- through this one: on the coordinator, pg_actions reads the entity's workspace by its id and sends
-- the call here, with the workspace as the distribution argument (src/pg/boundary/routing.cpp).
-- It is one of actions.routed_functions() (it takes a workspace_id), so distribute() makes it a
-- distributed function like the others.
CREATE FUNCTION actions.forward(workspace_id bigint, fn regprocedure, args text[])
    RETURNS TABLE ("row" text[])
    LANGUAGE c VOLATILE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_forward';
COMMENT ON FUNCTION actions.forward(bigint, regprocedure, text[]) IS
    'Runs fn, a function of schema actions taking an entity''s id, here with args (the text of each argument, defaults included, NULL for NULL), as the caller and only if the caller may execute fn; returns its result rows, each as the text of its columns. On Citus a distributed function colocated with actions.workspace: how a call through the coordinator reaches the node holding workspace_id, the workspace of the entity';
GRANT EXECUTE ON FUNCTION actions.forward(bigint, regprocedure, text[]) TO PUBLIC;
-- How the coordinator finds the workspace of an entity's id without asking every shard: each
-- worker allocates ids from its own range (actions.distribute()), so an id says which node made
-- it, and this function, called with any workspace placed on that node, answers from that node's
-- shards alone, for the rows the caller may see.
CREATE FUNCTION actions.workspace_of_ids(workspace_id bigint, argument text, ids bigint[])
    RETURNS TABLE (id bigint, home bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_workspace_of_ids';
COMMENT ON FUNCTION actions.workspace_of_ids(bigint, text, bigint[]) IS
    'The workspace (home) of each of ids that the shards on this node hold and the caller may see (the row-level security of the table, as reading it would apply it), for the entity argument named (action_id, record_id, group_id, ...); an id not held here or not visible to the caller is left out alike. workspace_id only chooses the node on Citus (any workspace placed there). How the coordinator routes a function taking an entity''s id';
GRANT EXECUTE ON FUNCTION actions.workspace_of_ids(bigint, text, bigint[]) TO PUBLIC;

-- ==== mark_notifications_read through a Citus coordinator ====
-- (src/sql/47_list.sql) No FOR UPDATE over every shard, and no now() inside the write's CASE.
CREATE OR REPLACE FUNCTION actions.mark_notifications_read(ids bigint[], read boolean DEFAULT true) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
    wanted bigint[] := ARRAY(SELECT DISTINCT x FROM unnest(ids) x WHERE x IS NOT NULL);
    own bigint[];
    changed integer;
    -- A value, not now() in the CASE: Citus refuses a function there in a write to a distributed table.
    at_now constant timestamptz := now();
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF read IS NULL THEN
        RAISE EXCEPTION 'read must be true or false' USING ERRCODE = '22023', HINT = 'true marks read, false unread';
    END IF;
    -- No FOR UPDATE (Citus refuses one over every shard, and the ids may be in several workspaces):
    -- the UPDATE below locks what it changes, and a notification deleted in between changes nothing.
    own := ARRAY(SELECT n.notification_id FROM actions.notification n
                  WHERE n.person_id = me AND n.notification_id = ANY (wanted) ORDER BY 1);
    IF cardinality(own) <> cardinality(wanted) THEN
        -- Another person's notification reads as a missing one; nothing is changed.
        RAISE EXCEPTION 'notification % not found', (SELECT min(x) FROM unnest(wanted) x WHERE NOT x = ANY (own))
            USING ERRCODE = 'P0002', HINT = 'pass ids of your own notifications (actions.list_notifications())';
    END IF;
    UPDATE actions.notification n
       SET read_at = CASE WHEN read THEN coalesce(n.read_at, at_now) END
     WHERE n.person_id = me AND n.notification_id = ANY (own)
       AND (n.read_at IS NULL) = read;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$fn$;

-- New invitation tokens begin with their workspace (the coordinator of a Citus cluster routes by it).
COMMENT ON COLUMN actions.invitation.token IS 'Secret the person presents to actions.accept_invitation(), "<workspace_id>.<32 hex digits>" (the workspace routes the acceptance on Citus); read it from here to send it, it is never in a NOTIFY payload';

-- ==== notifications in time order ====
-- actions.list_notifications() pages by (created_at, notification_id), newest first: ids alone are
-- not in time order on a Citus cluster. Same arguments; before_id must be one of the person's. One
-- statement per case of in_workspace, its filter a plain equality that Citus routes.
DROP INDEX actions.notification_person_list_idx;
CREATE INDEX notification_person_list_idx ON actions.notification (person_id, created_at, notification_id);
CREATE OR REPLACE FUNCTION actions.list_notifications(in_workspace bigint DEFAULT NULL, unread_only boolean DEFAULT false,
                                           page_size integer DEFAULT 50, before_id bigint DEFAULT NULL)
RETURNS TABLE (notification_id bigint, workspace_id bigint, kind text, action_id bigint, link text,
               created_at timestamptz, read_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
    before_at timestamptz;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF page_size IS NULL OR page_size < 1 OR page_size > 1000 THEN
        RAISE EXCEPTION 'page_size % is out of range', page_size USING ERRCODE = '22023', HINT = 'use a page size from 1 to 1000';
    END IF;
    -- Newest first by (created_at, notification_id): ids alone are not in time order on a Citus
    -- cluster (each node draws them from its own range). The cursor is the last row's id; its
    -- place is read back, so a page goes on exactly after it. Another person's notification reads
    -- as a missing one.
    IF before_id IS NOT NULL THEN
        IF in_workspace IS NULL THEN
            SELECT n.created_at INTO before_at FROM actions.notification n
             WHERE n.notification_id = before_id AND n.person_id = me;
        ELSE
            SELECT n.created_at INTO before_at FROM actions.notification n
             WHERE n.workspace_id = in_workspace AND n.notification_id = before_id AND n.person_id = me;
        END IF;
        IF before_at IS NULL THEN
            RAISE EXCEPTION 'notification % not found', before_id USING ERRCODE = 'P0002',
                HINT = 'pass as before_id the notification_id of the last row of the page before';
        END IF;
    END IF;
    -- One statement per case of in_workspace: the workspace's filter stays a plain equality, which
    -- Citus routes to the workspace's shard (docs/design.md, "On Citus").
    IF in_workspace IS NULL THEN
        RETURN QUERY
            SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
              FROM actions.notification n
             WHERE n.person_id = me
               AND (NOT unread_only OR n.read_at IS NULL)
               AND (before_id IS NULL OR (n.created_at, n.notification_id) < (before_at, before_id))
             ORDER BY n.created_at DESC, n.notification_id DESC
             LIMIT page_size;
    ELSE
        RETURN QUERY
            SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
              FROM actions.notification n
             WHERE n.workspace_id = in_workspace AND n.person_id = me
               AND (NOT unread_only OR n.read_at IS NULL)
               AND (before_id IS NULL OR (n.created_at, n.notification_id) < (before_at, before_id))
             ORDER BY n.created_at DESC, n.notification_id DESC
             LIMIT page_size;
    END IF;
END
$fn$;
COMMENT ON FUNCTION actions.list_notifications(bigint, boolean, integer, bigint) IS
    'The acting person''s own notifications, newest first (by created_at, then notification_id); pass the last row''s notification_id as before_id for the next page (P0002 for an id not among the person''s)';

-- ==== NOTIFY on a Citus cluster (src/sql/69_relay.sql) ====
-- A notification is announced with
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

-- ==== maintenance on every node of a Citus cluster ====
-- run_maintenance() on a coordinator runs every task on every worker, each worker over the
-- workspaces placed on it (actions.run_task_here()).
CREATE FUNCTION actions.run_task_here(task text) RETURNS bigint
    LANGUAGE c VOLATILE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_run_task_here';
COMMENT ON FUNCTION actions.run_task_here(text) IS
    'Part of actions.run_maintenance(): runs the task actions.<task>() over this node''s data (on a Citus worker once per workspace placed on it, each time on that workspace''s local shards); returns the sum of its counts';
REVOKE ALL ON FUNCTION actions.run_task_here(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION actions.run_maintenance()
    RETURNS TABLE (task text, outcome text, rows_affected bigint, duration interval, error text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    task_name text;
    started timestamptz;
    n       bigint;
    state   text;
    message text;
    on_coordinator boolean := false;
    part    record;
BEGIN
    -- On the coordinator of a Citus cluster the rows are on the workers: each worker runs every
    -- task over the workspaces placed on it (run_command_on_workers(), in parallel, each worker
    -- in its own transaction, recording its own runs in its actions.maintenance_run), and this
    -- returns and records per task what all of them did: failed if one failed (the error names
    -- the node), the rows they affected added up, the longest duration.
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE $q$SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_local_group WHERE groupid = 0)
                      AND EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid = 'actions.workspace'::pg_catalog.regclass)$q$
           INTO on_coordinator;
    END IF;
    IF on_coordinator THEN
        started := pg_catalog.clock_timestamp();
        FOR part IN EXECUTE $q$
            WITH nodes AS (
                SELECT w.nodename || ':' || w.nodeport AS name, w.success, w.result
                  FROM pg_catalog.run_command_on_workers('SELECT pg_catalog.json_agg(r) FROM actions.run_maintenance() r') w),
            parts AS (
                SELECT p.task, p.outcome, p.rows_affected, p.duration,
                       CASE WHEN p.error IS NOT NULL THEN 'on ' || n.name || ': ' || p.error END AS error
                  FROM nodes n
                 CROSS JOIN LATERAL pg_catalog.json_to_recordset(n.result::json)
                       AS p(task text, outcome text, rows_affected bigint, duration interval, error text)
                 WHERE n.success
                UNION ALL
                SELECT s.task, 'failed', NULL, NULL, 'on ' || n.name || ': ' || n.result
                  FROM nodes n CROSS JOIN actions.maintenance_status s
                 WHERE NOT n.success)
            SELECT s.task AS task_name,
                   CASE WHEN bool_or(p.outcome = 'failed') THEN 'failed' ELSE 'succeeded' END AS outcome,
                   sum(p.rows_affected)::bigint AS rows_affected, max(p.duration) AS duration,
                   string_agg(p.error, '; ' ORDER BY p.error) AS error
              FROM actions.maintenance_status s LEFT JOIN parts p ON p.task = s.task
             GROUP BY s.task, s.position ORDER BY s.position $q$ LOOP
            task := part.task_name; outcome := part.outcome; rows_affected := part.rows_affected;
            duration := part.duration; error := part.error;
            INSERT INTO actions.maintenance_run (task, started_at, duration, outcome, rows_affected, sqlstate, error)
            VALUES (part.task_name, started, coalesce(part.duration, '0'::interval), part.outcome, part.rows_affected,
                    NULL, part.error);
            DELETE FROM actions.maintenance_run m
             WHERE m.task = part.task_name
               AND m.run_id <= (SELECT k.run_id FROM actions.maintenance_run k WHERE k.task = part.task_name
                                 ORDER BY k.run_id DESC OFFSET 1440 LIMIT 1);
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    -- The tasks skip the actions other transactions hold instead of waiting for them: each task
    -- locks in one order, but this transaction holds the earlier tasks' locks meanwhile, so a
    -- wait could close a cycle with an API call or a sweep. What is skipped is done next run.
    PERFORM pg_catalog.set_config('pg_actions.sweep_skip_locked', 'on', true);
    -- The tasks are the rows of actions.maintenance_status; reading only their names does not
    -- count the backlogs.
    FOR task_name IN SELECT s.task FROM actions.maintenance_status s ORDER BY s.position LOOP
        started := pg_catalog.clock_timestamp();
        n := NULL; state := NULL; message := NULL;
        BEGIN
            -- Its own subtransaction: a failing task is rolled back alone and the others run. On
            -- a Citus worker it runs once per workspace placed there (actions.run_task_here()).
            n := actions.run_task_here(task_name);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            RAISE WARNING 'pg_actions maintenance task % failed: %', task_name, message
                USING ERRCODE = state, HINT = 'SELECT * FROM actions.maintenance_status shows every task''s last run';
        END;
        task := task_name;
        outcome := CASE WHEN message IS NULL THEN 'succeeded' ELSE 'failed' END;
        rows_affected := n;
        duration := pg_catalog.clock_timestamp() - started;
        error := message;
        INSERT INTO actions.maintenance_run (task, started_at, duration, outcome, rows_affected, sqlstate, error)
        VALUES (task_name, started, run_maintenance.duration, run_maintenance.outcome, n, state, message);
        -- Bounded: the newest 1440 runs of each task (a day, run every minute) are kept.
        DELETE FROM actions.maintenance_run m
         WHERE m.task = task_name
           AND m.run_id <= (SELECT k.run_id FROM actions.maintenance_run k WHERE k.task = task_name
                             ORDER BY k.run_id DESC OFFSET 1440 LIMIT 1);
        RETURN NEXT;
    END LOOP;
    PERFORM pg_catalog.set_config('pg_actions.sweep_skip_locked', 'off', true);
END
$$;
COMMENT ON FUNCTION actions.run_maintenance() IS
    'Maintenance: run every task of actions.maintenance_status (mark_overdue, notify_due_soon, escalate_overdue, create_due_reviews, create_scheduled_actions, seal_ledgers: the last seals what the others changed), each in its own subtransaction so a failing one does not stop the others, and record each run in actions.maintenance_run; returns one row per task. The tasks skip the actions other transactions hold (pg_actions.sweep_skip_locked), so the job never waits for a row lock; the next run takes them. On a Citus coordinator every worker runs them over the workspaces placed on it, and the rows returned and recorded here sum up the workers'' runs. The pg_cron job calls it';

-- ==== The identity a Citus coordinator carries to its workers (src/sql/70_identity.sql) ====
CREATE TABLE actions.cluster_secret (
    secret  bytea NOT NULL CHECK (octet_length(secret) >= 32),
    made_at timestamptz NOT NULL DEFAULT now()
);
-- One row at most.
CREATE UNIQUE INDEX cluster_secret_one_row ON actions.cluster_secret ((true));
COMMENT ON TABLE actions.cluster_secret IS
    'Internal, Citus: the key the coordinator signs the identity it carries to the workers with (HMAC-SHA-256), one row, the same on every node; made by actions.distribute(), readable by the extension''s owner only; replace it with actions.rotate_cluster_secret()';
COMMENT ON COLUMN actions.cluster_secret.secret IS 'The key: 32 random bytes';
COMMENT ON COLUMN actions.cluster_secret.made_at IS 'When it was made (actions.distribute() or the last rotation)';
REVOKE ALL ON actions.cluster_secret FROM PUBLIC;

-- A restore copies the dumped row back like any other table's (actions.restore_guard()).
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.cluster_secret
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.cluster_secret ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.cluster_secret IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.cluster_secret
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.cluster_secret ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.cluster_secret IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';

CREATE FUNCTION actions.rotate_cluster_secret() RETURNS timestamptz
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_rotate_cluster_secret';
COMMENT ON FUNCTION actions.rotate_cluster_secret() IS
    'Administration, Citus: replaces the cluster secret (32 new random bytes, pg_strong_random) on every node at once; a transaction that carried its identity under the old one is refused on the workers from then on (42501) and is retried. Returns when the new secret was made';
REVOKE ALL ON FUNCTION actions.rotate_cluster_secret() FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('actions.cluster_secret', '');

-- The trigger functions that run no SQL no longer pin search_path: they fire on every write to the
-- extension's tables, and the SET clause cost each such statement a GUC save and restore
-- (docs/security.md, section 3).
ALTER FUNCTION actions.restoring(regclass) RESET search_path;
ALTER FUNCTION actions.restore_guard() RESET search_path;
ALTER FUNCTION actions.restore_done() RESET search_path;
ALTER FUNCTION actions.action_service_write() RESET search_path;
ALTER FUNCTION actions.note_service_write() RESET search_path;
-- The searched document of an action no longer pins search_path, so the planner inlines it into
-- the index action_search_idx (and any index a DBA made on it) and into queries alike: a write
-- to an action no longer calls a SQL function with a configuration save and restore. Its body is
-- SQL-standard and bound when created; the indexes on it keep their entries (same function, same
-- values). A session open during the update sees the change when it next reads the table's
-- definition (a new session always does).
ALTER FUNCTION actions.action_document(regconfig, text, text) RESET search_path;

-- A new notification is queued on the open delivery channels by the code that writes it (in C),
-- instead of by a PL/pgSQL trigger that ran an INSERT for every notification, channels or not.
DROP TRIGGER queue_delivery ON actions.notification;
DROP FUNCTION actions.queue_delivery();

-- actions.service_level keeps the state of the fold it is made of, so that a completion reads only
-- the log entries after the last one that changed its row, not the action's whole log: the due
-- date as the log last set it and that entry's seq. Filled here for the existing rows from the log
-- (their other columns are left as they are); a row left without them is folded from the whole log
-- at its next rewrite.
ALTER TABLE actions.service_level ADD COLUMN last_due_at timestamptz, ADD COLUMN folded_seq integer;
COMMENT ON COLUMN actions.service_level.last_due_at IS 'Due date as the log last set it (due_at is the one at the completion): with folded_seq, where the next rewrite continues the fold';
COMMENT ON COLUMN actions.service_level.folded_seq IS 'seq of the last log entry that changed this row''s facts: a rewrite folds only the entries after it (NULL for a row written before 0.3: the whole log)';
DO $$
DECLARE
    w bigint;
BEGIN
    FOR w IN SELECT DISTINCT s.workspace_id FROM actions.service_level s ORDER BY 1 LOOP
        UPDATE actions.service_level s SET last_due_at = f.last_due_at, folded_seq = f.folded_seq
          FROM actions.service_level_from_log(w) f
         WHERE s.workspace_id = w AND f.action_id = s.action_id;
    END LOOP;
END
$$;
