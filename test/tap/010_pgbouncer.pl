# docs/examples/python through PgBouncer in transaction pooling mode: act_as stays per transaction.
# PgBouncer (Debian's) listens on a port of the node's socket directory with pool_mode =
# transaction and one server connection per pool, so every transaction of every client runs on the
# same server backend, one after another. Transactions acting for different people each log the
# right actor, and a transaction on that same backend after their COMMIT acts for no one (refused
# "no person is acting"). The example's LISTEN worker uses a direct connection, as it must: LISTEN
# belongs to a server session, which a transaction pooler hands to other clients.
use strict;
use warnings;
use FindBin;
use IPC::Run;
use Time::HiRes qw(usleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $python = $ENV{PG_ACTIONS_PYTHON} || '/usr/bin/python3';
my $pgbouncer = $ENV{PG_ACTIONS_PGBOUNCER}
  || (grep { -x $_ } '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer')[0];
plan skip_all => 'pgbouncer is not installed' unless $pgbouncer && -x $pgbouncer;
plan skip_all => "$python has no psycopg 3 with psycopg_pool"
  unless system($python, '-c', 'import psycopg, psycopg_pool') == 0;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';
my $top = "$FindBin::RealBin/../..";

my $node = PostgreSQL::Test::Cluster->new('pgbouncer');
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE pg_actions');
$node->safe_psql('pg_actions', 'CREATE EXTENSION pg_actions');

# PgBouncer, started here as this OS user, on a free port of the node's socket directory.
my $host = $node->host;
my $bport = PostgreSQL::Test::Cluster::get_free_port();
my $dir = PostgreSQL::Test::Utils::tempdir('pgbouncer');
PostgreSQL::Test::Utils::append_to_file("$dir/userlist.txt", qq{"example_app" ""\n"postgres" ""\n});
PostgreSQL::Test::Utils::append_to_file("$dir/pgbouncer.ini", <<"INI");
[databases]
pg_actions = host=$host port=${\ $node->port} dbname=pg_actions

[pgbouncer]
listen_addr =
listen_port = $bport
unix_socket_dir = $host
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 1
max_client_conn = 20
server_reset_query =
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
my ($bout, $berr) = ('', '');
my $bouncer = IPC::Run::start([ $pgbouncer, "$dir/pgbouncer.ini" ], '<', \undef, '>', \$bout, '2>', \$berr);
END { $bouncer->kill_kill if $bouncer && $bouncer->pumpable; }

my $pooled = "host=$host port=$bport dbname=pg_actions user=example_app";
my $direct = "host=$host port=${\ $node->port} dbname=pg_actions user=example_app";

# Waits until PgBouncer answers.
my $up = 0;
for (1 .. 100)
{
    # Not before its socket exists: psql would exit before taking its input (a broken pipe here).
    if (-S "$host/.s.PGSQL.$bport")
    {
        my ($rc) = eval { $node->psql('pgbouncer', 'SHOW VERSION',
            connstr => "host=$host port=$bport dbname=pgbouncer user=postgres") };
        if (defined $rc && $rc == 0) { $up = 1; last; }
    }
    usleep(100_000);
}
ok($up, 'PgBouncer answers on its port') or diag(slurp_file("$dir/pgbouncer.log"));

# 1. The Python example, its pool through PgBouncer, its LISTEN worker on a direct connection.
my ($out, $err) = ('', '');
my $ok;
{
    local $ENV{EXAMPLE_ADMIN_DSN} = "host=$host port=${\ $node->port} dbname=pg_actions user=postgres";
    local $ENV{EXAMPLE_POOL_DSN} = $pooled;
    local $ENV{EXAMPLE_LISTEN_DSN} = $direct;
    $ok = IPC::Run::run([ $python, "$top/docs/examples/python/app.py" ],
        '<', \undef, '>', \$out, '2>', \$err, IPC::Run::timeout(120));
}
ok($ok, 'the Python example exits 0 through PgBouncer') or diag("stdout:\n$out\nstderr:\n$err");
like($out, qr/all checks passed/, 'the example reports every check passed') or diag($out);
note($out);

my ($action) = $out =~ /^   action (\d+) /m;
my ($worker_pid) = $out =~ /LISTEN pg_actions on a direct connection \(backend (\d+)\)/;
my @pooled_pids = map { /\(backend (\d+)\)/g } grep { /^   / } split /\n/, $out;
ok($action, 'the example created an action');
is(scalar @pooled_pids, 5, 'the example ran its transactions on pooled connections (5 reported)')
  or diag(explain \@pooled_pids);
my %distinct = map { $_ => 1 } @pooled_pids;
is(scalar keys %distinct, 1,
    'every transaction, for Ana, Ben and Cleo, and the one after them, ran on the one server backend behind PgBouncer');
isnt($worker_pid, $pooled_pids[0], 'the LISTEN worker has its own, direct, connection');

# The log, read directly as the superuser: each transaction logged the person it acted for.
my %id = map { split /\|/ } split /\n/, $node->safe_psql('pg_actions',
    q{SELECT split_part(email, '@', 1) || '|' || person_id FROM actions.person WHERE email LIKE '%@example.app'});
is($node->safe_psql('pg_actions',
        "SELECT string_agg(event || ':' || actor_id || ':' || db_role, ' ' ORDER BY seq) FROM actions.activity WHERE action_id = $action"),
    "created:$id{ana}:example_app assigned:$id{ana}:example_app reassigned:$id{ben}:example_app "
      . "started:$id{cleo}:example_app completed:$id{cleo}:example_app",
    'created and assigned by Ana, reassigned by Ben, started and completed by Cleo, all through the pooled role');
is($node->safe_psql('pg_actions',
        "SELECT string_agg(kind || ':' || person_id, ' ' ORDER BY notification_id) FROM actions.notification WHERE action_id = $action"),
    "assigned:$id{ben} reassigned:$id{cleo}", 'the notifications the worker delivered are stored for Ben and Cleo');

# PgBouncer itself counted the example's transactions.
my $stats = $node->safe_psql('postgres', 'SHOW STATS',
    connstr => "host=$host port=$bport dbname=pgbouncer user=postgres");
my ($xacts) = $stats =~ /^pg_actions\|(\d+)\|/m;
cmp_ok($xacts // 0, '>=', 6, 'PgBouncer carried the example\'s transactions') or diag($stats);

# 2. The same with psql, one client connection per step, all on PgBouncer's one server backend.
my $ws = $node->safe_psql('pg_actions', q{SELECT workspace_id FROM actions.workspace WHERE name = 'Example app'});
sub through_bouncer
{
    my ($sql) = @_;
    my ($rc, $stdout, $stderr) = $node->psql('pg_actions', $sql, connstr => $pooled);
    return ($rc, $stdout, $stderr);
}
my ($rc, $stdout, $stderr) = through_bouncer(
    "BEGIN; SELECT actions.act_as($id{ana}); SELECT pg_backend_pid() || ' ' || actions.create_action($ws, 'Order new badges', assignee_id => $id{ben}); COMMIT;");
is($rc, 0, 'client 1: a transaction acting for Ana') or diag($stderr);
my ($pid1, $a2) = grep { /^\d+ \d+$/ } split /\n/, $stdout;
($pid1, $a2) = split / /, $pid1 // '';
($rc, $stdout, $stderr) = through_bouncer(
    "BEGIN; SELECT actions.act_as($id{ben}); SELECT actions.reassign($a2, $id{cleo}); SELECT pg_backend_pid(); COMMIT;");
is($rc, 0, 'client 2: a transaction acting for Ben') or diag($stderr);
my ($pid2) = grep { /^\d+$/ } split /\n/, $stdout;
($rc, $stdout, $stderr) = through_bouncer(
    "SELECT pg_backend_pid() || ' ' || coalesce(actions.current_actor()::text, 'nobody')");
is($rc, 0, 'client 3: a statement with no act_as') or diag($stderr);
my ($pid3, $actor3) = split / /, $stdout;
is($pid2, $pid1, 'clients 1 and 2 ran on the same server backend');
is($pid3, $pid1, 'client 3 ran on it too');
is($actor3, 'nobody', 'after their COMMITs, that backend acts for nobody');
($rc, $stdout, $stderr) = through_bouncer("SELECT actions.create_action($ws, 'Nobody asked for this')");
isnt($rc, 0, 'a statement after COMMIT without act_as is refused');
like($stderr, qr/no person is acting in this session/, '... as "no person is acting"');
is($node->safe_psql('pg_actions',
        "SELECT string_agg(event || ':' || actor_id, ' ' ORDER BY seq) FROM actions.activity WHERE action_id = $a2"),
    "created:$id{ana} assigned:$id{ana} reassigned:$id{ben}",
    'each pooled transaction logged the person it acted for');
is($node->safe_psql('pg_actions', q{SELECT count(*) FROM actions.action WHERE title = 'Nobody asked for this'}),
    '0', 'the refused statement wrote nothing');

# A rolled-back transaction's act_as does not outlive it either.
($rc, $stdout, $stderr) = through_bouncer(
    "BEGIN; SELECT actions.act_as($id{cleo}); ROLLBACK; SELECT pg_backend_pid() || ' ' || coalesce(actions.current_actor()::text, 'nobody');");
my ($pid4, $actor4) = (grep { /^\d+ / } split /\n/, $stdout)[-1] =~ /^(\d+) (\S+)$/;
is("$pid4 $actor4", "$pid1 nobody", 'after a ROLLBACK, the same backend acts for nobody');

$bouncer->kill_kill;
$node->stop;
done_testing();
