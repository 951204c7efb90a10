/* hangar-qmp.h: the QEMU Machine Protocol over one stream
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Transport only: the greeting and capabilities handshake, commands matched to
 * replies by id, events as a signal. It knows no VM policy.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_QMP (hangar_qmp_get_type ())
G_DECLARE_FINAL_TYPE (HangarQmp, hangar_qmp, HANGAR, QMP, GObject)

HangarQmp  *hangar_qmp_new               (GIOStream            *stream);
void        hangar_qmp_handshake_async   (HangarQmp            *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    hangar_qmp_handshake_finish  (HangarQmp            *self,
                                          GAsyncResult         *result,
                                          GError              **error);
const char *hangar_qmp_get_version       (HangarQmp            *self);
void        hangar_qmp_execute_async     (HangarQmp            *self,
                                          const char           *command,
                                          JsonObject           *arguments,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        hangar_qmp_execute_with_fd_async (HangarQmp       *self,
                                          const char           *command,
                                          JsonObject           *arguments,
                                          int                   fd,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
JsonNode   *hangar_qmp_execute_finish    (HangarQmp            *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        hangar_qmp_close             (HangarQmp            *self);
gboolean    hangar_qmp_is_closed         (HangarQmp            *self);

G_END_DECLS
