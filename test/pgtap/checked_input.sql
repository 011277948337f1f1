-- Bad input that used to reach a table's constraint (or a statement run inside the function) and
-- came back as a raw 23514/23502/P0002/42501 with the internal statement in its CONTEXT: every
-- argument is now checked first, and the error names the argument and the rule, with a hint.
-- Each case asserts the SQLSTATE and message, that the error has a hint, and that no statement the
-- function runs inside shows in the CONTEXT.
BEGIN;
SELECT plan(58);

-- Runs the call; returns 'SQLSTATE: message', and records the hint and the CONTEXT lines other
-- than the call itself.
CREATE TEMP TABLE seen (call text, hint text, context text);
GRANT ALL ON seen TO PUBLIC;
CREATE FUNCTION pg_temp.try(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; h text; ctx text;
BEGIN
    EXECUTE call;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, h = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT;
    INSERT INTO seen VALUES (call, h, replace(ctx, format('SQL statement "%s"', call), ''));
    RETURN st || ': ' || msg;
END
$$;
-- Three assertions: the error, a hint, and no internal statement in the CONTEXT.
CREATE FUNCTION pg_temp.checked(call text, expected text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEXT is(pg_temp.try(call), expected, call);
    RETURN NEXT ok((SELECT coalesce(s.hint, '') <> '' FROM seen s WHERE s.call = checked.call ORDER BY ctid DESC LIMIT 1),
                   call || ': with a hint');
    RETURN NEXT unalike((SELECT coalesce(s.context, '') FROM seen s WHERE s.call = checked.call ORDER BY ctid DESC LIMIT 1),
                       '%SQL statement%', call || ': no internal statement in the CONTEXT');
END
$$;

CREATE ROLE ci_owner LOGIN;
CREATE ROLE ci_granted LOGIN;
SELECT actions.create_person('ci.owner@example.org', 'Owner', 'ci_owner') AS owner \gset
SELECT actions.create_workspace('Checked', 'UTC', NULL, :owner) AS ws \gset

-- create_person: e-mail and display name, by actions.person's rules.
SELECT pg_temp.checked($$SELECT actions.create_person(NULL, 'Ann')$$, '22004: email must not be null');
SELECT pg_temp.checked($$SELECT actions.create_person('ann at example.org', 'Ann')$$, '22023: invalid value for email: "ann at example.org"');
SELECT pg_temp.checked($$SELECT actions.create_person('', 'Ann')$$, '22023: invalid value for email: ""');
SELECT pg_temp.checked(format('SELECT actions.create_person(%L, %L)', repeat('a', 309) || '@example.org', 'Ann'), '22023: email is too long');
SELECT pg_temp.checked($$SELECT actions.create_person('ann@example.org', NULL)$$, '22004: display_name must not be null');
SELECT pg_temp.checked($$SELECT actions.create_person('ann@example.org', '   ')$$, '22023: display_name must not be blank');
SELECT pg_temp.checked(format('SELECT actions.create_person(%L, %L)', 'ann@example.org', repeat('x', 201)), '22023: display_name is too long');

-- create_workspace: its name and link by actions.workspace's rules, the owner by its id.
SELECT pg_temp.checked($$SELECT actions.create_workspace(NULL)$$, '22004: name must not be null');
SELECT pg_temp.checked($$SELECT actions.create_workspace(' ')$$, '22023: name must not be blank');
SELECT pg_temp.checked($$SELECT actions.create_workspace('W', owner_id => 999999)$$, 'P0002: owner_id: person 999999 not found');
SELECT pg_temp.checked(format('SELECT actions.create_workspace(%L, action_url_template => %L)', 'W', repeat('u', 2001)),
                       '22023: action_url_template is too long');

-- set_external_id: the subject by actions.person's rules.
SELECT pg_temp.checked(format('SELECT actions.set_external_id(%s, %L)', :owner, ''), '22023: external_id must not be blank');
SELECT pg_temp.checked(format('SELECT actions.set_external_id(%s, %L)', :owner, repeat('s', 501)), '22023: external_id is too long');

-- The member's own calls: opt_out, set_notification, assign_by_email.
SET SESSION AUTHORIZATION ci_owner;
SELECT actions.create_action(:ws, 'Checked action') AS act \gset
SELECT pg_temp.checked(format('SELECT actions.opt_out(%s, %L)', :ws, 'weekly'), '22023: invalid value for kind: "weekly"');
SELECT pg_temp.checked(format('SELECT actions.set_notification(%s, %L, false)', :ws, ''), '22023: invalid value for kind: ""');
SELECT pg_temp.checked(format('SELECT actions.assign_by_email(%s, %L)', :act, 'nobody'), '22023: invalid value for email: "nobody"');
SELECT pg_temp.checked(format('SELECT actions.assign_by_email(%s, %L)', :act, 'a@b@c'), '22023: invalid value for email: "a@b@c"');
SELECT pg_temp.checked(format('SELECT actions.assign_by_email(%s, %L, %L)', :act, 'ann@example.org', ' '), '22023: display_name must not be blank');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.person), 1::bigint, 'no person was created by any of these calls');

-- rebuild_service_levels: a role granted EXECUTE but not owning the tables is refused up front.
GRANT EXECUTE ON FUNCTION actions.rebuild_service_levels(bigint) TO ci_granted;
SET SESSION AUTHORIZATION ci_granted;
SELECT pg_temp.checked('SELECT actions.rebuild_service_levels()', '42501: permission denied to rebuild the service levels');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
