# Fuzzing the whole SQL API: every function of schema actions, called with random arguments drawn
# from pools of ordinary, boundary and hostile values of its argument types, as four callers
# (a superuser, a workspace owner, a member, an actions_access member) in a small world of two
# workspaces. Each call runs in its own subtransaction; its outcome (ok or the SQLSTATE) is kept.
#
# What must hold, however the arguments fall:
#   - the server never crashes (the postmaster's start time is the same at the end, and every
#     chunk of calls comes back);
#   - no call ends in XX000 (an internal error: a C++ exception the boundary did not map, a
#     failed assertion) or in another class-XX/58 error;
#   - no call ends in a raw error of an internal statement (a constraint's violation, a SELECT
#     INTO STRICT's "query returned no rows", a table's "permission denied") instead of a checked
#     argument error naming the argument.
# The number of calls is PG_ACTIONS_FUZZ_CALLS (default 3,000; `make soak` runs 100,000) and the
# seed PG_ACTIONS_FUZZ_SEED (default 1), so a finding can be replayed.
use strict;
use warnings;
use Time::HiRes qw(time);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

$ENV{PGUSER} = 'postgres';
my $calls = $ENV{PG_ACTIONS_FUZZ_CALLS} || 3000;
my $seed = $ENV{PG_ACTIONS_FUZZ_SEED} || 1;
my $chunk = 500;
my $started = time;

my $node = PostgreSQL::Test::Cluster->new('fuzz');
$node->init(extra => [ '-U', 'postgres' ]);
$node->append_conf('postgresql.conf', "log_min_messages = fatal\nlog_min_error_statement = panic\n");
$node->start;

# --- the world -------------------------------------------------------------------------------------
$node->safe_psql('postgres', q{
CREATE EXTENSION pg_actions;
CREATE ROLE fz_alice LOGIN; CREATE ROLE fz_bob LOGIN; CREATE ROLE fz_carol LOGIN; CREATE ROLE fz_svc LOGIN;
SELECT actions.create_person('alice@example.com', 'Alice', 'fz_alice');
SELECT actions.create_person('bob@example.com', 'Bob', 'fz_bob');
SELECT actions.create_person('carol@example.com', 'Carol', 'fz_carol');
SELECT actions.create_person('dave@example.com', 'Dave');
SELECT actions.create_workspace('One', 'Europe/Berlin', owner_id => 1);
SELECT actions.create_workspace('Two', 'America/New_York', owner_id => 4);
SELECT actions.add_member(1, 2, 'user');
SELECT actions.add_member(1, 3, 'actions_access');
SELECT actions.trust_service('fz_svc', 'the fuzzer''s service');
CREATE SCHEMA fz;
CREATE TABLE fz.app (id bigint PRIMARY KEY, title text);
INSERT INTO fz.app VALUES (1, 'an application row');
GRANT USAGE ON SCHEMA fz TO PUBLIC;
});
$node->safe_psql('postgres', q{
SET SESSION AUTHORIZATION fz_alice;
SELECT actions.create_group(1, 'Europe');
SELECT actions.create_record(1, 'Board decision', 'generic');
SELECT actions.create_action(1, 'seed ' || i, assignee_id => 1 + i % 3, due_on => current_date + i - 5)
  FROM generate_series(1, 12) i;
SELECT actions.add_note(1, 'a note');
});

# The value pools, by argument type: ordinary values, ids that exist and do not, boundaries.
$node->safe_psql('postgres', q{
CREATE TABLE fz.pool (typ text NOT NULL, val text NOT NULL);
INSERT INTO fz.pool
SELECT t, v FROM (VALUES
  ('bigint', ARRAY['NULL','0','-1','1','2','3','4','5','7','12','99','2147483647','-2147483648',
                   '9223372036854775807','-9223372036854775808']),
  ('integer', ARRAY['NULL','0','-1','1','2','3','7','31','366','2147483647','-2147483648']),
  ('text', ARRAY['NULL','''''',''' ''','''x''','''to_do''','''in_progress''','''overdue''','''complete''',
                 '''cancelled''','''high''','''low''','''normal''','''user''','''manager''','''owner''',
                 '''actions_access''','''view_actions''','''manage_workspace''','''create_actions''',
                 '''generic''','''document''','''reviewer''','''alice@example.com''','''new@example.com''',
                 '''not an email''','repeat(''é'', 5000)','''FREQ=DAILY;COUNT=3''','''FREQ=SECONDLY''',
                 '''FREQ=YEARLY;BYMONTH=13''','''Europe/Berlin''','''Mars/Olympus''','''{record_title}''',
                 'E''line\nbreak''','''09:00''','''days''','''hours''','''minutes''','''all''','''latest''',
                 '''substitute''','''both''','''email''','''in_app''','''none''','''approval''',
                 '''{"a": 1}''','''''''''','''%s%n''','''-1''','''99999999999999999999''']),
  ('bigint[]', ARRAY['NULL','''{}''','''{1}''','''{1,2,3}''','''{NULL}''','''{-1}''','''{9223372036854775807}''',
                     'array(SELECT generate_series(1, 2000)::bigint)']),
  ('integer[]', ARRAY['NULL','''{}''','''{1,5}''','''{0}''','''{8}''','''{-1}''','''{NULL}''']),
  ('boolean', ARRAY['NULL','true','false']),
  ('timestamp with time zone', ARRAY['NULL','now()','now() + interval ''1 day''','now() - interval ''1 year''',
                                     '''infinity''','''-infinity''','''1900-01-01''','''294276-12-30''',
                                     '''4713-01-01 BC''']),
  ('timestamp without time zone', ARRAY['NULL','localtimestamp','''infinity''','''2000-01-01''']),
  ('date', ARRAY['NULL','current_date','current_date + 30','''infinity''','''-infinity''','''4713-01-01 BC''',
                 '''5874897-12-31''','''2000-02-29''']),
  ('interval', ARRAY['NULL','''0''','''1 day''','''-1 day''','''1 microsecond''','''178000000 years''',
                     '''2 seconds''']),
  ('text[]', ARRAY['NULL','''{}''','''{user}''','''{x,NULL}''','''{manager,owner}''','''{view_actions}''']),
  ('name', ARRAY['NULL','''postgres''','''fz_alice''','''fz_bob''','''fz_svc''','''nobody''','''''']),
  ('regclass', ARRAY['NULL','''fz.app''','''actions.action''','''pg_class''']),
  ('bytea', ARRAY['NULL','''''','''\x00''','convert_to(repeat(''x'', 100000), ''UTF8'')']),
  ('jsonb', ARRAY['NULL','''{}''','''[]''','''null''','''{"a": 1}''','''"x"''','''{"title": "t"}''']),
  ('regconfig', ARRAY['NULL','''english''','''simple'''])
) p(t, vals), unnest(vals) v;

-- Every function of the API but the trigger functions, with its argument types.
CREATE TABLE fz.fn AS
SELECT p.oid, p.proname::text AS name, p.pronargs, p.pronargdefaults,
       array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t) AS types
  FROM pg_proc p
 WHERE p.pronamespace = 'actions'::regnamespace AND p.prokind = 'f'
   AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype);

-- An error an internal statement raised, not a checked argument error of the function.
CREATE FUNCTION fz.raw(message text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $r$
    SELECT message ~ ('violates (check|not-null|foreign key|unique|exclusion) constraint|^null value in column'
                      '|^duplicate key value|^query returned no rows|^permission denied for (table|relation|sequence|schema|view)')
$r$;

CREATE TABLE fz.outcome (fn text, who text, state text, message text, context text, call text);

CREATE FUNCTION fz.run(n int, seed float8) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    f record; who text; args text[]; call text; nargs int; st text; msg text; ctx text;
BEGIN
    PERFORM setseed(seed);
    FOR i IN 1 .. n LOOP
        SELECT * INTO f FROM fz.fn ORDER BY random() LIMIT 1;
        who := (ARRAY['postgres', 'fz_alice', 'fz_bob', 'fz_carol'])[1 + floor(random() * 4)::int];
        -- all arguments, or only those without a default
        nargs := CASE WHEN random() < 0.5 THEN f.pronargs ELSE f.pronargs - f.pronargdefaults END;
        args := '{}';
        FOR a IN 1 .. nargs LOOP
            args := array_append(args, coalesce(
                (SELECT val FROM fz.pool WHERE typ = f.types[a] ORDER BY random() LIMIT 1), 'NULL')
                || '::' || f.types[a]);
        END LOOP;
        call := format('SELECT actions.%I(%s)', f.name, array_to_string(args, ', '));
        st := 'ok'; msg := NULL; ctx := NULL;
        BEGIN
            IF who <> 'postgres' THEN EXECUTE format('SET LOCAL SESSION AUTHORIZATION %I', who); END IF;
            SET LOCAL statement_timeout = '5s';
            EXECUTE call;
            RESET SESSION AUTHORIZATION;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, ctx = PG_EXCEPTION_CONTEXT;
        END;
        RESET SESSION AUTHORIZATION;
        INSERT INTO fz.outcome VALUES (f.name, who, st, msg, ctx, call);
    END LOOP;
END $f$;
});
my $functions = $node->safe_psql('postgres', 'SELECT count(*) FROM fz.fn');
note "fuzzing $functions functions with $calls calls, seed $seed";

# --- the calls, in chunks (one transaction each, so a crash loses one chunk) ----------------------
my $boot = $node->safe_psql('postgres', 'SELECT pg_postmaster_start_time()');
my ($chunks_failed, @chunk_errors) = (0);
for (my $done = 0, my $i = 0; $done < $calls; $done += $chunk, $i++)
{
    my $n = $calls - $done < $chunk ? $calls - $done : $chunk;
    my $s = (($seed * 1000 + $i) % 10000) / 10000.0;
    my ($ret, $out, $err) = $node->psql('postgres', "SELECT fz.run($n, $s)", timeout => 600);
    if ($ret != 0)
    {
        $chunks_failed++;
        push @chunk_errors, "chunk $i (seed $s): $err";
        # Wait for a server that crashed to come back.
        $node->poll_query_until('postgres', 'SELECT true') or last;
    }
}
my $boot_after = $node->safe_psql('postgres', 'SELECT pg_postmaster_start_time()');
my $made = $node->safe_psql('postgres', 'SELECT count(*) FROM fz.outcome');
my $ok = $node->safe_psql('postgres', q{SELECT count(*) FROM fz.outcome WHERE state = 'ok'});
my $states = $node->safe_psql('postgres',
    q{SELECT string_agg(state || ' ' || n, ', ' ORDER BY n DESC) FROM (SELECT state, count(*) n FROM fz.outcome GROUP BY 1) s});
note "outcomes: $states";

is($boot_after, $boot, 'the server never restarted (no crash)');
is($chunks_failed, 0, 'every chunk of calls came back') or diag join "\n", @chunk_errors;
is($made, $calls, "every one of the $calls calls was made");
cmp_ok($ok, '>=', $calls / 20, "a fair share of the calls succeeded ($ok)");

my $internal = $node->safe_psql('postgres', q{
    SELECT count(*) || E'\n' || coalesce(string_agg(DISTINCT fn || ' ' || state || ': ' || message, E'\n'), '')
      FROM fz.outcome WHERE state LIKE 'XX%' OR state LIKE '58%'});
my ($n_internal, @internal) = split /\n/, $internal;
is($n_internal, 0, 'no call ended in an internal error (XX000, class XX or 58)')
  or diag join "\n", @internal[ 0 .. ($#internal < 19 ? $#internal : 19) ];

# Every function validates its arguments itself: a raw error of one of its internal statements
# (a constraint, a SELECT INTO STRICT, a table's privilege) is a defect.
my $raw_all = $node->safe_psql('postgres', 'SELECT count(*) FROM fz.outcome WHERE fz.raw(message)');
is($raw_all, 0, 'no call ended in a raw error of an internal statement instead of a checked argument error')
  or diag $node->safe_psql('postgres', q{
    SELECT string_agg(fn || ' ' || n || ' (' || msg || ')', E'\n' ORDER BY n DESC)
      FROM (SELECT fn, count(*) n, min(message) msg FROM fz.outcome WHERE fz.raw(message) GROUP BY 1) s});

note sprintf 'fuzz: %d calls, %d crashes, %d chunks lost, %d internal errors, %d raw constraint errors, %.1f s',
  $made, ($boot_after eq $boot ? 0 : 1), $chunks_failed, $n_internal, $raw_all, time - $started;
$node->stop;
done_testing();
