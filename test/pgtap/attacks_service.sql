-- Attacks on the direct write surfaces of 0.2 by roles a DBA granted table privileges: a trusted
-- service (sees nothing, sees all, with BYPASSRLS), with and without act_as, and a member. Each
-- attack is refused, and the rows are left as they were.
--   * TRUNCATE applies no policy and fires no row trigger: granted (GRANT ALL ...), it removed
--     every tenant's notes, offers, evidence ... unlogged (refused since: refuse_bound_truncate).
--   * A role with BYPASSRLS wrote actions.action and actions.note without act_as: the direct write
--     triggers asked row-level security whether it binds the writer (bound since: every role but a
--     superuser and the table's owner).
--   * Refused already, kept so: COPY FROM, INSERT ... ON CONFLICT, an id of a deleted action used
--     again, session_replication_role, restoring(), the list secret and its rotation, the
--     monitoring and delivery functions, operators shadowed on the search_path of a policy
--     (may_see_record), another person's list cursor.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(54);

CREATE ROLE at_app LOGIN;             -- a trusted service, sees nothing, granted everything
CREATE ROLE at_all LOGIN;             -- a back office, sees all, granted everything
CREATE ROLE at_byp LOGIN BYPASSRLS;   -- a service a DBA let read everything
CREATE ROLE at_bob LOGIN;
CREATE ROLE at_own LOGIN;
SELECT actions.create_person('at-owner@example.com', 'Owner', 'at_own') AS owner,
       actions.create_person('at-bob@example.com', 'Bob', 'at_bob') AS bob
\gset
SELECT actions.create_workspace('Attacks', owner_id => :owner) AS ws,
       actions.create_workspace('Attacks two', owner_id => :owner) AS ws2
\gset
SELECT actions.add_member(:ws, :bob, 'actions_access') \g /dev/null
SELECT actions.trust_service('at_app', 'an app', sees => 'nothing'),
       actions.trust_service('at_all', 'a back office', sees => 'all'),
       actions.trust_service('at_byp', 'a reporting service', sees => 'nothing') \g /dev/null
GRANT ALL ON ALL TABLES IN SCHEMA actions TO at_app, at_all, at_byp;

SET SESSION AUTHORIZATION at_own;
SELECT actions.create_action(:ws, 'Bob''s ' || g, due_at => now() + g * interval '1 day',
                             assignee_id => CASE WHEN g % 2 = 0 THEN :bob END) FROM generate_series(1, 6) g \g /dev/null
SELECT min(action_id) AS first, max(action_id) AS hidden FROM actions.action WHERE workspace_id = :ws AND assignee_id IS NULL \gset
SELECT min(action_id) AS for_bob FROM actions.action WHERE workspace_id = :ws AND assignee_id = :bob \gset
SELECT actions.create_record(:ws, 'Secret contract', 'generic') AS rec \gset
SELECT actions.create_action(:ws, 'Linked', assignee_id => :bob, record_id => :rec) AS linked \gset
SELECT actions.add_note(:for_bob, 'a note') AS note \gset
SELECT actions.create_record(:ws, 'Other contract', 'generic') AS rec2 \gset
SELECT actions.create_action(:ws, 'Linked, hidden from Bob', record_id => :rec2) \g /dev/null
SELECT actions.create_action(:ws, 'Deleted') AS deleted \gset
SELECT actions.delete_action(:deleted) \g /dev/null
SELECT next_cursor AS owners_cursor FROM actions.list_actions(:ws, page_size => 1) WHERE next_cursor IS NOT NULL \gset
RESET SESSION AUTHORIZATION;
SELECT count(*) AS notes_before FROM actions.note \gset
SELECT count(*) AS actions_before FROM actions.action \gset

-- Which tables with row-level security the calling role could TRUNCATE: each TRUNCATE is tried
-- and undone (a success is turned into an error that rolls it back); a refusal other than 42501
-- (or 55000, actions.action's own guard reached by CASCADE) counts as a success too.
CREATE FUNCTION pg_temp.truncatable() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    t name;
    done text[] := '{}';
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
              ORDER BY 1 LOOP
        BEGIN
            EXECUTE format('TRUNCATE actions.%I CASCADE', t);
            RAISE EXCEPTION 'truncated' USING ERRCODE = 'P0001';
        EXCEPTION
            WHEN insufficient_privilege OR object_not_in_prerequisite_state THEN NULL;  -- 55000: action_no_truncate
            WHEN OTHERS THEN done := done || t::text;
        END;
    END LOOP;
    RETURN done;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.truncatable() TO PUBLIC;

-- =============================================================================================
-- 1. TRUNCATE (granted by GRANT ALL): refused to every role that row-level security binds.
SET SESSION AUTHORIZATION at_app;
SELECT throws_ok('TRUNCATE actions.note', '42501', 'cannot truncate actions.note: role at_app is not its owner',
    'a service acting for nobody cannot TRUNCATE the notes of every workspace');
SELECT actions.act_as(:owner) \g /dev/null
SELECT throws_ok('TRUNCATE actions.note', '42501', NULL,
    '... nor acting for the workspace owner (TRUNCATE reaches every workspace)');
SELECT is(pg_temp.truncatable(), '{}'::text[], 'no table with row-level security can be truncated by the service');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION at_all;
SELECT is(pg_temp.truncatable(), '{}'::text[], '... nor by a service that sees all');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION at_byp;
SELECT is(pg_temp.truncatable(), '{}'::text[], '... nor by one with BYPASSRLS');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.note), :notes_before::bigint, 'every note is still there');

-- =============================================================================================
-- 2. BYPASSRLS: the direct write triggers bind the service all the same.
SET SESSION AUTHORIZATION at_byp;
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id = %s', 'Renamed', :hidden), '42501',
    'a trusted service writes actions.action directly only while acting for a person',
    'a BYPASSRLS service acting for nobody cannot UPDATE an action');
SELECT throws_ok(format('DELETE FROM actions.action WHERE action_id = %s', :hidden), '42501', NULL, '... nor DELETE one');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title) VALUES (%s, %L)', :ws, 'Planted'), '42501', NULL,
    '... nor INSERT one');
SELECT throws_ok(format('DELETE FROM actions.note WHERE note_id = %s', :note), '42501',
    'a trusted service writes actions.note directly only while acting for a person', '... nor DELETE a note');
SELECT actions.act_as(:bob) \g /dev/null
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id = %s', 'Renamed', :for_bob), '42501', NULL,
    'acting for Bob (actions_access) it cannot rename his action, as update_action refuses him');
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id = %s', 'Renamed', :hidden), 'P0002', NULL,
    '... and an action hidden from Bob is not found');
RESET SESSION AUTHORIZATION;
-- A back office (sees all) acting for Bob: row-level security shows it Bob's rows, the triggers
-- decide for Bob.
SET SESSION AUTHORIZATION at_all;
SELECT actions.act_as(:bob) \g /dev/null
WITH u AS (UPDATE actions.action SET title = 'Renamed' WHERE action_id = :hidden RETURNING 1)
SELECT is(count(*), 0::bigint, 'a back office acting for Bob reaches no action hidden from Bob') FROM u;
SELECT throws_ok(format('UPDATE actions.action SET title = %L', 'Renamed'), '42501', NULL,
    'an UPDATE without WHERE is refused whole (Bob may edit none of the actions he sees)');
SELECT throws_ok(format('DELETE FROM actions.note WHERE note_id = %s', :note), '42501', NULL,
    'the owner''s note on Bob''s action is not deleted for Bob');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.action WHERE title = 'Renamed'), 0::bigint, 'no action was renamed');

-- =============================================================================================
-- 3. Refused already: other ways around the triggers.
SET SESSION AUTHORIZATION at_app;
SELECT actions.act_as(:bob) \g /dev/null
SELECT throws_ok(format('COPY actions.action (workspace_id, title) FROM PROGRAM %L', 'echo'), '42501', NULL,
    'COPY FROM a program is a superuser''s (COPY FROM STDIN: 0A000, not supported with row-level security)');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, action_id, title) OVERRIDING SYSTEM VALUE VALUES (%s, %s, %L) '
                        'ON CONFLICT (workspace_id, action_id) DO UPDATE SET title = %L', :ws, :for_bob, 'x', 'Renamed'),
    '42501', 'permission denied to create action', 'INSERT ... ON CONFLICT DO UPDATE is decided as a creation first');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, action_id, title) OVERRIDING SYSTEM VALUE VALUES (%s, %s, %L) '
                        'ON CONFLICT (workspace_id, action_id) DO NOTHING', :ws, :hidden, 'x'),
    '42501', 'permission denied to create action', '... and ON CONFLICT DO NOTHING (no probe of which ids exist)');
SELECT throws_ok(format('UPDATE actions.action SET workspace_id = %s WHERE action_id = %s', :ws2, :for_bob), '42501',
    'cannot change workspace_id of an action', 'an action is not moved to another workspace');
SELECT throws_ok(format('UPDATE actions.note SET workspace_id = %s WHERE note_id = %s', :ws2, :note), 'P0002', NULL,
    'a note is not moved to another workspace');
SELECT throws_ok(format('UPDATE actions.note SET author_id = %s WHERE note_id = %s', :owner, :note), '42501', NULL,
    'a note''s author is not changed');
SELECT actions.act_as(:owner) \g /dev/null
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, action_id, title) OVERRIDING SYSTEM VALUE VALUES (%s, %s, %L)',
                        :ws, :deleted, 'Reborn'), '23505', NULL,
    'the id of a deleted action is not used again (its log is kept)');
SELECT throws_ok(format('UPDATE actions.action SET evidence_id = 1 WHERE action_id = %s', :first), '42501', NULL,
    'evidence is not attached outside a completion');
SELECT throws_ok(format('INSERT INTO actions.evidence (workspace_id, action_id) VALUES (%s, %s)', :ws, :first), '42501', NULL,
    'evidence is never written directly (no policy allows it)');
SELECT throws_ok(format('INSERT INTO actions.action_offer (workspace_id, action_id) VALUES (%s, %s)', :ws, :first), '42501', NULL,
    'nor an offer');
WITH u AS (UPDATE actions.member SET state = 'removed' WHERE person_id = :bob RETURNING 1)
SELECT is(count(*), 0::bigint, 'an UPDATE of a membership changes no row') FROM u;
-- GRANT ALL ON ALL TABLES reaches the views too: action_list and action_list_rows are simple views
-- over actions.action (updatable; the base table is read as their owner, whom row-level security
-- does not bind). The direct write triggers still decide for the person, and the view's own
-- visibility predicate limits the rows.
SELECT actions.act_as(:bob) \g /dev/null
WITH u AS (UPDATE actions.action_list SET title = 'Renamed' WHERE action_id = :hidden RETURNING 1)
SELECT is(count(*), 0::bigint, 'an UPDATE through actions.action_list reaches no action hidden from Bob') FROM u;
SELECT throws_ok(format('UPDATE actions.action_list_rows SET title = %L WHERE action_id = %s', 'Renamed', :for_bob), '42501', NULL,
    '... and Bob''s own action is decided for Bob (update_action refuses him)');
SELECT throws_ok(format('DELETE FROM actions.action_list WHERE action_id = %s', :for_bob), '42501', NULL,
    '... and a DELETE through the view as delete_action');
SELECT throws_ok('SET session_replication_role = replica', '42501', NULL, 'replica mode is refused to the service');
SELECT throws_ok($$SELECT set_config('session_replication_role', 'replica', true)$$, '42501', NULL, '... also through set_config');
SELECT throws_ok($$SELECT actions.restoring('actions.action'::regclass)$$, '42501', NULL, 'restoring() is not the service''s');
SELECT throws_ok('SELECT actions.rotate_list_secret()', '42501', NULL, 'the service cannot rotate the list secret');
SELECT throws_ok('SELECT * FROM actions.metrics_actions()', '42501', NULL, 'the metrics are not for PUBLIC');
SELECT throws_ok($$SELECT * FROM actions.claim_delivery('email')$$, '42501', NULL, 'nor the delivery outbox');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.action), :actions_before::bigint, 'no action was added or removed');

-- =============================================================================================
-- 4. A member (Bob, actions_access): the list secret, operators on the search_path, cursors.
SET SESSION AUTHORIZATION at_bob;
SELECT throws_ok('SELECT * FROM actions.list_secret', '42501', NULL, 'the list secret is not readable');
SELECT throws_ok('SET pg_actions.bulk_max_ids = 1000000', '42501', NULL, 'the extension''s limits are a superuser''s to set');
SELECT throws_ok(format('UPDATE actions.action_list SET title = %L WHERE action_id = %s', 'Renamed', :for_bob), '42501', NULL,
    'a member without a grant cannot write through the list view');
SELECT throws_ok('SELECT actions.rotate_list_secret()', '42501', NULL, 'nor rotated');
SELECT is((SELECT count(*) FROM actions.record), 0::bigint, 'Bob sees no record of the workspace');
SELECT is((SELECT record_title FROM actions.list_actions(:ws) WHERE action_id = :linked), NULL,
    'nor the title of the record linked to his action');
SELECT is((SELECT count(*) FROM actions.list_actions(:ws, linked_record => :rec2)),
          (SELECT count(*) FROM actions.list_actions(:ws, linked_record => :rec2 + 100000)),
    'listing by a hidden record answers as by a missing one (no error, no row)');
RESET SESSION AUTHORIZATION;
-- Operators that say yes to everything, first on Bob's search_path: the policy record_visible
-- and may_see_record name pg_catalog's (a SQL-standard body is bound when it is created).
CREATE SCHEMA at_evil;
GRANT USAGE ON SCHEMA at_evil TO PUBLIC;
CREATE FUNCTION at_evil.yes(bigint, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR at_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = at_evil.yes);
CREATE FUNCTION at_evil.yes(bigint[], bigint[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR at_evil.&& (LEFTARG = bigint[], RIGHTARG = bigint[], FUNCTION = at_evil.yes);
SET SESSION AUTHORIZATION at_bob;
SET LOCAL search_path = at_evil, pg_catalog, actions, public;
SELECT is(1::bigint = 2::bigint, true, 'the shadowing operator is in effect');
SELECT is((SELECT count(*) FROM actions.record), 0::bigint, 'the records stay hidden with = and && shadowed');
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :hidden), 0::bigint, '... and the hidden action');
SELECT is((SELECT record_title FROM actions.list_actions(:ws) WHERE action_id = :linked), NULL, '... and the record''s title');
RESET search_path;
RESET SESSION AUTHORIZATION;
-- The same operators first on a service's search_path while it writes directly: the triggers that
-- decide the write (and the restore guards on the statement) run no SQL and pin no search_path,
-- so nothing changes.
SET SESSION AUTHORIZATION at_app;
SELECT actions.act_as(:owner) \g /dev/null
SET LOCAL search_path = at_evil, pg_catalog, actions, public;
SELECT lives_ok(format('INSERT INTO actions.action (workspace_id, title) VALUES (%s, %L)', :ws, 'Planted, = shadowed'),
    'acting for the owner under a shadowing search_path, a service''s INSERT is allowed as the API allows it');
SELECT actions.act_as(:bob) \g /dev/null
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id OPERATOR(pg_catalog.=) %s', 'Renamed', :for_bob),
    '42501', NULL, '... and acting for Bob its UPDATE of his action is refused, as update_action refuses him');
RESET search_path;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.action x JOIN actions.activity l USING (workspace_id, action_id)
            WHERE x.title = 'Planted, = shadowed' AND x.owner_id = :owner AND l.event = 'created'), 1::bigint,
    'the service''s action is the owner''s, with its one ''created'' entry in the log');
SET SESSION AUTHORIZATION at_bob;
-- The owner's cursor, replayed by Bob: the page holds only what Bob sees.
SELECT ok(count(*) > 0 AND bool_and(l.action_id IN (SELECT a.action_id FROM actions.action a)),
          'a page after another person''s cursor shows only the actions Bob sees')
  FROM actions.list_actions(:ws, page_size => 50, cursor => :'owners_cursor') l;
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, cursor => %L)', :ws2, :'owners_cursor'), '22023', 'invalid cursor',
    'a cursor of one workspace is refused in another');
RESET SESSION AUTHORIZATION;
SELECT lives_ok('TRUNCATE actions.note', 'a superuser still may TRUNCATE (the last test: it empties the table)');

SELECT * FROM finish();
ROLLBACK;
