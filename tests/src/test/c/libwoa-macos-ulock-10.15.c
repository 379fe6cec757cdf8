/* The ulock contract emulator as macOS 10.15 has it: no __ulock_wait2 (see libwoa-macos-ulock.c). */
#define WOA_NO_WAIT2 1
#include "libwoa-macos-ulock.c"
