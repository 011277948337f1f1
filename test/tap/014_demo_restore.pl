# The backup procedure of the README ("Backups and restores") on the demo's layout: pg_cron in the
# database postgres (cron.database_name), pg_actions in its own database, filled by
# docs/examples/demo.sql exactly as test/demo.sh loads it. The dump of that database restores into
# a new database with exit status 0 and nothing on stderr, the log verifies clean, and
# schedule_maintenance() run again in the restored database gives it its own job. Beside it, the
# layout that is not supported (pg_cron in the application's database) is shown failing, which is
# why the demo does not use it.
use strict;
use warnings;
use FindBin;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('demo_restore');
$node->init(extra => [ '-U', 'postgres' ]);
$node->append_conf('postgresql.conf', qq{
listen_addresses = ''
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.host = '@{[ $node->host ]}'
});
$node->start;
$ENV{PGHOST} = $node->host;
$ENV{PGPORT} = $node->port;
my $dir = $node->basedir;

sub run
{
    my @cmd = @_;
    my ($out, $err) = ('', '');
    IPC::Run::run(\@cmd, '>', \$out, '2>', \$err);
    return ($? >> 8, $out, $err);
}

# The demo, as test/demo.sh sets it up.
$node->safe_psql('postgres', 'CREATE EXTENSION pg_cron; CREATE DATABASE pg_actions');
$node->safe_psql('pg_actions', 'CREATE EXTENSION pg_actions');
my $top = "$FindBin::RealBin/../..";
my ($rc, $out, $err) = run('psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'pg_actions', '-f', "$top/docs/examples/demo.sql");
is($rc, 0, 'docs/examples/demo.sql runs') or diag($err);
is($node->safe_psql('postgres', "SELECT database FROM cron.job WHERE jobname = 'pg_actions_maintenance:pg_actions'"),
    'pg_actions', 'the demo scheduled its maintenance job in pg_cron\'s database, for the database pg_actions');
is($node->safe_psql('pg_actions', "SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'"), '0',
    'pg_cron is not installed in the demo\'s database');
my $demo_actions = $node->safe_psql('pg_actions', 'SELECT count(*) FROM actions.action');
cmp_ok($demo_actions, '>', 0, 'the demo made actions');

# The procedure: dump the pg_actions database, restore into a new one, schedule again.
my $file = "$dir/demo.dump";
($rc, $out, $err) = run('pg_dump', '-Fc', '-f', $file, 'pg_actions');
is($rc, 0, 'pg_dump -Fc of the demo database exits 0');
# pg_dump's warning about the circular foreign key of actions.group (a group's parent) is harmless
# (README, "Backups and restores"): COPY checks foreign keys at the end of the statement.
is(join("\n", grep { !/circular foreign-key constraints|^pg_dump: (detail: group|hint: )/ } split /\n/, $err), '',
    'and reports nothing but the warning about the circular foreign key of actions.group');
run('createdb', 'restored');
($rc, $out, $err) = run('pg_restore', '-d', 'restored', $file);
is($rc, 0, 'pg_restore of the demo database exits 0');
is($err, '', 'and reports nothing');
is($node->safe_psql('restored', 'SELECT count(*) FROM actions.action'), $demo_actions, 'every action came back');
is($node->safe_psql('restored', 'SELECT count(*) FROM actions.workspace w, actions.verify_log(w.workspace_id)'), '0',
    'the restored log verifies clean');
is($node->safe_psql('restored', 'SELECT count(*) FROM actions.verify_references()'), '0', 'every foreign key holds');
is($node->safe_psql('postgres', "SELECT count(*) FROM cron.job WHERE database = 'restored'"), '0',
    'the restored database has no maintenance job yet');
like($node->safe_psql('restored', 'SELECT actions.schedule_maintenance()'), qr/^\d+$/,
    'schedule_maintenance() in the restored database');
is($node->safe_psql('postgres', "SELECT jobname || ' ' || command FROM cron.job WHERE database = 'restored'"),
    'pg_actions_maintenance:restored SELECT actions.run_maintenance()', 'gives it its own job');
is($node->safe_psql('postgres', "SELECT count(*) FROM cron.job WHERE jobname = 'pg_actions_maintenance:pg_actions'"), '1',
    'and leaves the demo database\'s job as it was');
# pg_restore -j 4 of the same dump works too.
run('createdb', 'restored_par');
($rc, $out, $err) = run('pg_restore', '-j', '4', '-d', 'restored_par', $file);
is($rc, 0, 'pg_restore -j 4 of the demo database exits 0');
is($err, '', 'and reports nothing');

# The layout that is not supported: pg_cron in the database that is dumped. Its extension and
# its job table come with the dump, and pg_cron refuses to be created in any database but its own.
$node->safe_psql('postgres', 'CREATE DATABASE cron_here');
$node->safe_psql('postgres', "ALTER SYSTEM SET cron.database_name = 'cron_here'");
$node->restart;
$node->safe_psql('cron_here', 'CREATE EXTENSION pg_cron; CREATE EXTENSION pg_actions');
$node->safe_psql('cron_here', 'SELECT actions.schedule_maintenance()');
($rc, $out, $err) = run('pg_dump', '-Fc', '-f', "$dir/cron_here.dump", 'cron_here');
run('createdb', 'cron_restored');
($rc, $out, $err) = run('pg_restore', '-d', 'cron_restored', "$dir/cron_here.dump");
isnt($rc, 0, 'a dump of the database pg_cron lives in does not restore cleanly into another database');
like($err, qr/can only create extension in database cron_here/, 'pg_cron refuses to be created there');

$node->stop;
done_testing();
