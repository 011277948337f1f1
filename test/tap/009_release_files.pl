# The files a release is made of agree with each other. The version is written once, in
# pg_actions.control (default_version); META.json (PGXN) repeats it as SemVer, and this test fails
# when they drift apart. Every version has its upgrade path from 0.1, its CHANGELOG section, and
# the install scripts of earlier versions are kept.
use strict;
use warnings;
use Cwd qw(getcwd);
use JSON::PP;
use PostgreSQL::Test::Utils;
use Test::More;

my $top = getcwd();
ok(-f "$top/pg_actions.control", 'run from the top of the checkout') or BAIL_OUT('not at the top of the checkout');
my ($version) = slurp_file("$top/pg_actions.control") =~ /^default_version\s*=\s*'([^']*)'/m;
like($version, qr/^\d+\.\d+(\.\d+)?$/, 'pg_actions.control has a default_version of numbers');
my $semver = $version =~ /^\d+\.\d+$/ ? "$version.0" : $version;

my $meta = eval { JSON::PP->new->decode(slurp_file("$top/META.json")) };
ok($meta, 'META.json is JSON') or diag($@);
is($meta->{name}, 'pg_actions', 'META.json names the distribution');
is($meta->{version}, $semver, "META.json's version is the control file's default_version as SemVer ($semver)");
is($meta->{provides}{pg_actions}{version}, $semver, 'and so is the version of the extension it provides');
is($meta->{'meta-spec'}{version}, '1.0.0', 'META.json follows the PGXN meta spec 1.0.0');
is($meta->{license}, 'postgresql', 'under the PostgreSQL licence');
ok(defined $meta->{abstract} && $meta->{abstract} ne '' && defined $meta->{maintainer}, 'with an abstract and a maintainer');
for my $key (qw(file docfile))
{
    ok(-f "$top/$meta->{provides}{pg_actions}{$key}", "META.json's provides $key exists ($meta->{provides}{pg_actions}{$key})");
}
like($meta->{prereqs}{runtime}{requires}{PostgreSQL} // '', qr/^15\.0\.0$/, 'it requires PostgreSQL 15 or later');

# The structure the PGXN Meta Spec 1.0.0 (https://pgxn.org/meta/spec.txt) asks of META.json, as
# PGXN Manager validates it when a release is uploaded: the mandatory keys, no key the spec does not
# define (custom keys start with x_), and the form of every value.
my %defined = map { $_ => 1 } qw(name version abstract maintainer license provides meta-spec description
    generated_by tags no_index prereqs release_status resources);
for my $key (qw(name version abstract maintainer license provides meta-spec))
{
    ok(defined $meta->{$key}, "META.json has the mandatory key $key");
}
is_deeply([ grep { !$defined{$_} && !/^[xX]_./ } sort keys %$meta ], [], 'META.json has no key the spec does not define');
my $term = qr{^[^/\\\s[:cntrl:]]{2,}$};
my $semver_re = qr/^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+)?$/;
like($meta->{name}, $term, 'its name is a term (two characters or more, no slash, space or control character)');
like($meta->{version}, $semver_re, 'its version is SemVer');
my $maintainers = ref $meta->{maintainer} eq 'ARRAY' ? $meta->{maintainer} : [ $meta->{maintainer} ];
ok(@$maintainers && !grep({ !defined $_ || ref $_ || $_ eq '' } @$maintainers), 'its maintainer is a string or a list of them');
is(ref $meta->{'meta-spec'}, 'HASH', 'meta-spec is an object');
like($meta->{'meta-spec'}{url} // 'https://pgxn.org/meta/spec.txt', qr{^https?://}, 'whose url, if any, is a URL');
like($meta->{release_status} // 'stable', qr/^(?:stable|testing|unstable)$/, 'release_status is stable, testing or unstable');
is(ref $meta->{provides}, 'HASH', 'provides is an object');
for my $ext (sort keys %{ $meta->{provides} })
{
    my $p = $meta->{provides}{$ext};
    like($ext, $term, "provides names the extension $ext by a term");
    like($p->{version} // '', $semver_re, "$ext has a SemVer version");
    ok(defined $p->{file} && $p->{file} !~ m{^/|\\}, "$ext names its file as a relative unix path");
    is_deeply([ grep { !/^(?:file|version|abstract|docfile)$/ && !/^[xX]_./ } sort keys %$p ], [],
        "$ext has no key the spec does not define");
}
my %phases = map { $_ => 1 } qw(configure build test runtime develop);
my %relations = map { $_ => 1 } qw(requires recommends suggests conflicts);
my @bad_prereqs;
for my $phase (sort keys %{ $meta->{prereqs} // {} })
{
    push @bad_prereqs, $phase and next unless $phases{$phase} || $phase =~ /^[xX]_/;
    for my $relation (sort keys %{ $meta->{prereqs}{$phase} })
    {
        push @bad_prereqs, "$phase.$relation" and next unless $relations{$relation} || $relation =~ /^[xX]_/;
        while (my ($name, $range) = each %{ $meta->{prereqs}{$phase}{$relation} })
        {
            push @bad_prereqs, "$phase.$relation.$name" unless $range =~ /^(?:0|(?:[<>!=]=?\s*)?\d+\.\d+\.\d+)$/;
        }
    }
}
is_deeply(\@bad_prereqs, [], 'prereqs name known phases and relations, with SemVer version ranges');
ok(!defined $meta->{tags} || (ref $meta->{tags} eq 'ARRAY' && @{ $meta->{tags} }
        && !grep { length($_) < 2 || length($_) > 255 || m{[/\\[:cntrl:]]} } @{ $meta->{tags} }),
    'tags are a list of 2 to 255 characters each, without slash or control characters');
for my $dir (@{ $meta->{no_index}{directory} // [] })
{
    ok(-d "$top/$dir", "no_index names the existing directory $dir");
}

like(slurp_file("$top/LICENSE"), qr/PostgreSQL License.*Permission to use, copy, modify, and distribute this software/s,
    'LICENSE is the PostgreSQL licence');
like(slurp_file("$top/CHANGELOG.md"), qr/^## \Q$version\E\b/m, "CHANGELOG.md has a section for $version");

# From 0.1 on, every version can be reached from the previous one; only the current version's
# install script is built from src/sql, the earlier ones are kept in src/sql/upgrade.
my @upgrades = map { m{pg_actions--([^-]+)--([^-]+)\.sql$} ? [ $1, $2 ] : () } glob("$top/src/sql/upgrade/pg_actions--*--*.sql");
my %next = map { $_->[0] => $_->[1] } @upgrades;
my ($at, @path) = ('0.1');
while (exists $next{$at} && @path < 100) { push @path, $at; $at = $next{$at}; }
is($at, $version, "src/sql/upgrade leads from 0.1 to $version (" . join(' -> ', @path, $at) . ')');
for my $old (@path)
{
    ok(-f "$top/src/sql/upgrade/pg_actions--$old.sql", "the install script of $old is kept");
}
ok(!-f "$top/src/sql/upgrade/pg_actions--$version.sql", "the install script of $version is built from src/sql, not kept");

done_testing();
