// Cancelling long work. The core has no PostgreSQL headers, so it cannot look at PostgreSQL's
// pending interrupts (a query cancel, statement_timeout, a terminate) itself: the glue installs a
// check once, when the module is loaded (src/pg/boundary/module.cpp), and every core loop whose
// length grows with data or input calls check_interrupts(): recurrence expansion, the working-time
// arithmetic of calendars. Without an installed check (the unit tests) it does nothing.
//
// The check returns when the work may go on, or throws to abandon it: core code is exception-safe
// (RAII only), so the exception unwinds every core frame, and the glue's boundary turns it into
// PostgreSQL's own error (SQLSTATE 57014) once no C++ frame is left (docs/design.md, "Cancelling").
#pragma once

namespace pg_actions::core {

using InterruptCheck = void (*)();

// The check installed by the glue, or nullptr.
extern InterruptCheck interrupt_check;

inline void set_interrupt_check(InterruptCheck check) noexcept { interrupt_check = check; }

// May throw (whatever the installed check throws).
inline void check_interrupts() {
    if (interrupt_check != nullptr) interrupt_check();
}

}  // namespace pg_actions::core
