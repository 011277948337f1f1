// Every core header includes this last: the core must compile without PostgreSQL. The glue, the
// only code allowed to include PostgreSQL's headers, says so by defining PG_ACTIONS_GLUE.
#pragma once

#if defined(PG_VERSION_NUM) && !defined(PG_ACTIONS_GLUE)
static_assert(false, "src/core must not include PostgreSQL headers");
#endif
