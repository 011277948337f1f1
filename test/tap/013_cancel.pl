# Long calls end when asked to. The longest pure-C++ work of pg_actions (expanding a recurrence
# rule, working-time arithmetic over the years 1 to 9999) checks PostgreSQL's interrupts, so
# statement_timeout = 1s and pg_cancel_backend() end it within 2 s, with SQLSTATE 57014, and the
# session goes on working. schedule_maintenance() reaches pg_cron's database over libpq without
# ever blocking: a server that holds pg_cron's table locked, or a postmaster that does not answer,
# ends the call after 10 s with an error, and a cancel or a statement_timeout ends it at once.
use strict;
use warnings;
use Time::HiRes qw(time usleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('cancel');
$node->init(extra => [ '-U', 'postgres' ]);
$node->append_conf('postgresql.conf', qq{
listen_addresses = ''
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.host = '@{[ $node->host ]}'
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_cron; CREATE DATABASE other;');
$node->safe_psql('other', q{CREATE EXTENSION pg_actions; CREATE ROLE owner LOGIN;});
my $owner = $node->safe_psql('other', q{SELECT actions.create_person('owner@example.com', 'Owner', 'owner')});
my $ws = $node->safe_psql('other', "SELECT actions.create_workspace('Cancel', 'UTC', owner_id => $owner)");
my $tpl = $node->safe_psql('other', "SELECT actions.create_template($ws, 'Check', 'Check')",
    extra_params => [ '-U', 'owner' ]);
# 720 working periods a day: every working-time sum visits each of them on each of 3.6 million days
# (the years 1 to 9999, the calendar functions' range); about 13 s on the 2-core development machine
# of 2026-12-07 (144 periods, as before, took about 2.6 s there: under the 3 s below).
my $cal = $node->safe_psql('other', qq{
    SELECT actions.create_calendar($ws, 'Busy', working_hours =>
        (SELECT string_agg(format('%s-%s', to_char(t, 'HH24:MI'), to_char(t + interval '1 minute', 'HH24:MI')), ', ')
           FROM generate_series(timestamp '2000-01-01', '2000-01-01 23:58', interval '2 minutes') t))},
    extra_params => [ '-U', 'owner' ]);

# The long calls, each one statement of C++ work with no query inside its loops.
my %long = (
    'create_schedule (recurrence expansion)' => qq{SELECT actions.create_schedule($ws, $tpl,
        'FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;'
        || 'BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55;COUNT=100000000', '2000-01-01 00:00')},
    'working_time_between (calendar arithmetic)' =>
      qq{SELECT actions.working_time_between('0001-01-02', '9999-12-30', calendar_id => $cal)},
    'add_working_time (calendar arithmetic)' =>
      # 12 working hours on each weekday: the answer would fall after the year 9999, so the call,
      # unless ended, walks the whole range before it fails with 22008.
      qq{SELECT actions.add_working_time('0001-01-02', interval '40000000 hours', calendar_id => $cal)},
);

# Runs $sql in a fresh session as owner with psql's \timing; returns (milliseconds, stderr).
sub timed
{
    my ($db, $sql, $user) = @_;
    my ($ret, $out, $err) = $node->psql($db, "\\timing on\n$sql",
        extra_params => [ '-U', $user // 'owner', '-v', 'VERBOSITY=verbose' ]);
    # The last statement's time: psql prints one for a failed statement too.
    my @times = $out =~ /Time: ([\d.]+) ms/g;
    return (@times ? $times[-1] : -1, $err);
}

for my $name (sort keys %long)
{
    # Not a short call: a limit of 3 s still ends it.
    my ($ms, $err) = timed('other', "SET statement_timeout = '3s';\n$long{$name};");
    like($err, qr/ERROR:\s+57014: canceling statement due to statement timeout/,
        "$name runs longer than 3 s (statement_timeout = 3s ends it)");
    ($ms, $err) = timed('other', "SET statement_timeout = '1s';\n$long{$name};");
    like($err, qr/ERROR:\s+57014: canceling statement due to statement timeout/,
        "$name: statement_timeout = 1s ends it with 57014");
    ok($ms > 0 && $ms < 2000, "$name: ... within 2 s (took $ms ms)");
    note("$name with statement_timeout = 1s: $ms ms");
}

# pg_cancel_backend() from another session, and the session goes on.
sub cancel_in_session
{
    my ($db, $sql, $name) = @_;
    my $session = $node->background_psql($db, on_error_stop => 0, extra_params => [ '-U', 'owner' ]);
    $session->query_safe('\set VERBOSITY verbose');
    my $pid = $session->query_safe('SELECT pg_backend_pid()');
    $session->{stdin} .= "$sql;\n\\echo done\n";
    $session->{run}->pump_nb;
    # Running for a second before the cancel.
    my $active = 0;
    for (1 .. 100)
    {
        $active = $node->safe_psql('postgres',
            "SELECT now() - query_start > interval '1 second' FROM pg_stat_activity WHERE pid = $pid AND state = 'active'");
        last if $active eq 't';
        usleep(100_000);
    }
    is($active, 't', "$name is running");
    my $start = time;
    $node->safe_psql('postgres', "SELECT pg_cancel_backend($pid)");
    $session->query_until(qr/done/, '');
    my $elapsed = time - $start;
    like($session->{stderr}, qr/ERROR:\s+57014: canceling statement due to user request/,
        "$name: pg_cancel_backend() ends it with 57014");
    ok($elapsed < 2, sprintf("$name: ... within 2 s (%.0f ms)", $elapsed * 1000));
    note(sprintf("$name cancelled in %.0f ms", $elapsed * 1000));
    $session->{stderr} = '';
    return $session;
}

for my $name (sort keys %long)
{
    my $session = cancel_in_session('other', $long{$name}, $name);
    is($session->query_safe(
            "SELECT actions.working_time_between('2026-06-01', '2026-06-02', calendar_id => $cal)"),
        '12:00:00', "$name: the session computes again after the cancel");
    $session->quit;
}
is($node->safe_psql('other', 'SELECT count(*) FROM actions.schedule'), '0', 'no cancelled schedule was created');

# schedule_maintenance() from a database without pg_cron, while another session holds pg_cron's
# job table locked in pg_cron's database: the statement there waits.
my $locker = $node->background_psql('postgres');
$locker->query_safe('BEGIN; LOCK TABLE cron.job IN ACCESS EXCLUSIVE MODE;');

my ($ms, $err) = timed('other', 'SELECT actions.schedule_maintenance();', 'postgres');
like($err, qr/ERROR:\s+08006: database "postgres", where pg_cron keeps its jobs, did not answer within 10 s/,
    'a locked pg_cron table: schedule_maintenance() gives up with 08006');
like($err, qr/HINT:\s+another session may hold a lock on pg_cron's tables there/, '... with a hint');
ok($ms >= 9500 && $ms < 12000, "... after 10 s ($ms ms)");
note("schedule_maintenance against a locked cron.job: $ms ms");

($ms, $err) = timed('other', "SET statement_timeout = '1s';\nSELECT actions.schedule_maintenance();", 'postgres');
like($err, qr/ERROR:\s+57014: canceling statement due to statement timeout/,
    'statement_timeout = 1s ends a schedule_maintenance() that waits for pg_cron\'s database');
ok($ms > 0 && $ms < 2000, "... within 2 s ($ms ms)");
note("schedule_maintenance with statement_timeout = 1s: $ms ms");

my $admin = $node->background_psql('other', on_error_stop => 0);
$admin->query_safe('\set VERBOSITY verbose');
my $pid = $admin->query_safe('SELECT pg_backend_pid()');
$admin->{stdin} .= "SELECT actions.schedule_maintenance();\n\\echo done\n";
$admin->{run}->pump_nb;
my $waiting = 0;
for (1 .. 100)
{
    $waiting = $node->safe_psql('postgres',
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'postgres' AND application_name = 'pg_actions' AND wait_event_type = 'Lock'");
    last if $waiting > 0;
    usleep(100_000);
}
is($waiting, '1', 'the statement in pg_cron\'s database waits for the lock');
my $start = time;
$node->safe_psql('postgres', "SELECT pg_cancel_backend($pid)");
$admin->query_until(qr/done/, '');
my $elapsed = time - $start;
like($admin->{stderr}, qr/ERROR:\s+57014: canceling statement due to user request/,
    'pg_cancel_backend() ends the wait with 57014');
ok($elapsed < 2, sprintf('... within 2 s (%.0f ms)', $elapsed * 1000));
note(sprintf('schedule_maintenance cancelled in %.0f ms', $elapsed * 1000));
$admin->{stderr} = '';

# The abandoned statements there end by themselves (the connection is gone), before the lock goes.
my $left = 1;
for (1 .. 50)
{
    $left = $node->safe_psql('postgres',
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'postgres' AND application_name = 'pg_actions'");
    last if $left == 0;
    usleep(100_000);
}
is($left, '0', 'no abandoned statement is left waiting in pg_cron\'s database');
$locker->query_safe('COMMIT');
is($node->safe_psql('postgres', 'SELECT count(*) FROM cron.job'), '0', '... so none scheduled a job');
like($admin->query_safe('SELECT actions.schedule_maintenance()'), qr/^\d+$/,
    'once the lock is gone, the same session schedules the job');

# A postmaster that does not answer: connecting waits in the listen queue. Sessions opened before.
my $canceller = $node->background_psql('postgres');
$admin->query_safe('SELECT actions.unschedule_maintenance()');
my $postmaster = $node->{_pid};
kill 'STOP', $postmaster;
$admin->{stdin} .= "SELECT actions.schedule_maintenance();\n\\echo done\n";
$admin->{run}->pump_nb;
usleep(1_000_000);
$start = time;
$canceller->query_safe("SELECT pg_cancel_backend($pid)");
$admin->query_until(qr/done/, '');
$elapsed = time - $start;
like($admin->{stderr}, qr/ERROR:\s+57014: canceling statement due to user request/,
    'a postmaster that does not answer: pg_cancel_backend() ends the connecting with 57014');
ok($elapsed < 2, sprintf('... within 2 s (%.0f ms)', $elapsed * 1000));
note(sprintf('schedule_maintenance to a stopped postmaster cancelled in %.0f ms', $elapsed * 1000));
$admin->{stderr} = '';
$start = time;
my $out = $admin->query("SELECT actions.schedule_maintenance()");
$elapsed = time - $start;
like($admin->{stderr}, qr/ERROR:\s+08001: could not connect to database "postgres", where pg_cron keeps its jobs, within 10 s/,
    'without a cancel, connecting gives up with 08001');
ok($elapsed >= 9.5 && $elapsed < 12, sprintf('... after 10 s (%.0f ms)', $elapsed * 1000));
note(sprintf('schedule_maintenance to a stopped postmaster: %.0f ms', $elapsed * 1000));
kill 'CONT', $postmaster;
$admin->{stderr} = '';
is($admin->query_safe('SELECT 1'), '1', 'the session goes on');
like($admin->query_safe('SELECT actions.schedule_maintenance()'), qr/^\d+$/,
    'with the postmaster back, the job is scheduled');
$admin->quit;
$canceller->quit;
$locker->quit;
$node->stop;

done_testing();
