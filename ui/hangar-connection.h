/* hangar-connection.h: the UI's client of one engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-dbus.h"

#include "hangar-types.h"

G_BEGIN_DECLS

/**
 * HangarConnectionStatus:
 * @HANGAR_CONNECTION_STATUS_IDLE: not asked to connect yet
 * @HANGAR_CONNECTION_STATUS_CONNECTING: reaching (maybe starting) the engine
 * @HANGAR_CONNECTION_STATUS_CONNECTED: the engine answers; its machines are listed
 * @HANGAR_CONNECTION_STATUS_FAILED: the engine cannot be reached or has gone;
 *   #HangarConnection:error-message says why
 * @HANGAR_CONNECTION_STATUS_DISCONNECTED: disconnected on purpose
 *   (hangar_connection_disconnect()); no new attempt until asked
 */
typedef enum
{
  HANGAR_CONNECTION_STATUS_IDLE,
  HANGAR_CONNECTION_STATUS_CONNECTING,
  HANGAR_CONNECTION_STATUS_CONNECTED,
  HANGAR_CONNECTION_STATUS_FAILED,
  HANGAR_CONNECTION_STATUS_DISCONNECTED,
} HangarConnectionStatus;

#define HANGAR_TYPE_CONNECTION_STATUS (hangar_connection_status_get_type ())
GType hangar_connection_status_get_type (void);

#define HANGAR_TYPE_CONNECTION (hangar_connection_get_type ())
G_DECLARE_FINAL_TYPE (HangarConnection, hangar_connection, HANGAR, CONNECTION, GObject)

HangarConnection       *hangar_connection_new_session       (void);
HangarConnection       *hangar_connection_new_ssh           (const char         *id,
                                                             HangarSshTransport *transport);
const char             *hangar_connection_get_id            (HangarConnection *self);
const char             *hangar_connection_get_title         (HangarConnection *self);
HangarSshTransport     *hangar_connection_get_transport     (HangarConnection *self);
void                    hangar_connection_connect           (HangarConnection *self);
void                    hangar_connection_disconnect        (HangarConnection *self);
HangarConnectionStatus  hangar_connection_get_status        (HangarConnection *self);
const char             *hangar_connection_get_error_message (HangarConnection *self);
HangarMachineList      *hangar_connection_get_machines      (HangarConnection *self);
HangarDBusHost1        *hangar_connection_get_host          (HangarConnection *self);
void                    hangar_connection_set_statistics_interval (HangarConnection *self,
                                                                   guint             interval_ms);
HangarStatsSeries      *hangar_connection_get_host_series   (HangarConnection *self);
guint64                 hangar_connection_get_host_memory_total (HangarConnection *self);

G_END_DECLS
