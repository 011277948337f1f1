# A mixed workload, then the invariants that must hold however the calls interleaved.
#
# One workspace with ten people (owner, managers, users, actions_access members), four groups,
# a generic record and a published document reviewed every two seconds, and actions due in the
# past, in the next seconds and not at all. Then eight concurrent pgbench clients make about
# 20,000 API calls (PG_ACTIONS_LOAD_CALLS; the soak, `make soak`, makes 1,000,000) as those people: six through a trusted service that calls act_as() for a
# random person in each transaction, one connected as a manager's login role, one as an
# actions_access member's login role. Every kind of call is made: create_action, assign, reassign,
# start, complete (with and without evidence), uncomplete, cancel, update_action (title,
# description, priority, due date, clearing it), add_note, edit_note, delete_note, delete_action,
# set_action_groups. Each call runs in lt.step(), which counts the refusals a person may
# legitimately get under concurrency (42501, 55000, P0002, 22023, 40001, 40P01) and lets every
# other error through to pgbench (a pgbench run whose clients aborted is started again for the
# transactions they still owed, so that one bug does not hide the others). Targets are picked
# among the newest actions, and some note calls among the 4 newest, so that calls on one action
# meet. Meanwhile one connection runs the maintenance sweeps (mark_overdue, notify_due_soon,
# create_due_reviews) in a loop, and run_maintenance() every second, and another LISTENs on
# pg_actions.
#
# Afterwards, as postgres:
#   - pgbench ran every client to the end with no unexpected error; no sweep failed;
#   - verify_log() finds every chain intact;
#   - every chain is gapless: seq is 1..max(seq) and max(seq) is the chain head's seq;
#   - every surviving action equals what its log replays to (status, assignee, title, groups,
#     due date when it was changed), and no surviving action's log has a 'deleted' entry;
#   - every deleted action's log ends with its 'deleted' entry;
#   - no due_soon or overdue reminder was sent twice for one action and due date (a notification
#     is matched to its actions.reminder row, written in the same transaction), and the LISTEN
#     client heard every stored notification exactly once (the payload is the notification id).
use strict;
use warnings;
use List::Util qw(sum0);
use Time::HiRes qw(time usleep);
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $started = time;
my $node = PostgreSQL::Test::Cluster->new('mixed_load');
$node->init(extra => [ '-U', 'postgres' ]);
$node->append_conf('postgresql.conf', q{
log_statement = none
max_connections = 40
deadlock_timeout = 200ms
});
$node->start;

# --- the workspace -------------------------------------------------------------------------------

# The application's listening connection, there before anything is assigned.
my $listener = $node->background_psql('postgres', timeout => 30);
$listener->set_query_timer_restart;
$listener->query_safe('LISTEN pg_actions');

my @people = (
    [ p01 => 'owner' ], [ p02 => 'manager' ], [ p03 => 'manager' ], [ p04 => 'user' ], [ p05 => 'user' ],
    [ p06 => 'user' ], [ p07 => 'user' ], [ p08 => 'user' ], [ p09 => 'actions_access' ],
    [ p10 => 'actions_access' ]);
$node->safe_psql('postgres', join "\n", 'CREATE EXTENSION pg_actions;', 'CREATE ROLE svc LOGIN;',
    map { "CREATE ROLE $_->[0] LOGIN;" } @people);
my %pid;
for my $p (@people)
{
    $pid{ $p->[0] } = $node->safe_psql('postgres',
        "SELECT actions.create_person('$p->[0]\@example.com', 'Person $p->[0]', '$p->[0]')");
}
# The pgbench scripts pick a person by number: person n is p0n, person_id n.
for my $n (1 .. 10)
{
    my $name = sprintf 'p%02d', $n;
    $pid{$name} == $n or BAIL_OUT("person $name got id $pid{$name}, expected $n");
}
my $ws = $node->safe_psql('postgres', q{
    SELECT actions.create_workspace('Load', 'Europe/Berlin',
                                    'https://app.example/w/{workspace_id}/a/{action_id}', owner_id => 1)});
$node->safe_psql('postgres', join "\n",
    (map { "SELECT actions.add_member($ws, $pid{$_->[0]}, '$_->[1]');" } @people[ 1 .. $#people ]),
    "SELECT actions.trust_service('svc', 'the load test''s pooled connections');");

sub as
{
    my ($who, $sql) = @_;
    return $node->safe_psql('postgres', $sql, extra_params => [ '-U', $who ]);
}

my %g;
$g{europe} = as('p01', "SELECT actions.create_group($ws, 'Europe')");
$g{france} = as('p01', "SELECT actions.create_group($ws, 'France', $g{europe})");
$g{germany} = as('p01', "SELECT actions.create_group($ws, 'Germany', $g{europe})");
$g{americas} = as('p01', "SELECT actions.create_group($ws, 'Americas')");
as('p01', join "\n",
    "SELECT actions.add_group_member($g{europe}, $pid{p02});",
    "SELECT actions.add_group_member($g{france}, $pid{p04});",
    "SELECT actions.add_group_member($g{france}, $pid{p05});",
    "SELECT actions.add_group_member($g{germany}, $pid{p06});",
    "SELECT actions.add_group_member($g{americas}, $pid{p07});",
    "SELECT actions.add_group_member($g{americas}, $pid{p03});");
my $rec = as('p01', "SELECT actions.create_record($ws, 'Board decision 12', 'generic', ARRAY[$g{europe}]::bigint[])");
# A published document whose reviewers get a review action from every create_due_reviews()
# that finds it due: every two seconds during the load.
my $doc = as('p01', "SELECT actions.create_record($ws, 'Travel policy', 'document')");
as('p01', join "\n",
    "SELECT actions.set_workflow($ws, 'document_review', true, 1);",
    "SELECT actions.add_party($doc, 'reviewer', $pid{p04});",
    "SELECT actions.add_party($doc, 'reviewer', $pid{p05});",
    "SELECT actions.set_review_schedule($doc, interval '2 seconds');",
    "SELECT actions.publish_document($doc);");

# Forty actions by the owner, assigned round-robin (every fifth unassigned): ten due in the past,
# fifteen due 5 to 75 seconds from now, fifteen with no due date.
as('p01', qq{
    SELECT count(actions.create_action($ws, 'seed ' || i,
               assignee_id => CASE WHEN i % 5 <> 0 THEN 1 + i % 10 END,
               due_at => CASE WHEN i <= 10 THEN now() - make_interval(mins => i)
                              WHEN i <= 25 THEN now() + make_interval(secs => 5 * (i - 10)) END,
               group_ids => CASE WHEN i % 3 = 0 THEN ARRAY[$g{france}]::bigint[] END))
      FROM generate_series(1, 40) i});
is($node->safe_psql('postgres', "SELECT count(*) FROM actions.action WHERE workspace_id = $ws AND record_id IS NULL"),
    '40', 'the seed actions are there');

# --- the load's helpers (schema lt, owned by postgres) --------------------------------------------

my $groups_sql = "ARRAY[$g{europe}, $g{france}, $g{germany}, $g{americas}]::bigint[]";
$node->safe_psql('postgres', qq{
CREATE SCHEMA lt;
GRANT USAGE ON SCHEMA lt TO PUBLIC;
-- one row per API call made by lt.step(): the function and 'ok' or the refusal's SQLSTATE
CREATE UNLOGGED TABLE lt.calls (op text NOT NULL, outcome text NOT NULL);
GRANT INSERT ON lt.calls TO PUBLIC;

-- A target among the 40 newest actions, read past row-level security (the API decides what the
-- acting person may do with it): 'mine' prefers an open one assigned to the acting person,
-- 'unassigned' one without assignee, 'complete' a completed one, 'hot' one of the 4 newest
-- (where concurrent note calls meet); otherwise any.
CREATE FUNCTION lt.pick(mode text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS \$\$
DECLARE
    me  bigint := actions.current_actor();
    top bigint := (SELECT max(action_id) FROM actions.action);
    id  bigint;
BEGIN
    IF top IS NULL THEN RETURN 0; END IF;
    IF mode = 'mine' THEN
        SELECT action_id INTO id FROM actions.action
         WHERE action_id > top - 40 AND assignee_id = me AND status IN ('to_do', 'in_progress', 'overdue')
         ORDER BY random() LIMIT 1;
    ELSIF mode = 'unassigned' THEN
        SELECT action_id INTO id FROM actions.action
         WHERE action_id > top - 40 AND assignee_id IS NULL ORDER BY random() LIMIT 1;
    ELSIF mode = 'hot' THEN
        SELECT action_id INTO id FROM actions.action WHERE action_id > top - 4 ORDER BY random() LIMIT 1;
    ELSIF mode = 'complete' THEN
        SELECT action_id INTO id FROM actions.action
         WHERE action_id > top - 40 AND status = 'complete' ORDER BY random() LIMIT 1;
    END IF;
    IF id IS NULL THEN
        SELECT action_id INTO id FROM actions.action WHERE action_id > top - 40 ORDER BY random() LIMIT 1;
    END IF;
    RETURN coalesce(id, top);
END
\$\$;

-- A recent note, preferably on an action assigned to the acting person.
CREATE FUNCTION lt.pick_note() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS \$\$
DECLARE
    me  bigint := actions.current_actor();
    top bigint := (SELECT max(note_id) FROM actions.note);
    id  bigint;
BEGIN
    IF top IS NULL THEN RETURN 1; END IF;
    SELECT n.note_id INTO id FROM actions.note n JOIN actions.action a USING (workspace_id, action_id)
     WHERE n.note_id > top - 200 AND a.assignee_id = me ORDER BY random() LIMIT 1;
    IF id IS NULL THEN
        SELECT note_id INTO id FROM actions.note WHERE note_id > top - 200 ORDER BY random() LIMIT 1;
    END IF;
    RETURN coalesce(id, top);
END
\$\$;

CREATE FUNCTION lt.some_groups() RETURNS bigint[]
    LANGUAGE sql SET search_path = pg_catalog AS \$\$
    SELECT coalesce(array_agg(g), '{}') FROM unnest($groups_sql) g WHERE random() < 0.35
\$\$;

CREATE FUNCTION lt.due() RETURNS timestamptz
    LANGUAGE sql SET search_path = pg_catalog AS \$\$
    SELECT now() + make_interval(secs => -10 + random() * 25)
\$\$;

-- One API call as the acting person, on target (or a picked one). A refusal a person may get
-- because someone else got there first is counted; any other error goes through to pgbench.
CREATE FUNCTION lt.step(op text, target bigint DEFAULT NULL) RETURNS text
    LANGUAGE plpgsql SET search_path = pg_catalog AS \$\$
DECLARE
    a       bigint := target;
    other   bigint := 1 + floor(random() * 10)::int;
    x       double precision := random();
    outcome text := 'ok';
    state   text;
BEGIN
    BEGIN
        CASE op
        WHEN 'create' THEN
            PERFORM actions.create_action($ws, 'task ' || substr(md5(random()::text), 1, 8),
                description => CASE WHEN x < 0.5 THEN 'made under load' END,
                assignee_id => CASE WHEN x < 0.85 THEN other END,
                due_at => CASE WHEN x < 0.7 THEN lt.due() END,
                priority => (ARRAY['none', 'low', 'medium', 'high'])[1 + floor(random() * 4)::int],
                record_id => CASE WHEN x < 0.15 THEN $rec END,
                group_ids => CASE WHEN x >= 0.15 AND x < 0.45 THEN lt.some_groups() END);
        WHEN 'assign' THEN
            PERFORM actions.assign(coalesce(a, lt.pick('unassigned')), other);
        WHEN 'reassign' THEN
            PERFORM actions.reassign(coalesce(a, lt.pick('any')), other);
        WHEN 'start' THEN
            PERFORM actions.start(coalesce(a, lt.pick('mine')));
        WHEN 'complete' THEN
            a := coalesce(a, lt.pick('mine'));
            IF x < 0.5 THEN
                PERFORM actions.complete(a);
            ELSE
                PERFORM actions.complete(a, evidence => convert_to('evidence for ' || a, 'UTF8'),
                                         evidence_name => 'proof-' || a || '.txt', evidence_type => 'text/plain');
            END IF;
        WHEN 'uncomplete' THEN
            PERFORM actions.uncomplete(coalesce(a, lt.pick('complete')));
        WHEN 'cancel' THEN
            PERFORM actions.cancel(coalesce(a, lt.pick('any')), 'no longer needed');
        WHEN 'update' THEN
            a := coalesce(a, lt.pick('any'));
            IF x < 0.3 THEN
                PERFORM actions.update_action(a, title => 'renamed ' || substr(md5(random()::text), 1, 6));
            ELSIF x < 0.45 THEN
                PERFORM actions.update_action(a, priority => (ARRAY['none', 'low', 'medium', 'high'])[1 + floor(random() * 4)::int]);
            ELSIF x < 0.55 THEN
                PERFORM actions.update_action(a, description => 'edited under load');
            ELSIF x < 0.9 THEN
                PERFORM actions.update_action(a, due_at => lt.due());
            ELSE
                PERFORM actions.update_action(a, clear_due => true);
            END IF;
        WHEN 'add_note' THEN
            PERFORM actions.add_note(coalesce(a, lt.pick('any')), 'note ' || substr(md5(random()::text), 1, 8));
        WHEN 'edit_note' THEN
            PERFORM actions.edit_note(lt.pick_note(), 'edited ' || substr(md5(random()::text), 1, 8));
        WHEN 'delete_note' THEN
            PERFORM actions.delete_note(lt.pick_note());
        WHEN 'delete' THEN
            PERFORM actions.delete_action(coalesce(a, lt.pick('any')));
        WHEN 'groups' THEN
            PERFORM actions.set_action_groups(coalesce(a, lt.pick('any')), lt.some_groups());
        END CASE;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
        IF state IN ('42501', '55000', 'P0002', '22023', '40001', '40P01') THEN
            outcome := state;
        ELSE
            RAISE;
        END IF;
    END;
    INSERT INTO lt.calls (op, outcome) VALUES (op, outcome);
    RETURN outcome;
END
\$\$;
});

# --- the pgbench scripts ---------------------------------------------------------------------------

# name => [weight, steps]; a step is an op on a target it picks itself, or on the action the
# script picked first: '=op' one assigned to the acting person, '+op' one of the 4 newest.
my %scripts = (
    create      => [ 18, [qw(create)] ],
    assign      => [ 5,  [qw(assign)] ],
    reassign    => [ 9,  [qw(reassign)] ],
    start       => [ 5,  [qw(start)] ],
    complete    => [ 8,  [qw(complete)] ],
    work        => [ 7,  [qw(=start =add_note =complete)] ],
    uncomplete  => [ 5,  [qw(uncomplete)] ],
    cancel      => [ 3,  [qw(cancel)] ],
    update      => [ 10, [qw(update)] ],
    add_note    => [ 9,  [qw(add_note)] ],
    edit_note   => [ 5,  [qw(edit_note)] ],
    delete_note => [ 3,  [qw(delete_note)] ],
    delete      => [ 4,  [qw(delete)] ],
    groups      => [ 5,  [qw(groups)] ],
    pair        => [ 4,  [qw(reassign add_note)] ],
    hot_note    => [ 4,  [qw(+add_note)] ],
);
my $calls_per_tx = sum0(map { $_->[0] * @{ $_->[1] } } values %scripts) / sum0(map { $_->[0] } values %scripts);

# Script files for a lane: as the trusted service (act_as a random person) or as oneself.
sub script_files
{
    my ($dir, $act_as) = @_;
    mkdir $dir;
    my @opts;
    for my $name (sort keys %scripts)
    {
        my ($weight, $steps) = @{ $scripts{$name} };
        my $body = $act_as ? "\\set p random(1, 10)\nBEGIN;\nSELECT actions.act_as(:p);\n" : "BEGIN;\n";
        $body .= "SELECT lt.pick('mine') AS target \\gset\n" if grep { /^=/ } @$steps;
        $body .= "SELECT lt.pick('hot') AS target \\gset\n" if grep { /^\+/ } @$steps;
        for my $s (@$steps)
        {
            $body .= $s =~ /^[=+](.*)/ ? "SELECT lt.step('$1', :target);\n" : "SELECT lt.step('$s');\n";
        }
        $body .= "COMMIT;\n";
        PostgreSQL::Test::Utils::append_to_file("$dir/$name.sql", $body);
        push @opts, '-f', "$dir/$name.sql\@$weight";
    }
    return @opts;
}
my $base = $node->basedir;
my @svc_files = script_files("$base/scripts_svc", 1);
my @self_files = script_files("$base/scripts_self", 0);

# Three lanes, eight clients: six through the trusted service, a manager, an actions_access member.
# About 20,000 API calls in all (each transaction makes $calls_per_tx of them on average).
my $calls_target = $ENV{PG_ACTIONS_LOAD_CALLS} || 20_000;
# The time the load may take: 35 s for the 20,000 calls of `make test`, proportionally more for more.
my $load_limit = $calls_target <= 20_000 ? 35 : int($calls_target / 20_000 * 60);
my $tx_per_client = int($calls_target / $calls_per_tx / 8 + 0.5);
my @lanes = (
    { name => 'svc', user => 'svc', clients => 6, jobs => 2, files => \@svc_files },
    { name => 'p03', user => 'p03', clients => 1, jobs => 1, files => \@self_files },
    { name => 'p09', user => 'p09', clients => 1, jobs => 1, files => \@self_files },
);
note sprintf 'each client runs %d transactions of %.2f calls on average', $tx_per_client, $calls_per_tx;

# A lane whose client aborts on an unexpected error is started again for the transactions it
# still owes (at most 10 times), so that one bug does not end the rest of the load.
my (@pgbench_errors, @pgbench_runs, $load_started);
sub launch
{
    my ($lane, $tx) = @_;
    $lane->{out} = '';
    $lane->{err} = '';
    $lane->{tx} = $tx;
    $lane->{runs}++;
    my @cmd = ('pgbench', '-n', '-h', $node->host, '-p', $node->port, '-U', $lane->{user},
        '-c', $lane->{clients}, '-j', $lane->{jobs}, '-t', $tx, @{ $lane->{files} }, 'postgres');
    $lane->{h} = IPC::Run::start(\@cmd, '<', \undef, '>', \$lane->{out}, '2>', \$lane->{err});
}
sub lane_finished
{
    my ($lane) = @_;
    $lane->{h}->finish;
    my $code = $lane->{h}->result;
    $lane->{h} = undef;
    my ($done, $planned) = $lane->{out} =~ m{number of transactions actually processed: (\d+)/(\d+)};
    push @pgbench_runs, sprintf '%s run %d: exit %d, %s/%s transactions', $lane->{name}, $lane->{runs},
      $code, $done // '?', $planned // '?';
    return if $code == 0 && defined $done && $done == $planned;
    my @names = sort keys %scripts;    # pgbench numbers the -f scripts from 0, in this order
    push @pgbench_errors, "$lane->{name} run $lane->{runs} exited $code: $_"
      for map { s/script (\d+) aborted/script $1 ($names[$1]) aborted/r }
      grep { /error|abort|FATAL|ERROR|DETAIL|CONTEXT/ } split /\n/, $lane->{err};
    push @pgbench_errors, "$lane->{name} run $lane->{runs} exited $code with no message: $lane->{err}"
      unless grep { /^\Q$lane->{name} run $lane->{runs} / } @pgbench_errors;
    if (defined $done && $done < $planned && $lane->{runs} <= 10 && time - $load_started < $load_limit - 5)
    {
        launch($lane, int(($planned - $done) / $lane->{clients}) + 1);
    }
}

# --- the load, with the maintenance sweeps and the listener running alongside ----------------------

my $sweeper = $node->background_psql('postgres', on_error_stop => 0, timeout => 30);
$sweeper->set_query_timer_restart;
my (%sweeps, @sweep_failures);
my $last_maintenance = 0;
sub sweep
{
    my @fns = qw(mark_overdue notify_due_soon create_due_reviews);
    if (time - $last_maintenance >= 1)
    {
        push @fns, 'run_maintenance';
        $last_maintenance = time;
    }
    for my $fn (@fns)
    {
        my ($out, $failed) = $sweeper->query("SELECT actions.$fn()");
        my $err = $sweeper->{stderr};
        $sweeper->{stderr} = '';
        $sweeps{$fn}++;
        # run_maintenance() runs each task in a subtransaction and warns of one that failed.
        if (($failed && $err =~ /ERROR|FATAL|PANIC/) || $err =~ /maintenance task \S+ failed/)
        {
            push @sweep_failures, "$fn: $err";
        }
    }
}

my @payloads;
sub listen_poll
{
    my $out = $listener->query_safe('SELECT 1');
    push @payloads, $out =~
      /Asynchronous notification "pg_actions" with payload "(.*)" received from server process with PID \d+\./g;
}

$load_started = time;
launch($_, $tx_per_client) for @lanes;
my $timed_out = 0;
while (grep { $_->{h} } @lanes)
{
    sweep();
    listen_poll();
    for my $lane (grep { $_->{h} } @lanes)
    {
        $lane->{h}->pump_nb;
        lane_finished($lane) unless $lane->{h}->pumpable;
    }
    if (time - $load_started > $load_limit)
    {
        $timed_out = 1;
        for my $lane (grep { $_->{h} } @lanes)
        {
            $lane->{h}->kill_kill;
            push @pgbench_errors, "$lane->{name} killed after $load_limit s: " . substr($lane->{err}, 0, 2000);
            $lane->{h} = undef;
        }
    }
    usleep(5_000);
}
my $load_seconds = time - $load_started;
sweep();    # one more pass over what the load left behind

# Everything the listener will hear: whatever was committed before this marker.
$node->safe_psql('postgres', "NOTIFY pg_actions, 'end of load'");
for (1 .. 100)
{
    listen_poll();
    last if grep { $_ eq 'end of load' } @payloads;
    usleep(100_000);
}
my $marker_heard = grep { $_ eq 'end of load' } @payloads;
@payloads = grep { $_ ne 'end of load' } @payloads;

my %calls = map { my @f = split /\|/; ("$f[0] $f[1]" => $f[2]) } split /\n/,
  $node->safe_psql('postgres', 'SELECT op, outcome, count(*) FROM lt.calls GROUP BY 1, 2 ORDER BY 1, 2');
my $total_calls = sum0(values %calls);
note sprintf 'load: %.1f s, %d API calls through lt.step (%s)', $load_seconds, $total_calls,
  join ', ', map { "$_ $calls{$_}" } sort keys %calls;
note "pgbench: $_" for @pgbench_runs;
note sprintf 'sweeps: %s', join ', ', map { "$_ $sweeps{$_}" } sort keys %sweeps;

# --- what the run itself must show -------------------------------------------------------------

ok(!$timed_out, "the load finished within $load_limit seconds");
my %error_count;
$error_count{$_}++ for map { /((?:ERROR|FATAL|PANIC):.*)$/ ? $1 : () } @pgbench_errors;
is(scalar @pgbench_errors, 0, 'pgbench ran every client to the end with no unexpected error')
  or diag join "\n", (map { "$error_count{$_} x $_" } sort { $error_count{$b} <=> $error_count{$a} } keys %error_count),
  '--- pgbench said:', @pgbench_errors[ 0 .. ($#pgbench_errors < 29 ? $#pgbench_errors : 29) ],
  (@pgbench_errors > 30 ? ('... ' . (@pgbench_errors - 30) . ' more lines') : ());
cmp_ok($total_calls, '>=', 0.75 * $calls_target, sprintf('the load made at least %d API calls', 0.75 * $calls_target));
my @never_ok = grep { !$calls{"$_ ok"} }
  qw(create assign reassign start complete uncomplete cancel update add_note edit_note delete_note delete groups);
is("@never_ok", '', 'every kind of API call succeeded at least once');
my %sweep_error_count;
$sweep_error_count{ /^(\w+):.*?((?:ERROR|FATAL|PANIC):[^\n]*)/s ? "$1: $2" : $_ }++ for @sweep_failures;
is(scalar @sweep_failures, 0,
    sprintf('no maintenance sweep failed (%d sweeps ran)', sum0(values %sweeps)))
  or diag join "\n",
  (map { "$sweep_error_count{$_} x $_" } sort { $sweep_error_count{$b} <=> $sweep_error_count{$a} } keys %sweep_error_count),
  '--- the first failures in full:', @sweep_failures[ 0 .. ($#sweep_failures < 2 ? $#sweep_failures : 2) ];
cmp_ok($sweeps{mark_overdue} // 0, '>=', 20, 'the sweeps ran at least 20 times during the load');
ok($marker_heard, 'the listener heard the end-of-load marker');

# --- the invariants --------------------------------------------------------------------------------

sub rows
{
    my ($sql) = @_;
    return [ grep { $_ ne '' } split /\n/, $node->safe_psql('postgres', $sql) ];
}

# The log of one action, for a diagnostic.
sub log_of
{
    my ($action) = @_;
    return join "\n", map { "    $_" } @{ rows(qq{
        SELECT seq || ' ' || event || ' ' || coalesce(old_value, '-') || ' -> ' || coalesce(new_value, '-')
               || ' by ' || coalesce(actor_id::text, 'nobody') || ' at ' || at
          FROM actions.activity WHERE workspace_id = $ws AND action_id = $action ORDER BY seq}) };
}

my $broken = rows("SELECT action_id || ' seq ' || seq || ': ' || problem FROM actions.verify_log($ws)");
is(scalar @$broken, 0, 'verify_log() finds every chain intact') or diag "first broken link: $broken->[0]";

my $gaps = rows(qq{
    SELECT l.action_id || ': ' || l.n || ' entries, seq ' || l.lo || '..' || l.hi
           || ', head ' || coalesce(h.seq::text, 'missing')
      FROM (SELECT action_id, count(*) AS n, min(seq) AS lo, max(seq) AS hi
              FROM actions.activity WHERE workspace_id = $ws GROUP BY action_id) l
      LEFT JOIN actions.activity_head h ON h.workspace_id = $ws AND h.action_id = l.action_id
     WHERE l.lo <> 1 OR l.n <> l.hi OR h.seq IS DISTINCT FROM l.hi
     ORDER BY l.action_id});
my $heads_without_log = rows(qq{
    SELECT h.action_id FROM actions.activity_head h
     WHERE h.workspace_id = $ws
       AND NOT EXISTS (SELECT FROM actions.activity l WHERE l.workspace_id = h.workspace_id AND l.action_id = h.action_id)});
is(scalar @$gaps + scalar @$heads_without_log, 0,
    'every chain is gapless: seq runs 1..max(seq) and max(seq) is the head\'s seq')
  or diag sprintf "%d chains with a gap or a wrong head; first: %s\n%s", scalar @$gaps, $gaps->[0] // "head without log: $heads_without_log->[0]",
  $gaps->[0] ? log_of($gaps->[0] =~ /^(\d+)/) : '';

# Replay each chain: the newest entry of each kind says what the row must hold now.
my $replay_sql = qq{
    WITH log AS (SELECT * FROM actions.activity WHERE workspace_id = $ws),
    st AS (SELECT DISTINCT ON (action_id) action_id, new_value AS status FROM log
            WHERE event IN ('status_changed', 'started', 'completed', 'uncompleted', 'cancelled',
                            'overdue', 'no_longer_overdue')
            ORDER BY action_id, seq DESC),
    asg AS (SELECT DISTINCT ON (action_id) action_id, new_value AS assignee FROM log
             WHERE event IN ('assigned', 'reassigned', 'unassigned') ORDER BY action_id, seq DESC),
    ttl AS (SELECT DISTINCT ON (action_id) action_id, new_value AS title FROM log
             WHERE event IN ('created', 'title_changed') ORDER BY action_id, seq DESC),
    grp AS (SELECT DISTINCT ON (action_id) action_id,
                   CASE WHEN event = 'created' THEN coalesce(detail->>'group_ids', '{}') ELSE new_value END AS groups
              FROM log WHERE event IN ('created', 'groups_changed') ORDER BY action_id, seq DESC),
    due AS (SELECT DISTINCT ON (action_id) action_id, new_value AS due FROM log
             WHERE event = 'due_changed' ORDER BY action_id, seq DESC),
    cmp AS (
        SELECT a.action_id,
               a.status, coalesce(st.status, 'to_do') AS log_status,
               a.assignee_id::text AS assignee, asg.assignee AS log_assignee,
               a.title, ttl.title AS log_title,
               ARRAY(SELECT unnest(a.group_ids) ORDER BY 1)::text AS groups,
               ARRAY(SELECT unnest(grp.groups::bigint[]) ORDER BY 1)::text AS log_groups,
               a.due_at, due.action_id IS NOT NULL AS due_logged, due.due::timestamptz AS log_due
          FROM actions.action a
          LEFT JOIN st USING (action_id) LEFT JOIN asg USING (action_id) LEFT JOIN ttl USING (action_id)
          LEFT JOIN grp USING (action_id) LEFT JOIN due USING (action_id)
         WHERE a.workspace_id = $ws)
    SELECT action_id || ': ' || concat_ws('; ',
               CASE WHEN status IS DISTINCT FROM log_status THEN 'status ' || status || ', log says ' || log_status END,
               CASE WHEN assignee IS DISTINCT FROM log_assignee
                    THEN 'assignee ' || coalesce(assignee, 'none') || ', log says ' || coalesce(log_assignee, 'none') END,
               CASE WHEN title IS DISTINCT FROM log_title
                    THEN 'title ' || quote_nullable(title) || ', log says ' || quote_nullable(log_title) END,
               CASE WHEN groups IS DISTINCT FROM log_groups THEN 'groups ' || groups || ', log says ' || coalesce(log_groups, 'nothing') END,
               CASE WHEN due_logged AND due_at IS DISTINCT FROM log_due
                    THEN 'due ' || coalesce(due_at::text, 'none') || ', log says ' || coalesce(log_due::text, 'none') END)
      FROM cmp
     WHERE status IS DISTINCT FROM log_status OR assignee IS DISTINCT FROM log_assignee
        OR title IS DISTINCT FROM log_title OR groups IS DISTINCT FROM log_groups
        OR (due_logged AND due_at IS DISTINCT FROM log_due)
     ORDER BY action_id};
my $mismatches = rows($replay_sql);
my $surviving = $node->safe_psql('postgres', "SELECT count(*) FROM actions.action WHERE workspace_id = $ws");
is(scalar @$mismatches, 0, "every one of the $surviving surviving actions equals what its log replays to")
  or diag sprintf "%d actions differ from their log; first: %s\n%s", scalar @$mismatches, $mismatches->[0],
  log_of($mismatches->[0] =~ /^(\d+)/);

my $deleted_but_alive = rows(qq{
    SELECT l.action_id || ' seq ' || l.seq FROM actions.activity l
      JOIN actions.action a ON a.workspace_id = l.workspace_id AND a.action_id = l.action_id
     WHERE l.workspace_id = $ws AND l.event = 'deleted' ORDER BY 1});
is(scalar @$deleted_but_alive, 0, 'no surviving action has a deleted entry in its log')
  or diag "first: $deleted_but_alive->[0]";

my $deleted = $node->safe_psql('postgres', qq{
    SELECT count(DISTINCT l.action_id) FROM actions.activity l
     WHERE l.workspace_id = $ws
       AND NOT EXISTS (SELECT FROM actions.action a WHERE a.workspace_id = l.workspace_id AND a.action_id = l.action_id)});
my $deleted_bad_tail = rows(qq{
    SELECT t.action_id || ': last entry seq ' || t.seq || ' is ' || t.event
      FROM (SELECT DISTINCT ON (action_id) action_id, seq, event FROM actions.activity
             WHERE workspace_id = $ws ORDER BY action_id, seq DESC) t
     WHERE NOT EXISTS (SELECT FROM actions.action a WHERE a.workspace_id = $ws AND a.action_id = t.action_id)
       AND t.event <> 'deleted'
     ORDER BY t.action_id});
cmp_ok($deleted, '>', 0, 'the load deleted actions');
is(scalar @$deleted_bad_tail, 0, "the log of every one of the $deleted deleted actions ends with its deleted entry")
  or diag sprintf "%d deleted actions whose log goes on after (or lacks) the deleted entry; first: %s\n%s",
  scalar @$deleted_bad_tail, $deleted_bad_tail->[0], log_of($deleted_bad_tail->[0] =~ /^(\d+)/);

# Reminders: once per action, kind and due date (actions.reminder's key). remind() writes the
# reminder row and the notification in one transaction, so reminder.sent_at equals
# notification.created_at (and both rows have the same xmin): that pairs each due_soon/overdue
# notification with the due date it was about.
my $reminders = $node->safe_psql('postgres',
    "SELECT count(*) FROM actions.notification WHERE workspace_id = $ws AND kind IN ('due_soon', 'overdue')");
cmp_ok($reminders, '>', 0, 'the load sent due_soon and overdue reminders');
my $twice = rows(qq{
    SELECT n.kind || ' for action ' || n.action_id || ' due ' || coalesce(r.due_at::text, '(no reminder row)')
           || ': notifications ' || string_agg(DISTINCT n.notification_id::text, ', ')
           || ' to persons ' || string_agg(DISTINCT n.person_id::text, ', ')
      FROM actions.notification n
      JOIN actions.action a ON a.workspace_id = n.workspace_id AND a.action_id = n.action_id
      LEFT JOIN actions.reminder r ON r.workspace_id = n.workspace_id AND r.action_id = n.action_id
                                  AND r.kind = n.kind AND (r.sent_at = n.created_at OR r.xmin = n.xmin)
     WHERE n.workspace_id = $ws AND n.kind IN ('due_soon', 'overdue')
     GROUP BY n.kind, n.action_id, r.due_at
    HAVING count(DISTINCT n.notification_id) > 1 OR r.due_at IS NULL
     ORDER BY n.action_id});
is(scalar @$twice, 0, 'no surviving action got a due_soon or overdue reminder twice for one due date')
  or diag sprintf "%d cases; first: %s\n%s", scalar @$twice, $twice->[0], log_of($twice->[0] =~ /action (\d+)/);
# A deleted action's reminder rows went with it: it may have had at most one reminder of a kind
# per due date it ever had (its first one and one per due_changed entry).
my $twice_deleted = rows(qq{
    SELECT n.kind || ' for deleted action ' || n.action_id || ': ' || count(*) || ' notifications, '
           || max(d.dues) || ' due dates in its log'
      FROM actions.notification n
      JOIN LATERAL (SELECT 1 + count(*) FILTER (WHERE l.event = 'due_changed') AS dues
                      FROM actions.activity l WHERE l.workspace_id = n.workspace_id AND l.action_id = n.action_id) d ON true
     WHERE n.workspace_id = $ws AND n.kind IN ('due_soon', 'overdue')
       AND NOT EXISTS (SELECT FROM actions.action a WHERE a.workspace_id = n.workspace_id AND a.action_id = n.action_id)
     GROUP BY n.kind, n.action_id
    HAVING count(*) > max(d.dues)
     ORDER BY n.action_id});
is(scalar @$twice_deleted, 0, 'no deleted action got more reminders of a kind than it had due dates')
  or diag sprintf "%d cases; first: %s\n%s", scalar @$twice_deleted, $twice_deleted->[0],
  log_of($twice_deleted->[0] =~ /action (\d+)/);

# The listener: every payload once, and exactly the stored notifications.
my (%seen, @dup_payloads);
for my $p (@payloads)
{
    push @dup_payloads, $p if $seen{$p}++ == 1;
}
is(scalar @dup_payloads, 0, sprintf('the listener received no payload twice (%d payloads)', scalar @payloads))
  or diag "first repeated payload: $dup_payloads[0]";
my %stored = map { my @f = split /\|/; ($f[0] => "$f[1] $f[2] $f[3] $f[4]") } @{ rows(
    "SELECT notification_id, workspace_id, person_id, kind, action_id FROM actions.notification ORDER BY 1") };
my (%heard, @bad_payloads);
for my $p (@payloads)
{
    # The payload is the notification's id and nothing else: every role may listen.
    if ($p !~ /^\d+$/) { push @bad_payloads, "not a bare notification id: $p"; next; }
    $heard{$p}++;
    push @bad_payloads, "payload $p names no stored notification" unless defined $stored{$p};
}
my @unheard = grep { !$heard{$_} } sort { $a <=> $b } keys %stored;
is(scalar @bad_payloads, 0, 'every payload is the id of a stored notification, and nothing else')
  or diag sprintf "%d payloads; first: %s", scalar @bad_payloads, $bad_payloads[0];
is(scalar @unheard, 0, sprintf('the listener heard every one of the %d stored notifications', scalar keys %stored))
  or diag sprintf "%d not heard, e.g. notification_id %s", scalar @unheard, join ', ', @unheard[ 0 .. ($#unheard < 9 ? $#unheard : 9) ];

# The figures the soak prints (invariant breaks: the failed tests of this file).
my $deadlocks = sum0(map { /^\S+ 40P01$/ ? $calls{$_} : () } keys %calls);
note sprintf 'mixed load: %d API calls in %.0f s, %d sweeps, %d sweep failures, %d deadlocks in API calls, '
  . '%d duplicate notifications, %d invariant breaks', $total_calls, $load_seconds, sum0(values %sweeps),
  scalar @sweep_failures, $deadlocks, @$twice + @$twice_deleted + @dup_payloads,
  scalar grep { !$_->{ok} } Test::More->builder->details;

$sweeper->quit;
$listener->quit;
$node->stop;
note sprintf 'test ran %.1f s', time - $started;
done_testing();
