# The overdue sweep scheduled with pg_cron marks a past-due action overdue by itself, logged
# with no person as actor; without pg_cron, schedule_maintenance() refuses with a hint.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('cron_sweep');
$node->init(extra => [ '-U', 'postgres' ]);
# pg_cron connects with libpq; the test node listens only on its Unix socket directory.
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.host = '@{[ $node->host ]}'
});
$node->start;

$node->safe_psql('postgres', q{
    CREATE EXTENSION pg_cron;
    CREATE EXTENSION pg_actions;
    CREATE ROLE alice LOGIN;
});
my $alice = $node->safe_psql('postgres',
    q{SELECT actions.create_person('alice@example.com', 'Alice', 'alice')});
my $ws = $node->safe_psql('postgres',
    qq{SELECT actions.create_workspace('Cron', owner_id => $alice)});

# Alice creates the action through the API, due in 3 seconds.
my $action = $node->safe_psql('postgres',
    qq{SELECT actions.create_action($ws, 'File the report', assignee_id => $alice,
                                    due_at => now() + interval '3 seconds')},
    extra_params => [ '-U', 'alice' ]);
like($action, qr/^\d+$/, 'alice created an action through the API');
is($node->safe_psql('postgres', "SELECT status FROM actions.action WHERE action_id = $action"),
    'to_do', 'the action starts as to_do');

my $job = $node->safe_psql('postgres', 'SELECT actions.schedule_maintenance()');
like($job, qr/^\d+$/, 'schedule_maintenance() returns the job id');
is($node->safe_psql('postgres',
        "SELECT jobname || ' ' || schedule || ' ' || command || ' ' || database FROM cron.job WHERE jobid = $job"),
    'pg_actions_maintenance * * * * * SELECT actions.mark_overdue(), actions.notify_due_soon(), actions.create_due_reviews() postgres',
    'the job runs the maintenance sweep every minute in this database');

# pg_cron has minute granularity: wait up to 150 s for a run, never calling mark_overdue here.
my $status = '';
for (my $waited = 0; $waited < 150; $waited += 2)
{
    $status = $node->safe_psql('postgres', "SELECT status FROM actions.action WHERE action_id = $action");
    last if $status eq 'overdue';
    sleep 2;
}
is($status, 'overdue', 'the scheduled sweep marked the action overdue');

my $superuser = $node->safe_psql('postgres', 'SELECT current_user');
is($node->safe_psql('postgres', qq{
        SELECT count(*) || ' ' || bool_and(actor_id IS NULL) || ' ' || min(db_role::text)
               || ' ' || min(old_value) || ' ' || min(new_value)
          FROM actions.activity WHERE action_id = $action AND event = 'overdue'}),
    "1 true $superuser to_do overdue",
    'one overdue entry, with no person as actor and the job owner as db_role');
is($node->safe_psql('postgres', "SELECT count(*) FROM actions.verify_log($ws)"),
    '0', 'the log verifies clean');

# The run is recorded once it has finished; poll briefly for its final status.
my $succeeded = 0;
for (1 .. 30)
{
    $succeeded = $node->safe_psql('postgres',
        "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'succeeded'");
    last if $succeeded > 0;
    sleep 1;
}
cmp_ok($succeeded, '>', 0, 'cron.job_run_details shows a succeeded run');
is($node->safe_psql('postgres',
        "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'failed'"),
    '0', 'no run failed');

# A database without pg_cron: the call fails with 55000, a detail and a hint.
$node->safe_psql('postgres', 'CREATE DATABASE no_cron');
$node->safe_psql('no_cron', 'CREATE EXTENSION pg_actions');
my ($ret, $out, $err) = $node->psql('no_cron', 'SELECT actions.schedule_maintenance()',
    extra_params => [ '-v', 'VERBOSITY=verbose' ]);
isnt($ret, 0, 'schedule_maintenance() fails without pg_cron');
like($err, qr/ERROR:\s+55000: pg_cron is not installed in this database/, 'with SQLSTATE 55000');
like($err, qr/HINT:\s+.*CREATE EXTENSION pg_cron.*mark_overdue\(\)/, 'with a hint naming what to do');

$node->stop;
done_testing();
