-- The actions list (actions.list_actions, actions.action_list): every filter and sort against the
-- same question asked of actions.action under row-level security, keyset pages that walk every row
-- exactly once in order (with ties), bad inputs refused, text search, and notifications own only.
BEGIN;
SELECT plan(91);

CREATE ROLE ls_owner LOGIN;
CREATE ROLE ls_user LOGIN;
CREATE ROLE ls_access LOGIN;
CREATE ROLE ls_outsider LOGIN;
CREATE ROLE ls_app LOGIN;
SELECT actions.create_person('ls-owner@example.com', 'Olga Owner', 'ls_owner') AS owner,
       actions.create_person('ls-user@example.com', 'Uma User', 'ls_user') AS usr,
       actions.create_person('ls-access@example.com', 'Arno Access', 'ls_access') AS access,
       actions.create_person('ls-outsider@example.com', 'Otto Outsider', 'ls_outsider') AS outsider
\gset
SELECT actions.create_workspace('List Co', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('Elsewhere', owner_id => :outsider) AS other_ws \gset
SELECT actions.add_member(:ws, :usr, 'user'), actions.add_member(:ws, :access, 'actions_access') \g /dev/null
SELECT actions.trust_service('ls_app') \g /dev/null

SET SESSION AUTHORIZATION ls_owner;
SELECT actions.create_group(:ws, 'Europe') AS europe \gset
SELECT actions.create_group(:ws, 'France', :europe) AS france \gset
SELECT actions.create_group(:ws, 'Asia') AS asia \gset
SELECT actions.create_record_kind(:ws, 'contract') \g /dev/null
SELECT actions.create_record(:ws, 'Supplier contract', 'contract') AS contract \gset
SELECT actions.create_record(:ws, 'Office move') AS move \gset
-- Ties on purpose: two actions share a due date, three a priority, two a title.
SELECT actions.create_action(:ws, 'Fix the boiler pump', 'The pumps are failing', assignee_id => :usr,
           due_at => '2030-01-01 12:00+00', priority => 'high', group_ids => ARRAY[:france]::bigint[]) AS a1,
       actions.create_action(:ws, 'Order paper', 'A4 for the boiler room', assignee_id => :access,
           due_at => '2030-01-01 12:00+00', priority => 'low', record_id => :contract) AS a2,
       actions.create_action(:ws, 'Boiling point review', due_at => '2020-01-01 00:00+00', priority => 'high',
           type => 'review', group_ids => ARRAY[:europe]::bigint[]) AS a3,
       actions.create_action(:ws, 'Order paper', assignee_id => :usr, priority => 'high', record_id => :move,
           group_ids => ARRAY[:asia]::bigint[]) AS a4,
       actions.create_action(:ws, 'Zebra crossing', assignee_id => :access, due_at => '2031-06-01 00:00+00') AS a5,
       actions.create_action(:ws, 'Closed one', assignee_id => :usr, due_at => '2019-05-05 00:00+00') AS a6
\gset
SELECT actions.start(:a5), actions.cancel(:a6, 'not needed') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ls_outsider;
SELECT actions.create_action(:other_ws, 'Foreign boiler', assignee_id => :outsider) AS foreign_action \gset
RESET SESSION AUTHORIZATION;

-- Every id of the list, in order, walking pages of `size` by their cursors.
CREATE FUNCTION pg_temp.walk(ws bigint, sort text, direction text, size integer) RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
    out bigint[] := '{}';
    c text;
    pc text;
    r record;
    n integer;
BEGIN
    LOOP
        n := 0;
        pc := NULL;
        FOR r IN SELECT * FROM actions.list_actions(ws, sort => walk.sort, direction => walk.direction,
                                                    page_size => size, cursor => c) LOOP
            out := out || r.action_id;
            IF n < size - 1 AND r.next_cursor IS NOT NULL THEN RAISE EXCEPTION 'a cursor before the last row'; END IF;
            pc := r.next_cursor;
            n := n + 1;
        END LOOP;
        IF n = size AND pc IS NULL THEN RAISE EXCEPTION 'a full page without a cursor'; END IF;
        IF n < size AND pc IS NOT NULL THEN RAISE EXCEPTION 'the last page has a cursor'; END IF;
        c := pc;
        EXIT WHEN n < size;
    END LOOP;
    RETURN out;
END $$;
-- The same order asked of actions.action directly (row-level security applies).
CREATE FUNCTION pg_temp.expected(ws bigint, sort text, direction text) RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
    keyexpr text := CASE sort WHEN 'due' THEN 'coalesce(due_at, ''infinity'')' WHEN 'created' THEN 'created_at'
        WHEN 'updated' THEN 'updated_at' WHEN 'title' THEN 'title'
        WHEN 'priority' THEN 'array_position(''{none,low,medium,high}''::text[], priority)'
        WHEN 'status' THEN 'array_position(''{to_do,in_progress,overdue,complete,cancelled}''::text[], status)' END;
    r bigint[];
BEGIN
    EXECUTE format('SELECT coalesce(array_agg(action_id ORDER BY %s %s, action_id %s), ''{}'') FROM actions.action WHERE workspace_id = $1',
                   keyexpr, direction, direction) INTO r USING ws;
    RETURN r;
END $$;
-- The ids of one list call.
CREATE FUNCTION pg_temp.ids(q text) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE r bigint[];
BEGIN
    EXECUTE 'SELECT coalesce(array_agg(action_id ORDER BY action_id), ''{}'') FROM (' || q || ') x' INTO r;
    RETURN r;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.walk(bigint, text, text, integer), pg_temp.expected(bigint, text, text),
    pg_temp.ids(text) TO PUBLIC;

-- Sorts: every key in both directions, pages of 2 (so ties straddle pages), as the owner.
SET SESSION AUTHORIZATION ls_owner;
SELECT is(pg_temp.walk(:ws, s, d, 2), pg_temp.expected(:ws, s, d),
          format('sort %s %s: the pages walk every visible action once, in order, ties by action_id', s, d))
  FROM unnest(actions.list_vocabulary('sort')) s, unnest(actions.list_vocabulary('direction')) d;
SELECT is(pg_temp.walk(:ws, 'priority', 'desc', 1), ARRAY[:a4, :a3, :a1, :a2, :a6, :a5]::bigint[],
          'priority desc: high first, ties newest id first');
SELECT is(pg_temp.walk(:ws, 'due', 'asc', 3), ARRAY[:a6, :a3, :a1, :a2, :a5, :a4]::bigint[],
          'due asc: earliest first, equal due dates by id, no due date last');

-- Filters: each equals the same condition asked of actions.action.
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, statuses => ''{to_do,in_progress}'')', :ws)),
          pg_temp.ids(format('SELECT action_id FROM actions.action WHERE workspace_id = %s AND status IN (''to_do'', ''in_progress'')', :ws)),
          'filter: several statuses');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, assignees => ARRAY[%s]::bigint[])', :ws, :access)),
          ARRAY[:a2, :a5]::bigint[], 'filter: assignee');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, unassigned => true)', :ws)),
          ARRAY[:a3]::bigint[], 'filter: unassigned');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, unassigned => true, assignees => ARRAY[%s]::bigint[])', :ws, :access)),
          ARRAY[:a2, :a3, :a5]::bigint[], 'filter: assignee or unassigned');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, owners => ARRAY[%s]::bigint[])', :ws, :owner)),
          pg_temp.ids(format('SELECT action_id FROM actions.action WHERE workspace_id = %s AND owner_id = %s', :ws, :owner)),
          'filter: owner');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, due_before => ''2030-01-01 12:00+00'')', :ws)),
          ARRAY[:a3, :a6]::bigint[], 'filter: due before (exclusive)');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, due_after => ''2030-01-01 12:00+00'')', :ws)),
          ARRAY[:a1, :a2, :a5]::bigint[], 'filter: due after (inclusive)');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, only_overdue => true)', :ws)),
          ARRAY[:a3]::bigint[], 'filter: overdue (open and past due; a cancelled action is not overdue)');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, only_overdue => false)', :ws)),
          ARRAY[:a1, :a2, :a4, :a5, :a6]::bigint[], 'filter: not overdue');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, linked_record => %s)', :ws, :contract)),
          ARRAY[:a2]::bigint[], 'filter: linked record');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, record_kinds => ''{generic}'')', :ws)),
          ARRAY[:a4]::bigint[], 'filter: record kind');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, types => ''{review}'')', :ws)),
          ARRAY[:a3]::bigint[], 'filter: type');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, in_group => %s)', :ws, :europe)),
          ARRAY[:a1, :a3]::bigint[], 'filter: group, with the groups below it');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, in_group => %s, include_subgroups => false)', :ws, :europe)),
          ARRAY[:a3]::bigint[], 'filter: group alone');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, priorities => ''{high}'')', :ws)),
          ARRAY[:a1, :a3, :a4]::bigint[], 'filter: priority');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, priorities => ''{high}'', assignees => ARRAY[%s]::bigint[], sort => ''title'')', :ws, :usr)),
          ARRAY[:a1, :a4]::bigint[], 'filters combine');

-- Text search: prefixes of words, in the title or the description; every word must match.
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, search => ''boil'')', :ws)),
          ARRAY[:a1, :a2, :a3]::bigint[], 'search: a prefix matches boiler and Boiling, in titles and descriptions');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, search => ''BOIL pump'')', :ws)),
          ARRAY[:a1]::bigint[], 'search: every word must match, case does not matter');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, search => ''boil'', only_overdue => true)', :ws)),
          ARRAY[:a3]::bigint[], 'search combines with filters');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, search => ''pumping'')', :ws)), '{}'::bigint[],
          'search: the simple configuration does not stem');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, title_contains => ''OILER'')', :ws)), ARRAY[:a1]::bigint[],
          'title_contains: a substring inside a word, any case, in the title only');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, title_contains => ''er pa'')', :ws)), ARRAY[:a2, :a4]::bigint[],
          'title_contains: across words');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, title_contains => ''%%'')', :ws)), '{}'::bigint[],
          'title_contains: LIKE wildcards are taken literally');
RESET SESSION AUTHORIZATION;
UPDATE actions.workspace SET text_search_config = 'english' WHERE workspace_id = :ws;
SET SESSION AUTHORIZATION ls_owner;
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, search => ''pumping'')', :ws)), ARRAY[:a1]::bigint[],
          'search: the workspace''s configuration (english) stems');
RESET SESSION AUTHORIZATION;
UPDATE actions.workspace SET text_search_config = 'simple' WHERE workspace_id = :ws;
-- action_document() is inlined: into the index's expression and a query's alike, so a search by it
-- still finds the index; and a write to an action computes the document without calling it as a
-- SQL function (counted in pg_stat_xact_user_functions when track_functions is 'all').
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE l text; o text := ''; BEGIN FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP o := o || l || E'\n'; END LOOP; RETURN o; END $$;
SET enable_seqscan = off;
SELECT matches(pg_temp.plan_of($$SELECT action_id FROM actions.action
                                  WHERE actions.action_document('simple', title, description) @@ to_tsquery('simple', 'boil:*')$$),
               'action_search_idx', 'a search by action_document() uses the index action_search_idx');
RESET enable_seqscan;
SET track_functions = 'all';
SAVEPOINT writes;  -- the writes are undone: the tests below count these actions
SET SESSION AUTHORIZATION ls_owner;
SELECT actions.update_action(:a4, title => 'Paint the boiler room') \g /dev/null
SELECT actions.create_action(:ws, 'Bleed the radiators', 'before winter') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT count(*) AS document_calls FROM pg_stat_xact_user_functions
 WHERE funcid = 'actions.action_document(regconfig,text,text)'::regprocedure \gset
ROLLBACK TO SAVEPOINT writes;
RESET track_functions;
SELECT is(:document_calls::bigint, 0::bigint,
          'writing an action does not call action_document() as a function (inlined into the index)');
SET SESSION AUTHORIZATION ls_owner;

-- Display fields.
SELECT is((SELECT row(assignee_name, owner_name, record_title, record_kind, type, status, priority, overdue, group_names)::text
             FROM actions.list_actions(:ws) WHERE action_id = :a2),
          row('Arno Access', 'Olga Owner', 'Supplier contract', 'contract', 'task', 'to_do', 'low', false, '{}'::text[])::text,
          'display fields: names, the record''s title and kind');
SELECT is((SELECT row(group_names, overdue, type)::text FROM actions.list_actions(:ws) WHERE action_id = :a3),
          row(ARRAY['Europe'], true, 'review')::text, 'display fields: group names, overdue flag');
SELECT is((SELECT group_names FROM actions.list_actions(:ws) WHERE action_id = :a4), ARRAY['Asia'], 'group names');

-- Bad inputs.
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''colour'')', :ws), '22023', 'unknown sort "colour"', 'unknown sort');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, direction => ''up'')', :ws), '22023', 'unknown direction "up"', 'unknown direction');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, statuses => ''{done}'')', :ws), '22023', NULL, 'unknown status');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, priorities => ''{urgent}'')', :ws), '22023', NULL, 'unknown priority');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, page_size => 0)', :ws), '22023', NULL, 'page size 0');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, page_size => 1001)', :ws), '22023', NULL, 'page size over 1000');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, in_group => -1)', :ws), '22023', NULL, 'unknown group');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, search => ''!!'')', :ws), '22023', NULL, 'a search without words');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, cursor => ''not base64!'')', :ws), '22023', 'invalid cursor', 'garbage cursor');
SELECT next_cursor AS cur FROM actions.list_actions(:ws, sort => 'title', page_size => 1) \gset
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''title'', cursor => %L)', :ws,
                        translate(encode(substr(decode(:'cur', 'base64'), 1, 32) || convert_to(replace(convert_from(
                            substr(decode(:'cur', 'base64'), 33), 'UTF8'), 'Boiling', 'Aaaaa'), 'UTF8'), 'base64'), E'\n', '')),
                 '22023', 'invalid cursor', 'a cursor whose key was edited is refused');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''due'', cursor => %L)', :ws, :'cur'),
                 '22023', 'invalid cursor', 'a cursor of another sort is refused');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''title'', statuses => ''{to_do}'', cursor => %L)', :ws, :'cur'),
                 '22023', 'invalid cursor', 'a cursor of other filters is refused');
SELECT lives_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''title'', cursor => %L)', :ws, :'cur'),
                'the cursor as returned is accepted');
SELECT throws_ok('SELECT hint_probe FROM actions.list_actions(1, sort => ''x'') hint_probe', '22023', NULL, 'refused whatever the workspace');
RESET SESSION AUTHORIZATION;

-- The open statuses are named once, in the core: no function, view or index of the extension
-- spells them (they read actions.list_vocabulary('open') or ('open_not_overdue')).
SELECT is((SELECT string_agg(what, ', ') FROM (
              SELECT p.oid::regprocedure::text AS what FROM pg_proc p
               WHERE p.pronamespace = 'actions'::regnamespace AND p.prosrc ~ '''to_do'', *''in_progress'''
              UNION ALL
              SELECT c.oid::regclass::text FROM pg_class c
               WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind IN ('v', 'm')
                 AND pg_get_viewdef(c.oid) ~ '''to_do''::text, *''in_progress'''
              UNION ALL
              SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
               WHERE c.relnamespace = 'actions'::regnamespace AND pg_get_indexdef(i.indexrelid) ~ '''to_do''') x),
          NULL, 'no function, view or index spells the open statuses');
SELECT is(actions.list_vocabulary('open_not_overdue'), ARRAY['to_do', 'in_progress'],
          'open_not_overdue: the open statuses a passed due date makes overdue');

-- Who sees what: the list and the view equal actions.action under row-level security, per person,
-- with the same display fields (a record's only where the person may see it).
CREATE FUNCTION pg_temp.agree(w bigint) RETURNS boolean LANGUAGE sql AS $$
    SELECT pg_temp.ids('SELECT action_id FROM actions.action WHERE workspace_id = ' || w)
         = (SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM unnest(pg_temp.walk(w, 'created', 'asc', 2)) x)
       AND pg_temp.ids('SELECT action_id FROM actions.action WHERE workspace_id = ' || w)
         = pg_temp.ids('SELECT * FROM actions.list_actions(' || w || ', page_size => 1000)')
       AND (SELECT coalesce(array_agg(action_id ORDER BY action_id), '{}') FROM actions.action)
         = (SELECT coalesce(array_agg(action_id ORDER BY action_id), '{}') FROM actions.action_list)
       -- the display fields the list reads for its page itself equal the view's
       AND (SELECT coalesce(array_agg(row(action_id, assignee_name, owner_name, record_title, record_kind, group_names)::text
                                      ORDER BY action_id), '{}')
              FROM actions.list_actions(w, page_size => 1000))
         = (SELECT coalesce(array_agg(row(action_id, assignee_name, owner_name, record_title, record_kind, group_names)::text
                                      ORDER BY action_id), '{}')
              FROM actions.action_list WHERE workspace_id = w) $$;
GRANT EXECUTE ON FUNCTION pg_temp.agree(bigint) TO PUBLIC;
SET SESSION AUTHORIZATION ls_owner;
SELECT ok(pg_temp.agree(:ws), 'owner: list, view and table agree');
SELECT is(cardinality(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s)', :ws))), 6, 'owner: sees all six');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ls_user;
SELECT ok(pg_temp.agree(:ws), 'user: list, view and table agree');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ls_access;
SELECT ok(pg_temp.agree(:ws), 'actions_access: list, view and table agree');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s)', :ws)), ARRAY[:a2, :a5]::bigint[],
          'actions_access: only its assigned actions');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, assigned_to_me => true)', :ws)), ARRAY[:a2, :a5]::bigint[],
          'assigned to me');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, search => ''boil'')', :ws)), ARRAY[:a2]::bigint[],
          'search shows only what the person sees');
SELECT is(pg_temp.walk(:ws, 'title', 'asc', 1), ARRAY[:a2, :a5]::bigint[], 'pages show only what the person sees');
SELECT is((SELECT count(*) FROM actions.action_list WHERE workspace_id = :other_ws), 0::bigint, 'the view hides another workspace');
-- The leak probe: a function in the WHERE clause over the view never sees a hidden row.
CREATE FUNCTION pg_temp.must_not_see(id bigint, hidden bigint[]) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF id = ANY (hidden) THEN RAISE EXCEPTION 'leaked action %', id; END IF;
    RETURN true;
END $$;
SELECT lives_ok(format('SELECT count(*) FROM actions.action_list WHERE pg_temp.must_not_see(action_id, ARRAY[%s, %s, %s])',
                       :a1, :a3, :foreign_action), 'a function in a WHERE clause over the view sees no hidden row');
SELECT throws_ok('SELECT * FROM actions.action_list_rows', '42501', NULL, 'the view behind it is not readable');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ls_outsider;
SELECT ok(pg_temp.agree(:ws), 'outsider: list, view and table agree');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s)', :ws)), '{}'::bigint[], 'outsider: nothing of another workspace');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s, search => ''boiler'')', :ws)), '{}'::bigint[],
          'outsider: search finds nothing of another workspace');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ls_app;
SAVEPOINT acting;
SELECT actions.act_as(:access) \g /dev/null
SELECT ok(pg_temp.agree(:ws), 'a trusted service acting for a person: list, view and table agree');
ROLLBACK TO SAVEPOINT acting;
RESET SESSION AUTHORIZATION;
-- An action offered to a pool and one delegated: a candidate and a delegator see them, and agree.
SAVEPOINT pools;
SET SESSION AUTHORIZATION ls_owner;
SELECT actions.offer(:a3, people => ARRAY[:access]::bigint[]) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ls_access;
SELECT actions.delegate(:a5, :usr) \g /dev/null
SELECT ok(pg_temp.agree(:ws), 'a candidate and a delegator: list, view and table agree');
SELECT is(pg_temp.ids(format('SELECT * FROM actions.list_actions(%s)', :ws)), ARRAY[:a2, :a3, :a5]::bigint[],
          'the offered action and the delegated one are listed');
RESET SESSION AUTHORIZATION;
ROLLBACK TO SAVEPOINT pools;

-- Notifications: own only.
SET SESSION AUTHORIZATION ls_access;
SELECT is((SELECT array_agg(action_id ORDER BY action_id) FROM actions.list_notifications(:ws)), ARRAY[:a2, :a5]::bigint[],
          'list_notifications: the person''s own');
SELECT is(actions.unread_count(), 2::bigint, 'unread_count');
SELECT notification_id AS n_access FROM actions.list_notifications(:ws) ORDER BY notification_id LIMIT 1 \gset
SELECT is(actions.mark_notifications_read(ARRAY[:n_access]), 1, 'mark one read');
SELECT is(actions.unread_count(:ws), 1::bigint, 'one unread left');
SELECT is((SELECT count(*) FROM actions.list_notifications(unread_only => true)), 1::bigint, 'unread_only');
SELECT is(actions.mark_notifications_read(ARRAY[:n_access], false), 1, 'mark it unread again');
RESET SESSION AUTHORIZATION;
SELECT notification_id AS n_usr FROM actions.notification WHERE person_id = :usr LIMIT 1 \gset
SET SESSION AUTHORIZATION ls_access;
SELECT throws_ok(format('SELECT actions.mark_notifications_read(ARRAY[%s, %s])', :n_access, :n_usr), 'P0002', NULL,
                 'another person''s notification reads as not found');
SELECT is(actions.unread_count(), 2::bigint, 'and nothing was changed');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT read_at FROM actions.notification WHERE notification_id = :n_usr), NULL, 'the other person''s stays unread');
SET SESSION AUTHORIZATION ls_outsider;
SELECT is((SELECT count(*) FROM actions.list_notifications(:ws)), 0::bigint, 'nobody else''s notifications are listed');
RESET SESSION AUTHORIZATION;

-- Notifications in time order, newest first: one made later (a higher id, as a node of a cluster
-- may give) with an older time comes last; pages walk them by the last row's id.
INSERT INTO actions.notification (workspace_id, person_id, kind, action_id, link, created_at)
SELECT workspace_id, person_id, kind, action_id, link, created_at - interval '1 day'
  FROM actions.notification WHERE notification_id = :n_access
RETURNING notification_id AS n_old \gset
CREATE FUNCTION pg_temp.notification_walk(w bigint) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    got bigint[] := '{}';
    last bigint;
    next_id bigint;
BEGIN
    LOOP
        next_id := (SELECT n.notification_id FROM actions.list_notifications(w, page_size => 1, before_id => last) n);
        EXIT WHEN next_id IS NULL;
        IF next_id = ANY (got) OR cardinality(got) > 100 THEN RAISE EXCEPTION 'page after % repeats %', last, next_id; END IF;
        got := got || next_id;
        last := next_id;
    END LOOP;
    RETURN got;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.notification_walk(bigint) TO PUBLIC;
SET SESSION AUTHORIZATION ls_access;
SELECT is((SELECT n.notification_id FROM actions.list_notifications(:ws) n OFFSET 2 LIMIT 1), :n_old::bigint,
          'list_notifications: the older notification comes last, though its id is the highest');
SELECT is(pg_temp.notification_walk(:ws), (SELECT array_agg(n.notification_id) FROM actions.list_notifications(:ws) n),
          'pages of one, each after the last row''s id, give every notification once, in order');
SELECT is(pg_temp.notification_walk(NULL), (SELECT array_agg(n.notification_id) FROM actions.list_notifications() n),
          'and across workspaces');
SELECT throws_ok(format('SELECT * FROM actions.list_notifications(%s, before_id => %s)', :ws, :n_usr), 'P0002',
                 format('notification %s not found', :n_usr), 'another person''s notification as the cursor reads as not found');
SELECT throws_ok(format('SELECT * FROM actions.list_notifications(%s, before_id => %s)', :other_ws, :n_access), 'P0002',
                 NULL, 'a cursor of another workspace reads as not found');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
