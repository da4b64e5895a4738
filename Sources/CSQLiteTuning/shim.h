// Process-wide SQLite settings that must be made before the library
// initializes (before the first connection opens). sqlite3_config is
// variadic, which Swift cannot call, hence this wrapper.
#ifndef CSQLITETUNING_SHIM_H
#define CSQLITETUNING_SHIM_H
#include <sqlite3.h>

// Turns off SQLite's memory statistics: with them on (Debian's default),
// every sqlite3_malloc and sqlite3_free takes a process-wide mutex to keep
// the counts, although chatd never reads them. Returns SQLITE_OK, or
// SQLITE_MISUSE when SQLite has already been initialized in this process
// (a test run that opened a database first): the setting is then left as
// it is, which is only slower.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
