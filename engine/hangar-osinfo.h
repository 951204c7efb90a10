/* hangar-osinfo.h: the libosinfo catalogue, loaded once, lazily, off the main thread
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

#define HANGAR_OSINFO_GENERIC "generic"

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
