-- Adoption of an application's own table (actions.track_table()): its rows appear as records.
--   * existing rows are adopted (the count is returned), blank titles become '<kind> <key>';
--   * insert, update (title, archived by an expression and back, key change) and delete mirror
--     into actions.record; a deleted row with actions keeps its record, archived;
--   * actions.tracked_record() finds the record for members only;
--   * untrack stops the mirroring; only the table's owner may track, acting as a person allowed to
--     create records in the workspace, for an owner who is a member; unknown kind 22023, unknown
--     column 42703, already tracked 42710, not tracked 42704;
--   * nothing the table's owner controls (a cast of a column type changed later) ever runs with
--     the extension's rights: the trigger runs as the writer, adoption as the table's owner.
BEGIN;

SELECT plan(61);

CREATE ROLE tt_owner LOGIN;   -- workspace owner
CREATE ROLE tt_other LOGIN;   -- may execute track_table, but owns no table
CREATE ROLE tt_outsider LOGIN;  -- a person in another workspace
CREATE ROLE tt_viewer LOGIN;    -- an inquiry member: reads, creates no records
SELECT actions.create_person('tt-owner@example.com', 'Owner', 'tt_owner') AS owner,
       actions.create_person('tt-outsider@example.com', 'Outsider', 'tt_outsider') AS outsider,
       actions.create_person('tt-viewer@example.com', 'Viewer', 'tt_viewer') AS viewer
\gset
SELECT actions.create_workspace('Tracking Co', owner_id => :owner) AS ws,
       actions.create_workspace('Elsewhere', owner_id => :outsider) AS ws2
\gset
SELECT actions.add_member(:ws, :viewer, 'inquiry');
GRANT EXECUTE ON FUNCTION actions.track_table(regclass, bigint, text, name, name, text, bigint),
                          actions.untrack_table(regclass) TO tt_other;

SELECT is(has_function_privilege('tt_outsider', 'actions.track_table(regclass, bigint, text, name, name, text, bigint)', 'EXECUTE'),
    true, 'track_table is person-facing: it checks who asks itself');

CREATE TABLE public.app_contract (id int PRIMARY KEY, name text, status text);
INSERT INTO public.app_contract VALUES (1, 'Lease', 'open'), (2, 'Supply', 'closed'), (3, '  ', 'open');
ALTER TABLE public.app_contract OWNER TO tt_owner;

SET SESSION AUTHORIZATION tt_owner;
SELECT is(actions.track_table('public.app_contract', :ws, 'generic', 'id', 'name', 'status = ''closed''', :owner), 3::bigint,
    'the three existing rows are adopted');
RESET SESSION AUTHORIZATION;
CREATE FUNCTION pg_temp.recs() RETURNS TABLE (key text, title text, archived boolean, kind text)
LANGUAGE sql AS $$
    SELECT source_key, title, archived, kind FROM actions.record
     WHERE source_table = 'public.app_contract'::regclass ORDER BY source_key
$$;
SELECT results_eq('SELECT * FROM pg_temp.recs()',
    $$ VALUES ('1'::text, 'Lease'::text, false, 'generic'::text), ('2', 'Supply', true, 'generic'), ('3', 'generic 3', false, 'generic') $$,
    'adopted: key, title (a blank one becomes kind and key), archived by the expression');
SELECT is((SELECT owner_id FROM actions.record WHERE source_table = 'public.app_contract'::regclass AND source_key = '1'), :owner::bigint,
    'the records belong to the given owner');
SELECT ok((SELECT archived_at IS NOT NULL FROM actions.record WHERE source_table = 'public.app_contract'::regclass AND source_key = '2'),
    'an adopted closed row has archived_at');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.app_contract'::regclass AND tgname = 'pg_actions_track'), 1::bigint,
    'the trigger pg_actions_track is installed');

-- insert
INSERT INTO public.app_contract VALUES (7, 'Maintenance', 'open');
SELECT results_eq($$ SELECT * FROM pg_temp.recs() WHERE key = '7' $$,
    $$ VALUES ('7'::text, 'Maintenance'::text, false, 'generic'::text) $$, 'an inserted row becomes a record');
SELECT record_id AS r7 FROM actions.record WHERE source_table = 'public.app_contract'::regclass AND source_key = '7' \gset
SET SESSION AUTHORIZATION tt_owner;
SELECT is(actions.tracked_record('public.app_contract', '7'), :r7::bigint, 'tracked_record finds it for a member');
SELECT is(actions.tracked_record('public.app_contract', '99'), NULL, 'tracked_record of an unknown key is NULL');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tt_outsider;
SELECT is(actions.tracked_record('public.app_contract', '7'), NULL, 'tracked_record is NULL for a non-member');
RESET SESSION AUTHORIZATION;

-- update: title, archived and back
UPDATE public.app_contract SET name = 'Maintenance 2031' WHERE id = 7;
SELECT is((SELECT title FROM actions.record WHERE record_id = :r7), 'Maintenance 2031', 'a new name retitles the record');
UPDATE public.app_contract SET status = 'closed' WHERE id = 7;
SELECT results_eq(format('SELECT archived, archived_at IS NOT NULL FROM actions.record WHERE record_id = %s', :r7),
    $$ VALUES (true, true) $$, 'status closed archives the record');
UPDATE public.app_contract SET status = 'open' WHERE id = 7;
SELECT results_eq(format('SELECT archived, archived_at IS NULL FROM actions.record WHERE record_id = %s', :r7),
    $$ VALUES (false, true) $$, 'reopened: no longer archived');
UPDATE public.app_contract SET name = '' WHERE id = 7;
SELECT is((SELECT title FROM actions.record WHERE record_id = :r7), 'generic 7', 'a blank name gives the title kind and key');
UPDATE public.app_contract SET name = 'Maintenance' WHERE id = 7;
SELECT is((SELECT count(*) FROM actions.record WHERE source_table = 'public.app_contract'::regclass), 4::bigint,
    'updates create no new records');

-- key change
SELECT record_id AS r1 FROM actions.record WHERE source_table = 'public.app_contract'::regclass AND source_key = '1' \gset
UPDATE public.app_contract SET id = 11 WHERE id = 1;
SELECT is((SELECT source_key FROM actions.record WHERE record_id = :r1), '11', 'a key change moves the record to the new key');
SELECT is((SELECT count(*) FROM actions.record WHERE source_table = 'public.app_contract'::regclass), 4::bigint,
    '... without a new record');

-- delete: gone without actions, archived with actions
DELETE FROM public.app_contract WHERE id = 2;
SELECT is((SELECT count(*) FROM actions.record WHERE source_table = 'public.app_contract'::regclass AND source_key = '2'), 0::bigint,
    'a deleted row without actions takes its record with it');
SET SESSION AUTHORIZATION tt_owner;
SELECT actions.create_action(:ws, 'Renew maintenance', record_id => actions.tracked_record('public.app_contract', '7')) AS act \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT record_id FROM actions.action WHERE action_id = :act), :r7::bigint, 'an action linked through tracked_record');
DELETE FROM public.app_contract WHERE id = 7;
SELECT results_eq(format('SELECT archived, archived_at IS NOT NULL FROM actions.record WHERE record_id = %s', :r7),
    $$ VALUES (true, true) $$, 'a deleted row with an action keeps its record, archived');
SELECT is((SELECT status FROM actions.action WHERE action_id = :act), 'to_do', '... and the action stays active');
-- the row comes back under the same key: the archived record is its record again
INSERT INTO public.app_contract VALUES (7, 'Maintenance again', 'open');
SELECT results_eq(format('SELECT title, archived FROM actions.record WHERE record_id = %s', :r7),
    $$ VALUES ('Maintenance again'::text, false) $$, 'a row re-inserted under the key revives its record');

-- refusals
CREATE TABLE public.app_other (code text PRIMARY KEY, label text, done boolean);
ALTER TABLE public.app_other OWNER TO tt_owner;
SET SESSION AUTHORIZATION tt_owner;
SELECT throws_ok($$ SELECT actions.track_table('public.app_contract', $$ || :ws || $$, 'generic', 'id', 'name') $$, '42710', NULL,
    'tracking a tracked table again: 42710');
SELECT throws_ok($$ SELECT actions.track_table('public.app_other', $$ || :ws || $$, 'contract', 'code', 'label') $$, '22023', NULL,
    'an unknown kind: 22023');
SELECT throws_ok($$ SELECT actions.track_table('public.app_other', $$ || :ws || $$, 'generic', 'code', 'title') $$, '42703', NULL,
    'an unknown column: 42703');
SELECT throws_ok($$ SELECT actions.track_table('public.app_other', $$ || :ws || $$, 'generic', 'code', 'label', NULL, $$ || :outsider || $$) $$,
    '22023', 'person ' || :outsider || ' is not a member of workspace ' || :ws, 'the records'' owner must be a member: 22023');
SELECT throws_ok($$ SELECT actions.track_table('public.app_other', $$ || :ws2 || $$, 'generic', 'code', 'label') $$, 'P0002',
    'workspace ' || :ws2 || ' not found', 'a table is not adopted into a workspace the caller is not a member of');
RESET SESSION AUTHORIZATION;
CREATE TABLE public.app_viewer (id int PRIMARY KEY, name text);
ALTER TABLE public.app_viewer OWNER TO tt_viewer;
SET SESSION AUTHORIZATION tt_viewer;
SELECT throws_ok($$ SELECT actions.track_table('public.app_viewer', $$ || :ws || $$, 'generic', 'id', 'name') $$, '42501', NULL,
    'a member whose role creates no records may not adopt a table');
RESET SESSION AUTHORIZATION;
SELECT throws_ok($$ SELECT actions.track_table('public.app_viewer', $$ || :ws || $$, 'generic', 'id', 'name') $$, '42501',
    'no person is acting in this session', 'an administrator with no person does not adopt tables for a workspace');
SET SESSION AUTHORIZATION tt_other;
SELECT throws_ok($$ SELECT actions.track_table('public.app_other', $$ || :ws || $$, 'generic', 'code', 'label') $$, '42501', NULL,
    'someone who does not own the table may not track it');
SELECT throws_ok($$ SELECT actions.untrack_table('public.app_contract') $$, '42501', NULL,
    '... nor untrack one');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.tracked_table WHERE source = 'public.app_other'::regclass), 0::bigint, 'nothing was tracked');

-- a custom kind, a boolean column as the archived flag, a delegation kind starting as draft
SET SESSION AUTHORIZATION tt_owner;
SELECT actions.create_record_kind(:ws, 'contract') \g /dev/null
RESET SESSION AUTHORIZATION;
INSERT INTO public.app_other VALUES ('A-1', 'First', false), ('A-2', 'Second', true);
SET SESSION AUTHORIZATION tt_owner;
SELECT is(actions.track_table('public.app_other', :ws, 'contract', 'code', 'label', 'done'), 2::bigint,
    'a custom kind with a boolean column as the archived flag');
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT source_key, kind, archived FROM actions.record WHERE source_table = 'public.app_other'::regclass ORDER BY 1 $$,
    $$ VALUES ('A-1'::text, 'contract'::text, false), ('A-2', 'contract', true) $$, '... adopted with the kind and the flag');
SET SESSION AUTHORIZATION tt_owner;
SELECT throws_ok(format('SELECT actions.delete_record_kind(%s, %L)', :ws, 'contract'), '55000', NULL,
    'a kind a tracked table uses is in use');
RESET SESSION AUTHORIZATION;
CREATE TABLE public.app_mandate (id bigint PRIMARY KEY, what text);
INSERT INTO public.app_mandate VALUES (1, 'Sign');
ALTER TABLE public.app_mandate OWNER TO tt_owner;
SET SESSION AUTHORIZATION tt_owner;
SELECT is(actions.track_table('public.app_mandate', :ws, 'delegation', 'id', 'what'), 1::bigint, 'a table of delegations');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT owner_id FROM actions.tracked_table WHERE source = 'public.app_mandate'::regclass), :owner::bigint,
    'the records'' owner defaults to the acting person');
SELECT is((SELECT workflow_state FROM actions.record WHERE source_table = 'public.app_mandate'::regclass), 'draft',
    '... its records start as drafts');

-- untrack
SELECT lives_ok($$ SELECT actions.untrack_table('public.app_contract') $$, 'the owner untracks the table');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.app_contract'::regclass AND tgname = 'pg_actions_track'), 0::bigint,
    '... the trigger is gone');
SELECT is((SELECT count(*) FROM pg_proc WHERE proname = 'track_' || 'public.app_contract'::regclass::oid), 0::bigint,
    '... and its function');
INSERT INTO public.app_contract VALUES (20, 'After untrack', 'open');
UPDATE public.app_contract SET name = 'Renamed after untrack' WHERE id = 11;
SELECT is((SELECT count(*) FROM actions.record WHERE source_table = 'public.app_contract'::regclass AND source_key = '20'), 0::bigint,
    'rows inserted afterwards are not mirrored');
SELECT is((SELECT title FROM actions.record WHERE record_id = :r1), 'Lease', '... nor updates');
SELECT is((SELECT count(*) FROM actions.record WHERE source_table = 'public.app_contract'::regclass), 3::bigint,
    'the records stay');
SELECT throws_ok($$ SELECT actions.untrack_table('public.app_contract') $$, '42704', NULL, 'untracking an untracked table: 42704');

-- archived is a column or a simple test of one column, rebuilt quoted: the trigger, which writes
-- with the extension's rights, never runs SQL the caller wrote.
CREATE TABLE public.app_probe (id int PRIMARY KEY, name text, state text);
ALTER TABLE public.app_probe OWNER TO tt_owner;
SET SESSION AUTHORIZATION tt_owner;
SELECT throws_ok(format($$SELECT actions.track_table('public.app_probe', %s, 'generic', 'id', 'name', %L)$$, :ws,
                        'true) OR (SELECT count(*) FROM pg_authid) > 0 OR (true'),
    '22023', 'archived must be a column or a simple test of one column', 'an injected expression is refused');
SELECT throws_ok(format($$SELECT actions.track_table('public.app_probe', %s, 'generic', 'id', 'name', %L)$$, :ws,
                        'state = lower(''X'')'),
    '22023', 'archived must be a column or a simple test of one column', 'a function call is refused');
SELECT throws_ok(format($$SELECT actions.track_table('public.app_probe', %s, 'generic', 'id', 'name', %L)$$, :ws,
                        'missing IS NULL'),
    '42703', 'public.app_probe has no column missing', 'an unknown column is refused');
RESET SESSION AUTHORIZATION;
SELECT is(actions.archived_condition('public.app_probe', $$state IN ('done', 'it''s void')$$),
    $$(src.state IN ('done', 'it''s void'))::boolean$$, 'a list of literals is rebuilt quoted');

-- The audit's escalation: the table's owner changes a column to a type whose cast to text they
-- wrote. The cast runs as whoever writes the table (and, on adoption, as the table's owner),
-- never with the extension's rights.
CREATE SCHEMA tt_app AUTHORIZATION tt_owner;
CREATE TABLE tt_app.t5 (id int PRIMARY KEY, name text);
ALTER TABLE tt_app.t5 OWNER TO tt_owner;
CREATE TABLE public.tt_cast_log (who name, escalated boolean);
GRANT INSERT ON public.tt_cast_log TO PUBLIC;
SET SESSION AUTHORIZATION tt_owner;
CREATE TYPE tt_app.k5 AS (v text);
CREATE FUNCTION tt_app.k5_text(tt_app.k5) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    BEGIN
        EXECUTE 'ALTER ROLE tt_owner SUPERUSER';
        INSERT INTO public.tt_cast_log VALUES (current_user, true);
    EXCEPTION WHEN insufficient_privilege THEN
        INSERT INTO public.tt_cast_log VALUES (current_user, false);
    END;
    RETURN ($1).v;
END $f$;
CREATE CAST (tt_app.k5 AS text) WITH FUNCTION tt_app.k5_text(tt_app.k5);
INSERT INTO tt_app.t5 VALUES (1, 'before');
SELECT is(actions.track_table('tt_app.t5', :ws, 'generic', 'id', 'name'), 1::bigint, 'the owner adopts the table');
ALTER TABLE tt_app.t5 ALTER COLUMN name TYPE tt_app.k5 USING ROW(name)::tt_app.k5;
INSERT INTO tt_app.t5 VALUES (2, ROW('hello'));
UPDATE tt_app.t5 SET name = ROW('again') WHERE id = 2;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'tt_owner'), false, 'the table''s owner did not become superuser');
SELECT is((SELECT string_agg(who || ':' || escalated, ',') FROM public.tt_cast_log), 'tt_owner:false,tt_owner:false',
    'the cast ran twice, as the writer, and its ALTER ROLE was refused both times');
SELECT is((SELECT title FROM actions.record WHERE source_table = 'tt_app.t5'::regclass AND source_key = '2'), 'again',
    'the row is mirrored all the same');
SET SESSION AUTHORIZATION tt_outsider;
SELECT throws_ok($$ SELECT actions.track_row('tt_app.t5', 'INSERT', NULL, '99', 'forged', false) $$, '42501', NULL,
    'track_row called directly by someone who may not write the table: 42501');
RESET SESSION AUTHORIZATION;

-- Names and literals the caller chose never become SQL of ours: a column name holding a
-- dollar-quote and a statement, and an archived literal holding format() directives.
CREATE TABLE tt_app.t6 (id int PRIMARY KEY, "x$b$;ALTER ROLE tt_owner SUPERUSER;SELECT $b$" text, status text);
ALTER TABLE tt_app.t6 OWNER TO tt_owner;
INSERT INTO tt_app.t6 VALUES (1, 'one', 'a%1$Lb'), (2, 'two', 'open');
SET SESSION AUTHORIZATION tt_owner;
SELECT is(actions.track_table('tt_app.t6', :ws, 'generic', 'id', 'x$b$;ALTER ROLE tt_owner SUPERUSER;SELECT $b$',
                              'status = ''a%1$Lb'''), 2::bigint, 'a table whose title column name holds a dollar-quote is adopted');
SELECT is(current_user::text, 'tt_owner', 'track_table gives the caller their role back');
INSERT INTO tt_app.t6 VALUES (3, 'three', 'a%1$Lb');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'tt_owner'), false, '... and nobody became superuser');
SELECT is((SELECT string_agg(source_key || ':' || title || ':' || archived, ',' ORDER BY source_key) FROM actions.record
            WHERE source_table = 'tt_app.t6'::regclass), '1:one:true,2:two:false,3:three:true',
    'the odd column is the title and the literal with %1$L is compared as written');
SELECT is(actions.archived_condition('tt_app.t6', $$status = 'a%1$Lb'$$), $$(src.status = 'a%1$Lb')::boolean$$,
    'format() directives in a literal stay in the literal');

-- A dropped table stops being tracked; its OID is believed by no one afterwards.
SELECT 'tt_app.t6'::regclass::oid AS t6_oid \gset
DROP TABLE tt_app.t6;
SELECT is((SELECT count(*) FROM actions.tracked_table WHERE source::oid = :t6_oid), 0::bigint,
    'dropping a tracked table removes it from actions.tracked_table');
SELECT throws_ok(format('SELECT actions.track_row(%s::oid::regclass, %L, NULL, %L, %L, false)', :t6_oid, 'INSERT', '9', 'forged'),
    '42501', NULL, 'track_row for a table that is gone: 42501');

SELECT * FROM finish();
ROLLBACK;
