/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storage_int.h - what the files of storage/ share; nothing outside storage/ includes it. */
#ifndef WW_STORAGE_INT_H
#define WW_STORAGE_INT_H

#include "storage/storage.h"

/* store_flush_cached() - have rrdcached write what it holds for @path (no-op when direct).
 * Returns 0 or -EAGAIN (rrdcached unreachable). */
int store_flush_cached(struct store *st, const char *path);

#endif
