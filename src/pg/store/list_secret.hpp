// The secret list cursors are authenticated with (actions.list_secret, src/sql/47_list_secret.sql):
// read for actions.list_actions(), which runs as the extension's owner, the only role that may
// read it; replaced by actions.rotate_list_secret(). Reads run SQL (inside an SpiScope).
#pragma once

#include <string>

namespace pg_actions::pg {

// The key, read once per statement and command (a rotation earlier in the same transaction, or
// another session's committed before this statement, is seen); 55000 when the row is missing.
const std::string& list_cursor_key();

}  // namespace pg_actions::pg
