/* hangar-host-impl-stats.c: Host1's statistics: interval, subscriptions, history
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A subscriber is a unique bus name; the engine watches it and forgets its
 * subscriptions when it leaves the bus, so a window that crashed does not keep the
 * engine polling QEMU. On a peer-to-peer connection (hangar-engine --stdio) there is
 * no name: the one peer subscribes as "peer".
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-host-impl.h"
#include "hangar-statistics.h"

#define WATCHES_KEY "hangar-statistics-watches"
#define PEER_KEY "hangar-statistics-peer"

static HangarStatistics *
statistics_of (HangarDBusHost1 *host)
{
  return hangar_engine_get_statistics (hangar_host_impl_get_engine (HANGAR_HOST_IMPL (host)));
}

/* A bus client's unique name; on a peer-to-peer connection, which has none, a name of
 * the connection's own host object (each connection has one). */
static const char *
subscriber_name (HangarDBusHost1       *host,
                 GDBusMethodInvocation *invocation)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  return sender != NULL ? sender : g_object_get_data (G_OBJECT (host), PEER_KEY);
}

static gboolean
handle_set_statistics_interval (HangarDBusHost1       *host,
                                GDBusMethodInvocation *invocation,
                                guint                  interval_ms)
{
  GError *error = NULL;

  if (!hangar_statistics_set_interval (statistics_of (host), interval_ms, &error))
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  hangar_dbus_host1_set_statistics_interval (host, interval_ms);
  hangar_dbus_host1_complete_set_statistics_interval (host, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

typedef struct
{
  HangarStatistics *statistics;
  GHashTable       *watches;   /* name → watch id, owned by the host object */
} Watch;

static void
on_subscriber_vanished (GDBusConnection *connection,
                        const char      *name,
                        gpointer         user_data)
{
  Watch *watch = user_data;

  g_debug ("statistics subscriber %s left", name);
  hangar_statistics_unsubscribe (watch->statistics, name, TRUE);
  /* Removing the watch frees @watch: nothing after this line. */
  g_hash_table_remove (watch->watches, name);
}

static void
unwatch (gpointer id)
{
  g_bus_unwatch_name (GPOINTER_TO_UINT (id));
}

static gboolean
handle_subscribe_statistics (HangarDBusHost1       *host,
                             GDBusMethodInvocation *invocation)
{
  GHashTable *watches = g_object_get_data (G_OBJECT (host), WATCHES_KEY);
  const char *name = subscriber_name (host, invocation);

  if (g_dbus_method_invocation_get_sender (invocation) != NULL &&
      !g_hash_table_contains (watches, name))
    {
      Watch *watch = g_new0 (Watch, 1);
      guint id;

      watch->statistics = statistics_of (host);
      watch->watches = watches;
      id = g_bus_watch_name_on_connection (g_dbus_method_invocation_get_connection (invocation),
                                           name, G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
                                           on_subscriber_vanished, watch, g_free);
      g_hash_table_insert (watches, g_strdup (name), GUINT_TO_POINTER (id));
    }
  hangar_statistics_subscribe (statistics_of (host), name);
  hangar_dbus_host1_complete_subscribe_statistics (host, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_unsubscribe_statistics (HangarDBusHost1       *host,
                               GDBusMethodInvocation *invocation)
{
  hangar_statistics_unsubscribe (statistics_of (host), subscriber_name (host, invocation), FALSE);
  hangar_dbus_host1_complete_unsubscribe_statistics (host, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_statistics_history (HangarDBusHost1       *host,
                               GDBusMethodInvocation *invocation,
                               const char * const    *uuids,
                               guint                  max_samples)
{
  GVariant *history = hangar_statistics_get_history (statistics_of (host), uuids, max_samples);

  hangar_dbus_host1_complete_get_statistics_history (host, invocation, history);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_sample (HangarStatistics *statistics,
           gint64            timestamp,
           GVariant         *host_values,
           GVariant         *samples,
           HangarDBusHost1  *host)
{
  hangar_dbus_host1_emit_statistics (host, timestamp, host_values, samples);
}

void
_hangar_host_impl_stats_iface_init (HangarDBusHost1Iface *iface)
{
  iface->handle_set_statistics_interval = handle_set_statistics_interval;
  iface->handle_subscribe_statistics = handle_subscribe_statistics;
  iface->handle_unsubscribe_statistics = handle_unsubscribe_statistics;
  iface->handle_get_statistics_history = handle_get_statistics_history;
}

void
_hangar_host_impl_stats_init (HangarHostImpl *self)
{
  HangarDBusHost1 *host = HANGAR_DBUS_HOST1 (self);
  HangarStatistics *statistics = statistics_of (host);

  g_object_set_data_full (G_OBJECT (self), PEER_KEY, g_strdup_printf ("peer-%p", self), g_free);
  g_object_set_data_full (G_OBJECT (self), WATCHES_KEY,
                          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unwatch),
                          (GDestroyNotify) g_hash_table_unref);
  hangar_dbus_host1_set_statistics_interval (host, hangar_statistics_get_interval (statistics));
  g_signal_connect_object (statistics, "sample", G_CALLBACK (on_sample), self, 0);
}

/* The peer-to-peer connection of this host object has closed: what it subscribed ends. */
void
hangar_host_impl_forget_peer (HangarHostImpl *self)
{
  HangarDBusHost1 *host = HANGAR_DBUS_HOST1 (self);

  hangar_statistics_unsubscribe (statistics_of (host), g_object_get_data (G_OBJECT (self),
                                                                          PEER_KEY), TRUE);
}
