/* hangar-engine.h: the machines of one user, and the D-Bus objects that show them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-capabilities.h"
#include "hangar-job.h"
#include "hangar-machine.h"
#include "hangar-osinfo.h"
#include "hangar-statistics.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_ENGINE (hangar_engine_get_type ())
G_DECLARE_FINAL_TYPE (HangarEngine, hangar_engine, HANGAR, ENGINE, GObject)

HangarEngine             *hangar_engine_new              (GError         **error);
void                      hangar_engine_export           (HangarEngine    *self,
                                                          GDBusConnection *connection);
void                      hangar_engine_unexport         (HangarEngine    *self);
void                      hangar_engine_unexport_connection (HangarEngine    *self,
                                                             GDBusConnection *connection);
void                      hangar_engine_run_autostart    (HangarEngine    *self);
const HangarCapabilities *hangar_engine_get_capabilities (HangarEngine    *self);
GPtrArray                *hangar_engine_get_broken       (HangarEngine    *self);
HangarStatistics         *hangar_engine_get_statistics   (HangarEngine    *self);
HangarOsinfo             *hangar_engine_get_osinfo       (HangarEngine    *self);
char                     *hangar_engine_add_job          (HangarEngine    *self,
                                                          HangarJob       *job);
gboolean                  hangar_engine_check_new_name   (HangarEngine    *self,
                                                          const char      *name,
                                                          GError         **error);
char                     *hangar_engine_free_name        (HangarEngine    *self,
                                                          const char      *base);
HangarMachine            *hangar_engine_lookup           (HangarEngine    *self,
                                                          const char      *name_or_uuid);
char                     *hangar_engine_object_path      (HangarEngine    *self,
                                                          HangarMachine   *machine);
void                      hangar_engine_update_async     (HangarEngine        *self,
                                                          HangarMachine       *machine,
                                                          const char          *xml,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean                  hangar_engine_update_finish    (HangarEngine        *self,
                                                          HangarMachine       *machine,
                                                          GAsyncResult        *result,
                                                          GStrv               *applied_live,
                                                          GStrv               *pending,
                                                          GError             **error);
HangarMachine            *hangar_engine_define           (HangarEngine    *self,
                                                          const char      *xml,
                                                          GError         **error);
/* Delete flags, as Machine1.Delete takes them. */
#define HANGAR_DELETE_DISK_IMAGES (1u << 0)

GStrv                     hangar_machine_disk_images     (HangarMachine   *machine);
gboolean                  hangar_engine_delete           (HangarEngine    *self,
                                                          HangarMachine   *machine,
                                                          guint            flags,
                                                          GStrv           *deleted_images,
                                                          GStrv           *kept_images,
                                                          GError         **error);

G_END_DECLS
