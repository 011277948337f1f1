// The installed interrupt check (interrupts.hpp).
#include "interrupts.hpp"

namespace pg_actions::core {

InterruptCheck interrupt_check = nullptr;

}  // namespace pg_actions::core
