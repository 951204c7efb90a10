/* hangar-osinfo.h: the libosinfo catalogue, loaded once, lazily, off the main thread
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

G_BEGIN_DECLS

#define HANGAR_OSINFO_GENERIC "generic"

/* libosinfo 1.10 loses memory of its own: node lists while its loader reads osinfo-db, the
 * location string of every osinfo_media_create_from_location*(), strings and a buffer of
 * every osinfo_tree_create_from_location() (full stacks: ASAN_OPTIONS=
 * fast_unwind_on_malloc=0, far too slow for the tests' D-Bus timeouts). Not ours to fix, and
 * LeakSanitizer's fast unwinder cannot see into libosinfo to suppress them by name: a worker
 * thread brackets those calls, and only those, with these, so LeakSanitizer ignores what the
 * thread allocates in between and Hangar's own leaks still show. */
#ifdef __SANITIZE_ADDRESS__
#define HANGAR_OSINFO_LEAKS_BEGIN() __lsan_disable ()
#define HANGAR_OSINFO_LEAKS_END() __lsan_enable ()
#else
#define HANGAR_OSINFO_LEAKS_BEGIN() G_STMT_START { } G_STMT_END
#define HANGAR_OSINFO_LEAKS_END() G_STMT_START { } G_STMT_END
#endif

#define HANGAR_TYPE_OSINFO (hangar_osinfo_get_type ())
G_DECLARE_FINAL_TYPE (HangarOsinfo, hangar_osinfo, HANGAR, OSINFO, GObject)

HangarOsinfo *hangar_osinfo_new          (void);
void          hangar_osinfo_load_async   (HangarOsinfo         *self,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
OsinfoDb     *hangar_osinfo_load_finish  (HangarOsinfo         *self,
                                          GAsyncResult         *result,
                                          GError              **error);
OsinfoDb     *hangar_osinfo_get_db       (HangarOsinfo         *self);
const char   *hangar_osinfo_os_name      (HangarOsinfo         *self,
                                          const char           *os_id);
GVariant     *hangar_osinfo_search       (HangarOsinfo         *self,
                                          const char           *query,
                                          guint                 limit);

G_END_DECLS
