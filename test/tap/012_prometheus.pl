# contrib/prometheus with the real postgres_exporter (Debian: prometheus-postgres-exporter): the
# exporter runs as the monitoring role of contrib/prometheus/grant.sql, over the node's Unix
# socket, listening on 127.0.0.1 only; /metrics is scraped (a bounded number of requests) and every
# metric of queries.yaml, each label set and value, is compared with the same query run directly
# as that role. Then promtool (Debian: prometheus) checks alerts.yaml and runs its unit tests.
use strict;
use warnings;
use FindBin;
use HTTP::Tiny;
use POSIX ();
use Time::HiRes qw(usleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $exporter = $ENV{PG_ACTIONS_PG_EXPORTER} || '/usr/bin/prometheus-postgres-exporter';
my $promtool = $ENV{PG_ACTIONS_PROMTOOL} || '/usr/bin/promtool';
plan skip_all => "$exporter is not installed (Debian: prometheus-postgres-exporter)" unless -x $exporter;
plan skip_all => "$promtool is not installed (Debian: prometheus)" unless -x $promtool;

$ENV{PGUSER} = 'postgres';
my $contrib = "$FindBin::RealBin/../../contrib/prometheus";

# 1. promtool: the rules parse, and their unit tests pass; a broken rule is refused.
my $dir = PostgreSQL::Test::Utils::tempdir('prometheus');
my ($out, $err) = run_command([ $promtool, 'check', 'rules', "$contrib/alerts.yaml" ]);
like($out, qr/SUCCESS: \d+ rules found/, 'promtool check rules alerts.yaml') or diag("$out\n$err");
($out, $err) = run_command([ $promtool, 'test', 'rules', "$contrib/alerts_test.yaml" ]);
like($out, qr/SUCCESS/, 'promtool test rules alerts_test.yaml: every alert fires when expected') or diag("$out\n$err");
PostgreSQL::Test::Utils::append_to_file("$dir/broken.yaml",
    "groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: pg_actions_outbox_pending >\n");
isnt(system("$promtool check rules $dir/broken.yaml >/dev/null 2>&1"), 0, 'promtool refuses a broken rule');

# 2. A database with something to count.
my $node = PostgreSQL::Test::Cluster->new('prometheus');
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;
my ($host, $port) = ($node->host, $node->port);
$node->safe_psql('postgres', 'CREATE DATABASE pg_actions');
$node->safe_psql('pg_actions', 'CREATE EXTENSION pg_actions');
$node->safe_psql('pg_actions', 'CREATE ROLE actions_monitor LOGIN IN ROLE pg_monitor');
system_or_bail('psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'role=actions_monitor', '-h', $host, '-p', $port,
    '-U', 'postgres', '-d', 'pg_actions', '-f', "$contrib/grant.sql");
$node->safe_psql('pg_actions', <<'SQL');
CREATE ROLE pm_owner LOGIN;
SELECT actions.create_person('pm-owner@example.com', 'Owner', 'pm_owner') AS owner \gset
SELECT actions.create_person('pm-bob@example.com', 'Bob') AS bob \gset
SELECT actions.create_workspace('Busy', owner_id => :owner) AS busy \gset
SELECT actions.create_workspace('Idle', owner_id => :owner) AS idle \gset
SELECT actions.add_member(:busy, :bob, 'user') \g /dev/null
SET SESSION AUTHORIZATION pm_owner;
SELECT actions.create_action(:busy, 'Due soon', assignee_id => :bob, due_at => now() + interval '2 hours') \g /dev/null
SELECT actions.create_action(:busy, 'Someday') \g /dev/null
SELECT actions.create_action(:busy, 'Late', assignee_id => :bob, due_at => now() - interval '3 days') \g /dev/null
SELECT actions.start(actions.create_action(:busy, 'Started', due_at => now() - interval '1 hour')) \g /dev/null
SELECT actions.complete(actions.create_action(:busy, 'Done')) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT count(*) FROM actions.run_maintenance() \g /dev/null
SELECT actions.open_delivery_channel('email') \g /dev/null
SET SESSION AUTHORIZATION pm_owner;
SELECT actions.create_action(:busy, 'After the seal', assignee_id => :bob) \g /dev/null
RESET SESSION AUTHORIZATION;
-- A log entry of the busy workspace altered in place (the log's guard off), for verify_logs to find.
ALTER TABLE actions.activity DISABLE TRIGGER activity_immutable;
UPDATE actions.activity SET detail = '{"altered": true}'
 WHERE workspace_id = :busy AND action_id = (SELECT min(action_id) FROM actions.action WHERE workspace_id = :busy) AND seq = 1;
ALTER TABLE actions.activity ENABLE TRIGGER activity_immutable;
SELECT actions.verify_logs() \g /dev/null
SQL

# 3. The exporter, as the monitoring role, on the node's socket, on 127.0.0.1 only.
my $http_port = PostgreSQL::Test::Cluster::get_free_port();
my $pid = fork // BAIL_OUT("fork: $!");
if ($pid == 0)
{
    $ENV{DATA_SOURCE_NAME} = "host=$host port=$port dbname=pg_actions user=actions_monitor sslmode=disable";
    open STDOUT, '>', "$dir/exporter.log" or POSIX::_exit(1);
    open STDERR, '>&', \*STDOUT or POSIX::_exit(1);
    exec $exporter, "--web.listen-address=127.0.0.1:$http_port", "--extend.query-path=$contrib/queries.yaml",
      '--disable-default-metrics', '--disable-settings-metrics', '--log.level=info'
      or POSIX::_exit(1);
}
END { local $?; if ($pid) { kill 'TERM', $pid; waitpid($pid, 0); } }

my $http = HTTP::Tiny->new(timeout => 10);
my ($scrape, $requests) = ('', 0);
while ($requests < 50)
{
    $requests++;
    my $r = $http->get("http://127.0.0.1:$http_port/metrics");
    if ($r->{success} && $r->{content} =~ /^pg_actions_ledger_seals/m) { $scrape = $r->{content}; last; }
    usleep(200_000);
}
ok($scrape, "the exporter answered /metrics with the pg_actions metrics ($requests requests)")
  or BAIL_OUT(slurp_file("$dir/exporter.log"));
like(slurp_file("$dir/exporter.log"), qr/Listening on" address=127\.0\.0\.1:$http_port/, 'it listens on 127.0.0.1 only');
like($scrape, qr/^pg_up 1$/m, 'it reached the database as the monitoring role');
like($scrape, qr/^pg_exporter_user_queries_load_error\{[^}]*\} 0$/m, 'queries.yaml loaded');
like($scrape, qr/^pg_exporter_last_scrape_error 0$/m, 'every query ran without an error');

# 4. Each metric of queries.yaml against its query run directly as the monitoring role.
my %scraped;
for (split /\n/, $scrape)
{
    next unless /^(pg_actions_\w+)(?:\{(.*)\})? (\S+)$/;
    my ($name, $labels, $value) = ($1, $2 // '', $3);
    my %l = $labels =~ /(\w+)="([^"]*)"/g;
    delete $l{server};
    $scraped{ join(',', $name, map { "$_=$l{$_}" } sort keys %l) } = $value;
}
my (%expected, @queries, $query, $in_sql);
for (split /\n/, slurp_file("$contrib/queries.yaml"))
{
    if (/^(pg_actions_\w+):$/) { $query = { name => $1, sql => '', usage => {} }; push @queries, $query; $in_sql = 0; }
    elsif (/^  query: \|$/) { $in_sql = 1; }
    elsif ($in_sql && /^    (.*)$/) { $query->{sql} .= "$1\n"; }
    elsif (/^    - (\w+):$/) { $in_sql = 0; $query->{last} = $1; }
    elsif (/^        usage: "(\w+)"$/) { $query->{usage}{ $query->{last} } = $1; }
    else { $in_sql = 0; }
}
is(scalar @queries, 5, 'queries.yaml holds the five queries (actions, maintenance, outbox, ledger, verify)');
for my $q (@queries)
{
    # -A output with a header line: the column names, then one line per row.
    my @lines = split /\n/, $node->safe_psql('pg_actions', "SET ROLE actions_monitor;\n\\pset tuples_only off\n$q->{sql}",
        extra_params => [ '-F', '|', '-P', 'footer=off' ]);
    my @cols = split /\|/, shift(@lines), -1;
    ok(scalar @lines, "$q->{name}: the query returns rows") or next;
    for my $line (@lines)
    {
        my @v = split /\|/, $line, -1;
        my %row = map { $cols[$_] => $v[$_] } 0 .. $#cols;
        my @labels = map { "$_=$row{$_}" } sort grep { $q->{usage}{$_} eq 'LABEL' } @cols;
        for my $c (grep { $q->{usage}{$_} eq 'GAUGE' } @cols)
        {
            $expected{ join(',', "$q->{name}_$c", @labels) } = $row{$c} eq '' ? 'NaN' : $row{$c};
        }
    }
}
is_deeply([ sort keys %scraped ], [ sort keys %expected ], 'the scrape has exactly the metrics and label sets of the queries')
  or diag(explain [ [ sort keys %scraped ], [ sort keys %expected ] ]);
my @wrong;
for my $k (sort keys %expected)
{
    my ($want, $got) = ($expected{$k}, $scraped{$k} // 'missing');
    # Ages move on between the scrape and the query: within 30 s.
    my $ok = $want eq 'NaN' ? $got eq 'NaN'
      : $got eq 'missing' ? 0
      : $k =~ /_age_seconds/ ? abs($got - $want) <= 30
      : $got == $want;
    push @wrong, "$k: scraped $got, query $want" unless $ok;
}
is_deeply(\@wrong, [], 'every value scraped equals the query\'s (' . scalar(keys %expected) . ' series)');

# The figures themselves, for the record: the busy workspace, the maintenance, the outbox.
my ($busy) = $node->safe_psql('pg_actions', q{SELECT workspace_id FROM actions.workspace WHERE name = 'Busy'});
is($scraped{"pg_actions_actions_open,status=to_do,workspace_id=$busy"}
     + $scraped{"pg_actions_actions_open,status=in_progress,workspace_id=$busy"}
     + $scraped{"pg_actions_actions_open,status=overdue,workspace_id=$busy"}, 5, 'five open actions in the busy workspace');
is($scraped{'pg_actions_outbox_pending,channel=email'}, 1, 'one notification waits in the email outbox');
is($scraped{"pg_actions_ledger_unsealed,workspace_id=$busy"}, 1, 'the busy workspace has entries newer than its seal');
is($scraped{'pg_actions_maintenance_ran,task=seal_ledgers'}, 1, 'seal_ledgers ran');
my ($idle) = $node->safe_psql('pg_actions', q{SELECT workspace_id FROM actions.workspace WHERE name = 'Idle'});
cmp_ok($scraped{"pg_actions_verify_problems,workspace_id=$busy"}, '>=', 1, 'the tampered log of the busy workspace: its problem is exported');
is($scraped{"pg_actions_verify_problems,workspace_id=$idle"}, 0, 'the idle workspace\'s log: no problem');
cmp_ok($scraped{"pg_actions_verify_age_seconds,workspace_id=$idle"}, '<', 600, 'the age of the last verification');
note(join "\n", grep { /^pg_actions_/ } split /\n/, $scrape);

done_testing();
