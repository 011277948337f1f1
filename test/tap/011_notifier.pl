# contrib/notifier against a local SMTP server (aiosmtpd) and a local HTTP receiver, on 127.0.0.1
# only (test/tap/notifier_receivers.py), with the notifier's own role (contrib/notifier/grant.sql).
# The worker is killed with SIGKILL in the middle of the outbox, between two items, then two
# workers are started at once: every notification is delivered once on each channel, none twice,
# every webhook carries a valid HMAC signature, the webhook's refusals are retried, and the
# notifications of a person who opted out after they were created are skipped, not sent.
use strict;
use warnings;
use FindBin;
use POSIX ();
use Time::HiRes qw(usleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $python = $ENV{PG_ACTIONS_PYTHON} || '/usr/bin/python3';
plan skip_all => "$python has no psycopg 3 (Debian: python3-psycopg)"
  unless system($python, '-c', 'import psycopg') == 0;
plan skip_all => "$python has no aiosmtpd (Debian: python3-aiosmtpd)"
  unless system($python, '-c', 'import aiosmtpd') == 0;

$ENV{PGUSER} = 'postgres';
my $top = "$FindBin::RealBin/../..";
my $bob_count = 24;      # notifications for Bob, each on two channels
my $fail_first = 2;      # webhook requests answered 500 before the receiver accepts
my $kill_after = 10;     # deliveries the first worker commits before it is killed

my $node = PostgreSQL::Test::Cluster->new('notifier');
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE pg_actions');
$node->safe_psql('pg_actions', 'CREATE EXTENSION pg_actions');
$node->safe_psql('pg_actions', 'CREATE ROLE notifier_bot LOGIN');
my $host = $node->host;
my $port = $node->port;
system_or_bail('psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'role=notifier_bot', '-h', $host, '-p', $port,
    '-U', 'postgres', '-d', 'pg_actions', '-f', "$top/contrib/notifier/grant.sql");

my $dir = PostgreSQL::Test::Utils::tempdir('notifier');
PostgreSQL::Test::Utils::append_to_file("$dir/secret", "test-hmac-secret\n");
my $received = "$dir/received.jsonl";
my @pids;
END { kill 'KILL', @pids if @pids; }

sub spawn
{
    my ($out, @cmd) = @_;
    my $pid = fork // BAIL_OUT("fork: $!");
    if ($pid == 0)
    {
        open STDOUT, '>>', $out or POSIX::_exit(1);
        open STDERR, '>&', \*STDOUT or POSIX::_exit(1);
        exec @cmd or POSIX::_exit(1);
    }
    push @pids, $pid;
    return $pid;
}

sub wait_for
{
    my ($what, $cond) = @_;
    for (1 .. 600) { return 1 if $cond->(); usleep(100_000); }
    diag("gave up after 60 s waiting for $what");
    return 0;
}

sub lines { my $f = shift; return -f $f ? split(/\n/, slurp_file($f)) : (); }

# The receivers.
spawn("$dir/receivers.log", $python, "$FindBin::RealBin/notifier_receivers.py", $received, "$dir/ready",
    "$dir/secret", $fail_first);
ok(wait_for('the receivers', sub { -f "$dir/ready" }), 'the SMTP server and the webhook receiver listen')
  or BAIL_OUT(slurp_file("$dir/receivers.log"));
my ($smtp_port, $http_port) = split ' ', slurp_file("$dir/ready");

# The channels are opened before the notifications exist (a notification is queued when created).
$node->safe_psql('pg_actions', q{SELECT actions.open_delivery_channel('email'), actions.open_delivery_channel('webhook')});
my $ids = $node->safe_psql('pg_actions', <<"SQL");
CREATE ROLE nt_owner LOGIN;
CREATE ROLE nt_carol LOGIN;
SELECT actions.create_person('nt-owner\@example.com', 'Owner', 'nt_owner') AS owner \\gset
SELECT actions.create_person('nt-bob\@example.com', 'Bob') AS bob \\gset
SELECT actions.create_person('nt-carol\@example.com', 'Carol', 'nt_carol') AS carol \\gset
SELECT actions.create_workspace('Notify Co', owner_id => :owner) AS ws \\gset
SELECT actions.add_member(:ws, :bob, 'user'), actions.add_member(:ws, :carol, 'user') \\g /dev/null
SET SESSION AUTHORIZATION nt_owner;
SELECT actions.create_action(:ws, 'Task ' || i, assignee_id => :bob) FROM generate_series(1, $bob_count) i \\g /dev/null
SELECT actions.create_action(:ws, 'For Carol ' || i, assignee_id => :carol) FROM generate_series(1, 3) i \\g /dev/null
RESET SESSION AUTHORIZATION;
SELECT :bob || ' ' || :carol || ' ' || :ws;
SQL
my ($bob, $carol, $ws) = split ' ', (split /\n/, $ids)[-1];
is($node->safe_psql('pg_actions', 'SELECT count(*) FROM actions.notification_delivery'), 2 * ($bob_count + 3),
    'every notification is queued on both channels');
# Carol opts out of assigned after her notifications were created: they are not sent.
$node->safe_psql('pg_actions', "SET SESSION AUTHORIZATION nt_carol; SELECT actions.opt_out($ws, 'assigned')");

my $dsn = "host=$host port=$port dbname=pg_actions user=notifier_bot";
my @worker = ($python, "$top/contrib/notifier/pg_actions_notifier.py", '--dsn', $dsn,
    '--smtp-host', '127.0.0.1', '--smtp-port', $smtp_port,
    '--webhook-url', "http://127.0.0.1:$http_port/hook", '--webhook-secret-file', "$dir/secret",
    '--retry-base', '0.2', '--poll', '0.2', '--timeout', '10');

# 1. A worker pausing after each committed item is killed (SIGKILL) after $kill_after of them.
my $first = spawn("$dir/worker1.log", @worker, '--pause-after-each', '1');
ok(wait_for("$kill_after deliveries", sub { (grep { /^\S+ delivered / } lines("$dir/worker1.log")) >= $kill_after }),
    "the first worker delivered $kill_after items") or diag(slurp_file("$dir/worker1.log"));
kill 'KILL', $first;
waitpid($first, 0);
is($? & 127, 9, 'the first worker died of SIGKILL');
my $before = grep { /^\S+ delivered / } lines("$dir/worker1.log");
my $left = $node->safe_psql('pg_actions', q{SELECT count(*) FROM actions.notification_delivery WHERE state = 'pending'});
cmp_ok($left, '>', 0, "it was killed mid-batch: $left deliveries still pending");

# 2. Two workers at once finish the outbox: SKIP LOCKED gives each delivery to one of them.
my @second = map { spawn("$dir/worker2-$_.log", @worker) } 1 .. 2;
ok(wait_for('an empty outbox', sub {
    $node->safe_psql('pg_actions', q{SELECT count(*) FROM actions.notification_delivery WHERE state = 'pending'}) == 0 }),
    'the restarted workers empty the outbox');
kill 'TERM', @second;
waitpid($_, 0) for @second;
my $after = grep { /^\S+ delivered / } map { lines("$dir/worker2-$_.log") } 1 .. 2;

# What the receivers got: one message per notification and channel.
my %got;
my $unsigned = 0;
for my $line (lines($received))
{
    my ($channel) = $line =~ /"channel": "(\w+)"/;
    my ($key) = $line =~ /"key": "([^"]+)"/;
    $got{$key}++;
    $unsigned++ if $channel eq 'webhook' && $line !~ /"signed": true/;
}
my @bob_ids = split /\n/, $node->safe_psql('pg_actions',
    "SELECT notification_id FROM actions.notification WHERE person_id = $bob ORDER BY 1");
is(scalar @bob_ids, $bob_count, "$bob_count notifications for Bob");
my @missing = grep { !$got{$_} } map { my $n = $_; map { "pg-actions-$ws-$n-$_" } qw(email webhook) } @bob_ids;
my @twice = grep { $got{$_} > 1 } sort keys %got;
is_deeply(\@missing, [], 'every notification of Bob was delivered on both channels');
is_deeply(\@twice, [], 'none was delivered twice');
is(scalar keys %got, 2 * $bob_count, 'and nothing else was delivered');
is($unsigned, 0, 'every webhook request carried a valid HMAC-SHA256 signature');
is($node->safe_psql('pg_actions',
    "SELECT string_agg(DISTINCT d.state, ',') FROM actions.notification_delivery d JOIN actions.notification n USING (workspace_id, notification_id) WHERE n.person_id = $carol"),
    'skipped', 'Carol opted out after her notifications were created: they were skipped, not sent');
is($node->safe_psql('pg_actions',
    q{SELECT count(*) || ' ' || sum(attempts) FROM actions.notification_delivery WHERE channel = 'webhook' AND attempts > 1}),
    "$fail_first " . 2 * $fail_first, "the $fail_first webhook refusals were retried (backoff), each delivered on its second attempt");
is($node->safe_psql('pg_actions', q{SELECT count(*) FROM actions.notification_delivery WHERE state = 'delivered' AND delivered_at IS NOT NULL}),
    2 * $bob_count, 'the database holds every delivery as delivered');
is($before + $after, 2 * $bob_count, "the workers' own logs: $before delivered before the kill, $after after the restart");
diag("kill-restart: $before delivered before SIGKILL, $left pending at the kill, $after delivered by two restarted workers; "
  . (scalar keys %got) . ' distinct deliveries received, ' . scalar(@twice) . ' received twice');

done_testing();
