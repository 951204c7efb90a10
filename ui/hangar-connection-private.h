/* hangar-connection-private.h: shared by hangar-connection.c and hangar-connection-stats.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-connection.h"
#include "hangar-ssh-transport.h"

G_BEGIN_DECLS

#define MACHINE_OBJECT_PATH_PREFIX ENGINE_OBJECT_PATH "/machine/"

struct _HangarConnection
{
  GObject                 parent_instance;

  GBusType                bus_type;
  HangarSshTransport     *transport;         /* NULL: the session bus */
  char                   *id;                /* of the saved connection; NULL for local */
  char                   *title;
  GCancellable           *cancellable;
  GDBusConnection        *bus;
  GDBusObjectManager     *manager;
  HangarMachineList      *machines;
  HangarDBusHost1        *host;
  GSignalGroup           *host_signals;
  guint                   statistics_interval;
  guint                   reconnect_delay;   /* ms before the first retry; 0: none */
  guint                   reconnect_attempts;
  guint                   reconnect_id;

  HangarConnectionStatus  status;
  char                   *error_message;

  HangarStatsSeries      *host_series;       /* NULL until someone asks for it */
  guint64                 host_memory_total;
};

void _hangar_connection_send_statistics_interval  (HangarConnection *self);
void _hangar_connection_subscribe_statistics      (HangarConnection *self);
void _hangar_connection_fetch_host_history        (HangarConnection *self);
void _hangar_connection_on_statistics             (HangarConnection *self,
                                                   gint64            timestamp,
                                                   GVariant         *host_values,
                                                   GVariant         *samples,
                                                   HangarDBusHost1  *host);
void _hangar_connection_notify_host_memory_total  (HangarConnection *self);

G_END_DECLS
