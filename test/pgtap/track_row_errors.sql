-- actions.track_row()'s refusals, word for word (SQLSTATE, message, detail, hint), and its
-- title rule at the edges: an invalid op (22023), a caller who could not make the write or a
-- table without the tracking trigger (42501, with the session user and the write in the detail),
-- a row without a key (23502, naming the key column quoted as an identifier), a title cut to 500
-- characters (multibyte ones counted as one) and a deleted row whose key is NULL.
BEGIN;

SELECT plan(11);

CREATE ROLE trx_owner LOGIN;
CREATE ROLE trx_other LOGIN;
SELECT actions.create_person('trx-owner@example.com', 'Owner', 'trx_owner') AS owner \gset
SELECT actions.create_workspace('Track errors', owner_id => :owner) AS ws \gset
CREATE TABLE public.trx_app ("Key Col" text, name text);
ALTER TABLE public.trx_app OWNER TO trx_owner;
CREATE TABLE public.trx_plain (id int);

SET SESSION AUTHORIZATION trx_owner;
SELECT actions.track_table('public.trx_app', :ws, 'generic', 'Key Col', 'name') AS adopted \gset

CREATE FUNCTION pg_temp.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE s text; m text; d text; h text;
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    RETURN concat_ws(' | ', s, m, d, h);
END $$;

SELECT is(pg_temp.err($$ SELECT actions.track_row('public.trx_app', 'MERGE', NULL, '1', 't', false) $$),
    '22023 | op must be INSERT, UPDATE or DELETE |  | actions.track_row() is called by the trigger actions.track_table() installs',
    'an unknown op is refused');
SELECT is(pg_temp.err($$ SELECT actions.track_row('public.trx_app', NULL, NULL, '1', 't', false) $$),
    '22023 | op must be INSERT, UPDATE or DELETE |  | actions.track_row() is called by the trigger actions.track_table() installs',
    'so is a NULL op');
SELECT is(pg_temp.err($$ SELECT actions.track_row(NULL, 'INSERT', NULL, '1', 't', false) $$),
    '42501 | permission denied to mirror a row of <NULL> | session user trx_owner may not insert rows of the table | write the table itself; its trigger mirrors the row',
    'a NULL table is refused');
SELECT is(pg_temp.err($$ SELECT actions.track_row('public.trx_plain', 'DELETE', '1', NULL, NULL, NULL) $$),
    '42501 | permission denied to mirror a row of public.trx_plain | session user trx_owner may not delete rows of the table | write the table itself; its trigger mirrors the row',
    'a table the caller may not write, without the trigger, is refused');
INSERT INTO public.trx_app VALUES ('1', 'First');
SELECT is(pg_temp.err($$ INSERT INTO public.trx_app VALUES (NULL, 'No key') $$),
    '23502 | tracked row of public.trx_app has no key | column "Key Col" links the row to its record in pg_actions | give the row a key',
    'a row without a key is refused, naming its key column');
INSERT INTO public.trx_app VALUES ('2', repeat('é', 600));
SELECT is((SELECT length(title) FROM actions.record WHERE source_table = 'public.trx_app'::regclass AND source_key = '2'),
    500, 'a long title keeps 500 characters');
UPDATE public.trx_app SET name = '   ' WHERE "Key Col" = '1';
SELECT is((SELECT title FROM actions.record WHERE source_table = 'public.trx_app'::regclass AND source_key = '1'),
    'generic 1', 'a blank title becomes the kind and the key');
SELECT is(pg_temp.err($$ SELECT actions.track_row('public.trx_app', 'DELETE', NULL, NULL, NULL, NULL) $$), 'no error',
    'a deleted row with a NULL key touches nothing');
SELECT is((SELECT count(*) FROM actions.record WHERE source_table = 'public.trx_app'::regclass), 2::bigint,
    'and every record is still there');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION trx_other;
SELECT is(pg_temp.err($$ SELECT actions.track_row('public.trx_app', 'UPDATE', '1', '1', 'forged', false) $$),
    '42501 | permission denied to mirror a row of public.trx_app | session user trx_other may not update rows of the table | write the table itself; its trigger mirrors the row',
    'another role that may not write the table is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT title FROM actions.record WHERE source_table = 'public.trx_app'::regclass AND source_key = '1'),
    'generic 1', 'and its forged title is not written');

SELECT * FROM finish();
ROLLBACK;
