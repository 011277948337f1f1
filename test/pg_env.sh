# Sourced by every script: the PostgreSQL to build, test and measure against, from PG_CONFIG
# (default: the system's 15 on Debian 12). Sets bindir, pgxs, pg_major and pkglibdir.
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config || echo /usr/lib/postgresql/15/bin/pg_config)
export PG_CONFIG
bindir=$("$PG_CONFIG" --bindir)
pgxs=$(dirname "$("$PG_CONFIG" --pgxs)")
pgxs=${pgxs%/src/makefiles}
pg_major=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
pkglibdir=$("$PG_CONFIG" --pkglibdir)
