/* SQLite for Swift: SQLITE_TRANSIENT is a cast macro Swift does not import, so
 * binding helpers that make SQLite copy the bytes live here. */
#ifndef CARNET_CSQLITE_SHIM_H
#define CARNET_CSQLITE_SHIM_H

#include <sqlite3.h>

int csqlite_bind_text_transient(sqlite3_stmt *stmt, int index, const char *text, int length);
int csqlite_bind_blob_transient(sqlite3_stmt *stmt, int index, const void *data, int length);

#endif
