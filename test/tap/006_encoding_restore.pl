# Log hashes are computed over UTF-8 text whatever the server encoding: a log written in a LATIN1
# database verifies clean there, and again after its dump is restored into a UTF8 database (before,
# every entry with a non-ASCII character read as "altered" after such a restore).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('encoding_restore');
$node->init(extra => [ '-U', 'postgres', '--locale=C', '--encoding=UTF8' ]);
$node->start;

$node->safe_psql('postgres', q{
    CREATE DATABASE latin ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
    CREATE DATABASE utf ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
    CREATE ROLE cafe_owner LOGIN;
});

sub broken_links
{
    my ($db) = @_;
    return $node->safe_psql($db, "SELECT count(*) FROM actions.workspace w, actions.verify_log(w.workspace_id)");
}

# The client speaks UTF-8; the server stores LATIN1.
$ENV{PGCLIENTENCODING} = 'UTF8';
$node->safe_psql('latin', q{
    CREATE EXTENSION pg_actions;
    SELECT actions.create_person('cafe@example.com', 'Zoë Café', 'cafe_owner');
    SELECT actions.create_workspace('Crème brûlée', owner_id => 1);
});
$node->safe_psql('latin', q{
    SELECT actions.create_action(1, 'Réserver la salle à Genève', description => 'Déjà payé: 250 CHF, reçu au guichet');
    SELECT actions.update_action(1, title => 'Réserver la salle à Zürich');
    SELECT actions.add_note(1, 'Noël approche');
    SELECT actions.complete(1);
}, extra_params => [ '-U', 'cafe_owner' ]);
is($node->safe_psql('latin', "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'latin'"),
    'LATIN1', 'the source database is LATIN1');
is($node->safe_psql('latin', "SELECT title FROM actions.action WHERE action_id = 1"), 'Réserver la salle à Zürich',
    'non-ASCII text is stored');
is($node->safe_psql('latin', "SELECT count(*) FROM actions.activity WHERE new_value ~ '[^[:ascii:]]'"), '3',
    'the log holds entries with non-ASCII text');
is(broken_links('latin'), '0', 'the LATIN1 log verifies clean');

# Dump and restore into the UTF8 database as docs/operations.md tells a DBA: no special option.
my $dump = $node->basedir . '/latin.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('latin'), '-f', $dump ], 'pg_dump of the LATIN1 database');
my ($ret, $out, $err) = $node->psql('utf', undef, on_error_stop => 0,
    extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', $dump ]);
is($ret, 0, 'the dump restores into the UTF8 database');
is(join("\n", grep { /ERROR/ } split /\n/, $err), '', 'the restore raised no error');
is($node->safe_psql('utf', "SELECT title FROM actions.action WHERE action_id = 1"), 'Réserver la salle à Zürich',
    'the text arrives converted');
is(broken_links('utf'), '0', 'the restored log verifies clean in the UTF8 database');

# And an edit is still detected after the conversion.
$node->safe_psql('utf', q{
    SET session_replication_role = replica;
    ALTER TABLE actions.activity DISABLE TRIGGER activity_immutable;
    UPDATE actions.activity SET new_value = 'Réserver la salle à Bâle' WHERE action_id = 1 AND event = 'title_changed';
    ALTER TABLE actions.activity ENABLE ALWAYS TRIGGER activity_immutable;
});
is(broken_links('utf'), '1', 'an entry edited after the restore is reported');

$node->stop;
done_testing();
