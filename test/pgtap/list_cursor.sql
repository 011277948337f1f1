-- List cursors are authenticated (HMAC-SHA-256 under actions.list_secret): 10,000 random and
-- mutated cursors (bit flips, truncations, base64 garbage, huge numbers behind a forged MAC,
-- cursors of other filters, sorts and directions, cursors from before a rotation) are each refused
-- with 22023 and nothing else; the secret is the owner's alone, rotating it refuses old cursors,
-- and the cursors as returned keep working.
BEGIN;
SELECT plan(17);

CREATE ROLE lc_user LOGIN;
SELECT actions.create_person('lc-user@example.com', 'Lea Cursor', 'lc_user') AS usr \gset
SELECT actions.create_workspace('Cursor Co', owner_id => :usr) AS ws \gset
SET SESSION AUTHORIZATION lc_user;
SELECT actions.create_action(:ws, 'Step ' || i, due_at => '2030-01-01 00:00+00'::timestamptz + i * interval '1 day',
                             priority => (ARRAY['low', 'medium', 'high'])[1 + i % 3])
  FROM generate_series(1, 6) i \g /dev/null
RESET SESSION AUTHORIZATION;

-- The secret: one row of 32 bytes, the owner's alone.
SELECT is((SELECT octet_length(secret) FROM actions.list_secret), 32, 'CREATE EXTENSION made a 32-byte secret');
SELECT is(has_table_privilege('lc_user', 'actions.list_secret', 'SELECT'), false, 'a person cannot read the secret');
SELECT is(has_function_privilege('lc_user', 'actions.rotate_list_secret()', 'EXECUTE'), false,
          'a person cannot rotate the secret');
SELECT ok((SELECT extconfig @> ARRAY['actions.list_secret'::regclass::oid] FROM pg_extension WHERE extname = 'pg_actions'),
          'pg_dump keeps the secret');

SET SESSION AUTHORIZATION lc_user;
SELECT throws_ok('SELECT secret FROM actions.list_secret', '42501', NULL, 'reading the secret is refused');
SELECT throws_ok('SELECT actions.rotate_list_secret()', '42501', NULL, 'rotating is refused');
SELECT next_cursor AS due_cursor FROM actions.list_actions(:ws, page_size => 2) WHERE next_cursor IS NOT NULL \gset
SELECT next_cursor AS prio_cursor FROM actions.list_actions(:ws, sort => 'priority', page_size => 2) WHERE next_cursor IS NOT NULL \gset
SELECT next_cursor AS title_cursor FROM actions.list_actions(:ws, sort => 'title', direction => 'desc', page_size => 2)
 WHERE next_cursor IS NOT NULL \gset
RESET SESSION AUTHORIZATION;

-- A cursor from before a rotation; then the cursors of now.
SELECT actions.rotate_list_secret() IS NOT NULL AS rotated \gset
SET SESSION AUTHORIZATION lc_user;
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, page_size => 2, cursor => %L)', :ws, :'due_cursor'),
                 '22023', 'invalid cursor', 'a cursor from before the rotation is refused');
SELECT :'due_cursor' AS old_cursor \gset
SELECT next_cursor AS due_cursor FROM actions.list_actions(:ws, page_size => 2) WHERE next_cursor IS NOT NULL \gset
SELECT next_cursor AS prio_cursor FROM actions.list_actions(:ws, sort => 'priority', page_size => 2) WHERE next_cursor IS NOT NULL \gset
SELECT lives_ok(format('SELECT * FROM actions.list_actions(%s, page_size => 2, cursor => %L)', :ws, :'due_cursor'),
                'a cursor made after the rotation is accepted');

-- One list call with a cursor: its SQLSTATE, or 'ok'.
CREATE FUNCTION pg_temp.try(ws bigint, sort text, direction text, statuses text[], cur text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    PERFORM count(*) FROM actions.list_actions(ws, statuses => try.statuses, sort => try.sort, direction => try.direction,
                                               page_size => 2, cursor => cur);
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
    RETURN st;
END
$$;

-- Standard base64 without line breaks.
CREATE FUNCTION pg_temp.b64(b bytea) RETURNS text LANGUAGE sql AS $$ SELECT translate(encode(b, 'base64'), E'\n', '') $$;

CREATE FUNCTION pg_temp.random_bytes(n integer) RETURNS bytea LANGUAGE sql AS $$
    SELECT COALESCE(string_agg(set_byte('\x00'::bytea, 0, (random() * 255)::integer), ''::bytea), ''::bytea)
      FROM generate_series(1, n) $$;

-- A cursor as anyone could make one under 0.1's unkeyed check: SHA-256 over the row and the
-- public digest of the filters of list_actions(ws, <sort>, page_size => 2).
CREATE FUNCTION pg_temp.public_forgery(ws bigint, row_text text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.b64(convert_to(left(encode(sha256(convert_to(row_text, 'UTF8') || '\x00'::bytea || convert_to(encode(sha256(
               convert_to(length(ws::text) || ':' || ws || ';-;-;1:f;1:f;' || repeat('-;', 8) || '1:t;-;-;-;', 'UTF8')), 'hex'),
               'UTF8')), 'hex'), 32) || row_text, 'UTF8')) $$;

-- 10,000 cursors that were not made for this call, in ten kinds of 1,000; the count of each outcome.
CREATE FUNCTION pg_temp.fuzz(ws bigint, due text, prio text, title text, old text) RETURNS TABLE (outcome text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
    counts jsonb := '{}';
    k integer;
    i integer;
    b bytea;
    pos integer;
    cur text;
    sort text;
    dir text;
    statuses text[];
    st text;
    huge text[] := ARRAY['99999999999999', '-99999999999999', '9223372036854775808', '-9223372036854775809',
                         '2147483648', '99999999999999999999999999', '-1', '+1', ' 1', '0x10', '', '1e9'];
BEGIN
    FOR i IN 1 .. 10000 LOOP
        k := i % 10;
        sort := 'due';
        dir := 'asc';
        statuses := NULL;
        cur := CASE WHEN i % 3 = 0 THEN prio ELSE due END;
        IF cur = prio THEN sort := 'priority'; END IF;
        b := decode(cur, 'base64');
        IF k = 0 THEN      -- one bit flipped anywhere
            pos := (random() * (octet_length(b) * 8 - 1))::integer;
            cur := pg_temp.b64(set_bit(b, pos, 1 - get_bit(b, pos)));
        ELSIF k = 1 THEN   -- one byte replaced in the row after the MAC
            pos := 32 + (random() * (octet_length(b) - 33))::integer;
            cur := pg_temp.b64(set_byte(b, pos, (get_byte(b, pos) + 1 + (random() * 254)::integer) % 256));
        ELSIF k = 2 THEN   -- truncated, as bytes or as text
            IF i % 4 = 0 THEN cur := pg_temp.b64(substr(b, 1, (random() * (octet_length(b) - 1))::integer));
            ELSE cur := substr(cur, 1, (random() * (length(cur) - 1))::integer); END IF;
        ELSIF k = 3 THEN   -- random bytes in base64
            cur := pg_temp.b64(pg_temp.random_bytes((random() * 120)::integer));
        ELSIF k = 4 THEN   -- base64 garbage: random characters, some outside the alphabet
            cur := (SELECT string_agg(substr('ABCxyz019+/=-_ !%:\é' || chr(10), 1 + (random() * 21)::integer, 1), '')
                      FROM generate_series(0, (random() * 90)::integer));
        ELSIF k = 5 THEN   -- a forged MAC over a row with huge or malformed numbers (a 14-digit rank)
            IF i % 4 = 0 THEN
                sort := 'priority';
                cur := pg_temp.public_forgery(ws, 'priority:asc:1:=' || huge[1 + i % 12]);
            ELSIF i % 2 = 0 THEN
                sort := 'priority';
                cur := pg_temp.b64(pg_temp.random_bytes(32) || convert_to('priority:asc:1:=' || huge[1 + i % 12], 'UTF8'));
            ELSE
                cur := pg_temp.b64(pg_temp.random_bytes(32) || convert_to('due:asc:' || huge[1 + i % 12] || ':=' || huge[1 + (i / 12) % 12], 'UTF8'));
            END IF;
        ELSIF k = 6 THEN   -- the MAC of one cursor with the row of another
            cur := pg_temp.b64(substr(decode(due, 'base64'), 1, 32) || substr(decode(prio, 'base64'), 33));
            sort := 'priority';
        ELSIF k = 7 THEN   -- a valid cursor with another sort, direction or filter
            IF i % 3 = 0 THEN sort := 'created';
            ELSIF i % 3 = 1 THEN dir := 'desc';
            ELSE statuses := ARRAY['to_do']; END IF;
            IF cur = prio AND i % 3 = 0 THEN sort := 'due'; END IF;
        ELSIF k = 8 THEN   -- a valid cursor of another sort and direction, or one from before the rotation
            cur := CASE WHEN i % 2 = 0 THEN title ELSE old END;
        ELSE               -- a valid cursor with bytes appended
            cur := pg_temp.b64(b || pg_temp.random_bytes(1 + (random() * 8)::integer));
        END IF;
        st := pg_temp.try(ws, sort, dir, statuses, cur);
        counts := jsonb_set(counts, ARRAY[st], to_jsonb(COALESCE((counts ->> st)::bigint, 0) + 1));
    END LOOP;
    RETURN QUERY SELECT key, value::bigint FROM jsonb_each_text(counts);
END
$$;

CREATE TEMP TABLE outcomes AS SELECT * FROM pg_temp.fuzz(:ws, :'due_cursor', :'prio_cursor', :'title_cursor', :'old_cursor');
SELECT is((SELECT sum(n) FROM outcomes), 10000::numeric, '10,000 cursors were tried');
SELECT is((SELECT sum(n) FROM outcomes WHERE outcome = '22023'), 10000::numeric, 'every one was refused with 22023');
SELECT is((SELECT string_agg(outcome || ': ' || n, ', ') FROM outcomes WHERE outcome <> '22023'), NULL,
          'no other outcome: no success, no XX000, no other error');

-- A rotation earlier in the same statement is seen (the key is read again once the statement has
-- written): granted to a person as a DBA would, rotated inside one function call.
RESET SESSION AUTHORIZATION;
GRANT EXECUTE ON FUNCTION actions.rotate_list_secret() TO lc_user;
SET SESSION AUTHORIZATION lc_user;
CREATE FUNCTION pg_temp.rotate_between(ws bigint) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    c text := (SELECT next_cursor FROM actions.list_actions(ws, page_size => 2) WHERE next_cursor IS NOT NULL);
    before_rotation text := pg_temp.try(ws, 'due', 'asc', NULL, c);
BEGIN
    PERFORM actions.rotate_list_secret();
    RETURN ARRAY[before_rotation, pg_temp.try(ws, 'due', 'asc', NULL, c)];
END $$;
SELECT is(pg_temp.rotate_between(:ws), ARRAY['ok', '22023'], 'a rotation earlier in the same statement refuses the cursors made before it');
SELECT next_cursor AS due_cursor FROM actions.list_actions(:ws, page_size => 2) WHERE next_cursor IS NOT NULL \gset
SELECT next_cursor AS prio_cursor FROM actions.list_actions(:ws, sort => 'priority', page_size => 2) WHERE next_cursor IS NOT NULL \gset
RESET SESSION AUTHORIZATION;
REVOKE EXECUTE ON FUNCTION actions.rotate_list_secret() FROM lc_user;
SET SESSION AUTHORIZATION lc_user;

-- The refusal names the cursor and says what to do.
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''priority'', cursor => %L)', :ws,
                        pg_temp.public_forgery(:ws, 'priority:asc:1:=99999999999999')),
                 '22023', 'invalid cursor', 'a cursor forged under the old public check with a 14-digit rank is refused, not XX000');
SELECT throws_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''priority'', page_size => 2, cursor => %L)', :ws,
                        pg_temp.public_forgery(:ws, 'priority:asc:1:=1')),
                 '22023', 'invalid cursor', 'a cursor forged under the old public check is refused');
CREATE FUNCTION pg_temp.hint_of(ws bigint, cur text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
    PERFORM count(*) FROM actions.list_actions(ws, cursor => cur);
    RETURN NULL;
EXCEPTION WHEN invalid_parameter_value THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    RETURN h;
END $$;
SELECT alike(pg_temp.hint_of(:ws, :'old_cursor'), 'pass the next_cursor of the last row of the previous page%', 'with a hint');

-- The cursors as returned still walk on, and a page walked twice is the same.
SELECT lives_ok(format('SELECT * FROM actions.list_actions(%s, sort => ''priority'', page_size => 2, cursor => %L)', :ws, :'prio_cursor'),
                'the valid priority cursor still works');
SELECT results_eq(format('SELECT action_id FROM actions.list_actions(%s, page_size => 2, cursor => %L)', :ws, :'due_cursor'),
                  format('SELECT action_id FROM actions.list_actions(%s, page_size => 6) OFFSET 2 LIMIT 2', :ws),
                  'the valid due cursor gives the next page');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
