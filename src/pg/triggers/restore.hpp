// Recognising a restore (docs/operations.md, "Backups and restores"): the extension's triggers exist before
// pg_restore (or psql -f of a plain dump) copies its tables' rows back, so they fire for rows that
// are only being restored. During a restore's COPY the row triggers leave the rows as dumped.
#pragma once

#include "pg/boundary/postgres.hpp"

namespace pg_actions::pg {

// True when the statement being executed at top level is a COPY ... FROM into this very table,
// named with its schema and writing every column (as pg_dump writes it: COPY actions.x (all
// columns) FROM stdin), and the session user is a superuser (who could disable the triggers
// anyway). COPY TO, a COPY run inside a function, an unqualified table name, a COPY that leaves
// columns to their defaults, a COPY into another table whose triggers write this one, and any
// non-superuser session are not restores. Throws PgError.
bool restoring(Oid relid);

}  // namespace pg_actions::pg
