# Maintenance with pg_cron on a server set up like test/cluster.sh's (listen_addresses = '', a
# Unix socket directory, cron.host = that directory): the job schedule_maintenance() registers
# runs by itself and succeeds, in pg_cron's own database and in another database of the server
# (scheduled there with cron.schedule_in_database()); actions.maintenance_status shows the runs
# and the backlogs; unschedule_maintenance() and DROP EXTENSION pg_actions leave no job behind.
# Without pg_cron, schedule_maintenance() refuses with a hint. pg_cron runs once a minute: the
# file waits for the jobs once, for everything together.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('cron_sweep');
$node->init(extra => [ '-U', 'postgres' ]);
# As test/cluster.sh writes it: pg_cron's jobs connect to the socket directory, the only place
# this server listens.
$node->append_conf('postgresql.conf', qq{
listen_addresses = ''
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.host = '@{[ $node->host ]}'
});
$node->start;

# pg_actions before pg_cron in pg_cron's database: the call says what to do.
$node->safe_psql('postgres', q{CREATE EXTENSION pg_actions; CREATE ROLE alice LOGIN;});
my ($ret, $out, $err) = $node->psql('postgres', 'SELECT actions.schedule_maintenance()',
    extra_params => [ '-v', 'VERBOSITY=verbose' ]);
isnt($ret, 0, 'schedule_maintenance() fails while pg_cron is not installed in its database');
like($err, qr/ERROR:\s+55000: pg_cron is not installed in this database/, 'with SQLSTATE 55000');
like($err, qr/HINT:\s+CREATE EXTENSION pg_cron in this database.*run_maintenance\(\)/, 'with a hint naming what to do');
$node->safe_psql('postgres', 'CREATE EXTENSION pg_cron');

# Each database: a person, a workspace, an action falling due in 2 s and one due in an hour.
sub setup
{
    my ($db) = @_;
    $node->safe_psql($db, 'CREATE EXTENSION IF NOT EXISTS pg_actions');
    my $alice = $node->safe_psql($db,
        q{SELECT actions.create_person('alice@example.com', 'Alice', 'alice')});
    my $ws = $node->safe_psql($db, qq{SELECT actions.create_workspace('Cron', owner_id => $alice)});
    # Alice creates the actions through the API.
    my $late = $node->safe_psql($db,
        qq{SELECT actions.create_action($ws, 'File the report', assignee_id => $alice,
                                        due_at => now() + interval '2 seconds')},
        extra_params => [ '-U', 'alice' ]);
    my $soon = $node->safe_psql($db,
        qq{SELECT actions.create_action($ws, 'Prepare the meeting', assignee_id => $alice,
                                        due_at => now() + interval '1 hour')},
        extra_params => [ '-U', 'alice' ]);
    return ($ws, $late, $soon);
}

$node->safe_psql('postgres', 'CREATE DATABASE other');
my %ws;
my %late;
for my $db (qw(postgres other))
{
    my $soon;
    ($ws{$db}, $late{$db}, $soon) = setup($db);
    like($late{$db}, qr/^\d+$/, "$db: alice created an action through the API");
}
sleep 3;    # the actions fall due
my $backlog = q{SELECT string_agg(task || '=' || backlog, ' ' ORDER BY position) FROM actions.maintenance_status};
for my $db (qw(postgres other))
{
    is($node->safe_psql($db, $backlog), 'mark_overdue=1 notify_due_soon=1 escalate_overdue=0 create_due_reviews=0 create_scheduled_actions=0 seal_ledgers=1',
        "$db: the view shows the backlog before any run");
    is($node->safe_psql($db, 'SELECT count(*) FROM actions.maintenance_status WHERE last_run_at IS NOT NULL'),
        '0', "$db: ... and no run yet");
}

# The jobs: one for pg_cron's database, one scheduled from the other database into pg_cron's.
my %job;
$job{postgres} = $node->safe_psql('postgres', 'SELECT actions.schedule_maintenance()');
$job{other} = $node->safe_psql('other', 'SELECT actions.schedule_maintenance()');
like($job{other}, qr/^\d+$/, 'schedule_maintenance() from a database without pg_cron returns the job id');
my $jobs = q{SELECT string_agg(jobname || ' ' || schedule || ' ' || command || ' ' || database, '; ' ORDER BY jobid) FROM cron.job};
is($node->safe_psql('postgres', $jobs),
    'pg_actions_maintenance:postgres * * * * * SELECT actions.run_maintenance() postgres; '
      . 'pg_actions_maintenance:other * * * * * SELECT actions.run_maintenance() other',
    'one job per database, each running run_maintenance() in its own database, both kept in pg_cron\'s');
is($node->safe_psql('other', q{SELECT actions.schedule_maintenance('*/2 * * * *')}), $job{other},
    'scheduling again from the other database keeps the job id');
is($node->safe_psql('postgres', "SELECT schedule FROM cron.job WHERE jobid = $job{other}"), '*/2 * * * *',
    '... and changes its schedule');
$node->safe_psql('other', q{SELECT actions.schedule_maintenance('* * * * *')});

# A role that is not a superuser, granted the function, may not use the server's trust in its
# own socket to reach pg_cron's database.
$node->safe_psql('other', q{
    CREATE ROLE maint LOGIN;
    GRANT USAGE ON SCHEMA actions TO maint;
    GRANT EXECUTE ON FUNCTION actions.schedule_maintenance(text), actions.maintenance_job_name(),
        actions.cron_database_name(), actions.cron_schedule_elsewhere(text, text, text) TO maint;
});
($ret, $out, $err) = $node->psql('other', 'SELECT actions.schedule_maintenance()',
    extra_params => [ '-U', 'maint', '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+42501: password is required to schedule in database "postgres"/,
    'a role that is not a superuser needs a password to reach pg_cron\'s database');

# Wait, once, for both jobs to have run after the actions fell due: never calling a sweep here.
my $done = 0;
for (my $waited = 0; $waited < 150 && !$done; $waited += 2)
{
    sleep 2;
    $done = 1;
    for my $db (qw(postgres other))
    {
        $done = 0
          unless $node->safe_psql($db, "SELECT status FROM actions.action WHERE action_id = $late{$db}") eq 'overdue'
          && $node->safe_psql($db, q{SELECT count(*) FROM actions.maintenance_run WHERE task = 'create_due_reviews'}) > 0;
        $done = 0
          unless $node->safe_psql('postgres',
            "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job{$db} AND status IN ('succeeded', 'failed')") > 0;
    }
}
ok($done, 'both jobs ran by themselves');

for my $db (qw(postgres other))
{
    is($node->safe_psql('postgres',
            "SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $job{$db} AND status = 'succeeded'"),
        't', "$db: cron.job_run_details shows a succeeded run");
    is($node->safe_psql('postgres',
            "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job{$db} AND status = 'failed'"),
        '0', "$db: ... and no failed one");
    is($node->safe_psql($db, "SELECT status FROM actions.action WHERE action_id = $late{$db}"),
        'overdue', "$db: the scheduled run marked the action overdue");
    is($node->safe_psql($db, q{
            SELECT string_agg(task || ' ' || last_outcome || ' ' || (last_duration >= '0') || ' '
                              || (last_error IS NULL) || ' ' || backlog, ', ' ORDER BY position)
              FROM actions.maintenance_status}),
        'mark_overdue succeeded true true 0, notify_due_soon succeeded true true 0, escalate_overdue succeeded true true 0, create_due_reviews succeeded true true 0, create_scheduled_actions succeeded true true 0, seal_ledgers succeeded true true 0',
        "$db: the view shows each task's last run succeeded, and no backlog left");
    is($node->safe_psql($db, q{
            SELECT string_agg(task || '=' || total, ' ' ORDER BY task)
              FROM (SELECT task, sum(rows_affected) AS total FROM actions.maintenance_run GROUP BY task) t}),
        'create_due_reviews=0 create_scheduled_actions=0 escalate_overdue=0 mark_overdue=1 notify_due_soon=1 seal_ledgers=1',
        "$db: the runs marked one action and sent one reminder");
    is($node->safe_psql($db, qq{
            SELECT count(*) || ' ' || bool_and(actor_id IS NULL) || ' ' || min(old_value) || ' ' || min(new_value)
              FROM actions.activity WHERE action_id = $late{$db} AND event = 'overdue'}),
        '1 true to_do overdue', "$db: one overdue entry, with no person as actor");
    is($node->safe_psql($db, "SELECT count(*) FROM actions.verify_log($ws{$db})"), '0', "$db: the log verifies clean");
}

# unschedule_maintenance() from the other database removes its job from pg_cron's.
is($node->safe_psql('other', 'SELECT actions.unschedule_maintenance()'), 't', 'unschedule_maintenance() removes the job');
is($node->safe_psql('postgres', "SELECT count(*) FROM cron.job WHERE database = 'other'"), '0',
    '... from pg_cron\'s database');
is($node->safe_psql('other', 'SELECT actions.unschedule_maintenance()'), 'f', 'a second call finds nothing');

# Dropping the extension removes its job, here and from another database.
$node->safe_psql('other', 'SELECT actions.schedule_maintenance()');
$node->safe_psql('other', 'DROP EXTENSION pg_actions');
is($node->safe_psql('postgres', "SELECT count(*) FROM cron.job WHERE database = 'other'"), '0',
    'DROP EXTENSION pg_actions in another database leaves no job');
$node->safe_psql('postgres', 'BEGIN; DROP EXTENSION pg_actions; ROLLBACK;');
is($node->safe_psql('postgres', "SELECT count(*) FROM cron.job WHERE database = 'postgres'"), '1',
    'a DROP EXTENSION rolled back keeps the job');
$node->safe_psql('postgres', 'DROP EXTENSION pg_actions');
is($node->safe_psql('postgres', 'SELECT count(*) FROM cron.job'), '0', 'DROP EXTENSION pg_actions leaves no job');

# DROP SCHEMA actions CASCADE drops the extension, and the job with it.
$node->safe_psql('other', 'CREATE EXTENSION pg_actions; SELECT actions.schedule_maintenance();');
is($node->safe_psql('postgres', "SELECT count(*) FROM cron.job WHERE database = 'other'"), '1', 'scheduled again');
$node->safe_psql('other', 'SET client_min_messages = warning; DROP SCHEMA actions CASCADE;');
is($node->safe_psql('postgres', "SELECT count(*) FROM cron.job WHERE database = 'other'"), '0',
    'DROP SCHEMA actions CASCADE leaves no job');

# pg_cron's database without pg_cron: scheduling from another database says what to do, and
# dropping pg_actions still works, with a WARNING.
$node->safe_psql('other', 'CREATE EXTENSION pg_actions');
$node->safe_psql('postgres', 'DROP EXTENSION pg_cron');
($ret, $out, $err) = $node->psql('other', 'SELECT actions.schedule_maintenance()',
    extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+\w{5}: in database "postgres", where pg_cron keeps its jobs: .*cron/,
    'scheduling into pg_cron\'s database without pg_cron fails, naming that database');
like($err, qr/HINT:\s+pg_cron must be installed there \(CREATE EXTENSION pg_cron in database "postgres"/,
    '... with a hint');
($ret, $out, $err) = $node->psql('other', 'DROP EXTENSION pg_actions');
is($ret, 0, 'DROP EXTENSION pg_actions works when the job cannot be removed');
like($err, qr/WARNING:\s+the pg_cron job pg_actions_maintenance:other could not be removed/, '... with a WARNING');
like($err, qr/HINT:\s+.*SELECT cron.unschedule\(jobid\) FROM cron.job WHERE jobname = 'pg_actions_maintenance:other'/,
    '... whose hint says how to remove it');
$node->stop;

# A server without pg_cron: the call fails with 55000, a detail and a hint.
my $plain = PostgreSQL::Test::Cluster->new('no_cron');
$plain->init(extra => [ '-U', 'postgres' ]);
$plain->start;
$plain->safe_psql('postgres', 'CREATE EXTENSION pg_actions');
($ret, $out, $err) = $plain->psql('postgres', 'SELECT actions.schedule_maintenance()',
    extra_params => [ '-v', 'VERBOSITY=verbose' ]);
isnt($ret, 0, 'schedule_maintenance() fails without pg_cron');
like($err, qr/ERROR:\s+55000: pg_cron is not loaded/, 'with SQLSTATE 55000');
like($err, qr/HINT:\s+add pg_cron to shared_preload_libraries.*run_maintenance\(\)/, 'with a hint naming what to do');
is($plain->safe_psql('postgres', 'SELECT actions.unschedule_maintenance()'), 'f',
    'unschedule_maintenance() without pg_cron removes nothing');
$plain->safe_psql('postgres', 'DROP EXTENSION pg_actions');
pass('DROP EXTENSION without pg_cron works');
$plain->stop;

done_testing();
