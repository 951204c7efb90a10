/* hangar-connection.c: the UI's client of one engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One object per engine the UI talks to (STYLE 21). It owns the D-Bus connection and
 * the object manager client, lists the engine's machines, and says how the
 * connection stands. Windows bind to #HangarConnection:status, :error-message and
 * :machines; they never call the engine's bus themselves.
 *
 * Connecting: an object manager client does not start the service it watches, so a
 * Ping to the engine comes first and D-Bus activation starts it. Once connected, the
 * object manager client follows the engine's name: when the engine goes away its
 * machines leave the list and the status turns to FAILED; when an engine owns the
 * name again (activated by this UI through hangar_connection_connect(), by hangarctl
 * or by systemd) the machines come back and the status turns to CONNECTED.
 *
 * A remote host is another transport behind the same object: a HangarSshTransport
 * runs `ssh … hangar-engine --stdio` and gives a peer-to-peer connection. There is
 * no bus, so no name to follow: the object manager client is made with no name,
 * and the end of the connection ("closed") is the engine going away. The version
 * of the host's engine is checked before its machines are listed.
 *
 * Statistics (the subscription, the batched signal, the histories) are in
 * hangar-connection-stats.c.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-dbus.h"
#include "hangar-remote.h"

#include "hangar-connection-private.h"
#include "hangar-ssh-transport.h"
#include "hangar-machine-history.h"
#include "hangar-machine-list.h"
#include "hangar-stats-series.h"

#define HOST_OBJECT_PATH ENGINE_OBJECT_PATH "/host"


G_DEFINE_FINAL_TYPE (HangarConnection, hangar_connection, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HangarConnectionStatus, hangar_connection_status,
  G_DEFINE_ENUM_VALUE (HANGAR_CONNECTION_STATUS_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (HANGAR_CONNECTION_STATUS_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (HANGAR_CONNECTION_STATUS_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (HANGAR_CONNECTION_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (HANGAR_CONNECTION_STATUS_DISCONNECTED, "disconnected"))

enum {
  PROP_0,
  PROP_STATUS,
  PROP_ERROR_MESSAGE,
  PROP_MACHINES,
  PROP_HOST,
  PROP_STATISTICS_INTERVAL,
  PROP_RECONNECT_DELAY,
  PROP_HOST_MEMORY_TOTAL,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The longest wait between two attempts to reach a lost engine. */
#define RECONNECT_MAX_DELAY_MS 60000

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  HangarConnection *self = user_data;

  self->reconnect_id = 0;
  hangar_connection_connect (self);
  return G_SOURCE_REMOVE;
}

/* A failed or lost connection tries again by itself, waiting twice as long each
 * time (1 s, 2 s, 4 s, … a minute): a restarted or re-activated engine is found
 * without anyone pressing Try Again, and an absent one costs a ping a minute. */
static void
schedule_reconnect (HangarConnection *self)
{
  guint delay;

  if (self->reconnect_delay == 0 || self->reconnect_id != 0)
    return;

  delay = self->reconnect_delay;
  for (guint i = 0; i < self->reconnect_attempts && delay < RECONNECT_MAX_DELAY_MS; i++)
    delay *= 2;
  delay = MIN (delay, RECONNECT_MAX_DELAY_MS);
  self->reconnect_attempts++;

  g_debug ("Trying %s again in %u ms", self->title, delay);
  self->reconnect_id = g_timeout_add (delay, on_reconnect_timeout, self);
}

static void
set_status (HangarConnection       *self,
            HangarConnectionStatus  status,
            const char             *error_message)
{
  g_object_freeze_notify (G_OBJECT (self));

  /* The message first: a page that appears with the status shows the right text. */
  if (g_strcmp0 (self->error_message, error_message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }

  if (status == HANGAR_CONNECTION_STATUS_FAILED)
    schedule_reconnect (self);
  else
    g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (status == HANGAR_CONNECTION_STATUS_CONNECTED)
    self->reconnect_attempts = 0;

  g_object_thaw_notify (G_OBJECT (self));
}

static void
fail (HangarConnection *self,
      GError           *error)
{
  g_debug ("Connection to %s failed: %s", self->title, error->message);

  /* Already in words for a person (hangar-ssh-transport.c). Only a host that was
   * lost or not reached is tried again by itself: a refused key or login would only
   * be refused again (and ask for a password again and again). */
  if (error->domain == HANGAR_SSH_ERROR)
    {
      set_status (self, HANGAR_CONNECTION_STATUS_FAILED, error->message);
      if (error->code != HANGAR_SSH_ERROR_DROPPED && error->code != HANGAR_SSH_ERROR_UNREACHABLE &&
          error->code != HANGAR_SSH_ERROR_FAILED)
        g_clear_handle_id (&self->reconnect_id, g_source_remove);
      return;
    }

  /* No engine runs and the bus has no .service file to start one: D-Bus's own words
   * ("The name … was not provided by any .service files") mean nothing to a person. */
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN))
    {
      set_status (self, HANGAR_CONNECTION_STATUS_FAILED,
                  _("The engine is not running, and it cannot be started because its D-Bus "
                    "service is not installed."));
      return;
    }

  /* The error text without "GDBus.Error:org.freedesktop...": what the engine said. */
  g_dbus_error_strip_remote_error (error);
  set_status (self, HANGAR_CONNECTION_STATUS_FAILED, error->message);
}

static void
update_host (HangarConnection *self)
{
  g_autoptr(GDBusInterface) host = NULL;
  g_autofree char *owner = NULL;

  if (self->manager != NULL)
    owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (self->manager));
  /* Peer to peer, the connection is the engine: no name has an owner. */
  if (owner != NULL || (self->manager != NULL && self->transport != NULL))
    host = g_dbus_object_manager_get_interface (self->manager, HOST_OBJECT_PATH,
                                                "io.github.hangarvm.Hangar.Host1");
  if (host != NULL && !HANGAR_DBUS_IS_HOST1 (host))
    g_clear_object (&host);

  if (g_set_object (&self->host, (HangarDBusHost1 *) host))
    {
      g_signal_group_set_target (self->host_signals, self->host);
      _hangar_connection_send_statistics_interval (self);
      if (self->host != NULL)
        _hangar_connection_subscribe_statistics (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
    }
}

static void update_remote (HangarConnection *self);

static void
on_object_added (HangarConnection *self,
                 GDBusObject      *object)
{
  if (!g_str_equal (g_dbus_object_get_object_path (object), HOST_OBJECT_PATH))
    return;
  if (self->transport != NULL && self->status == HANGAR_CONNECTION_STATUS_CONNECTING)
    update_remote (self);
  else
    update_host (self);
}

static void drop_remote (HangarConnection *self);

/* A peer-to-peer engine has no name: it is there while the connection is open. */
static void
update_remote (HangarConnection *self)
{
  g_autoptr(GError) error = NULL;

  update_host (self);
  /* The engine exports its objects to a new peer as it comes: wait for the host. */
  if (self->host == NULL)
    return;
  if (!hangar_remote_check_engine_version (self->title,
                                           hangar_dbus_host1_get_engine_version (self->host),
                                           &error))
    {
      /* Its machines are not shown: calls they would make may not exist there. Not
       * tried again by itself: only an update on the host helps. */
      drop_remote (self);
      hangar_ssh_transport_close (self->transport);
      set_status (self, HANGAR_CONNECTION_STATUS_FAILED, error->message);
      g_clear_handle_id (&self->reconnect_id, g_source_remove);
      return;
    }
  set_status (self, HANGAR_CONNECTION_STATUS_CONNECTED, NULL);
}

static void
update_from_name_owner (HangarConnection *self)
{
  GDBusObjectManagerClient *client = G_DBUS_OBJECT_MANAGER_CLIENT (self->manager);
  g_autofree char *owner = NULL;

  if (self->transport != NULL)
    {
      update_remote (self);
      return;
    }

  owner = g_dbus_object_manager_client_get_name_owner (client);
  update_host (self);

  if (owner != NULL)
    set_status (self, HANGAR_CONNECTION_STATUS_CONNECTED, NULL);
  else
    set_status (self, HANGAR_CONNECTION_STATUS_FAILED,
                _("The engine has stopped. Machines that were running go on running."));
}

static void
on_name_owner_changed (HangarConnection *self)
{
  /* While a Ping is out, its answer decides. */
  if (self->status == HANGAR_CONNECTION_STATUS_CONNECTING)
    return;

  update_from_name_owner (self);
}

static void
on_manager_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HangarConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusObjectManager) manager = NULL;

  manager = hangar_dbus_object_manager_client_new_finish (result, &error);
  if (manager == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error);
      return;
    }

  self->manager = g_steal_pointer (&manager);
  if (self->transport == NULL)
    g_signal_connect_object (self->manager, "notify::name-owner",
                             G_CALLBACK (on_name_owner_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "object-added",
                           G_CALLBACK (on_object_added), self, G_CONNECT_SWAPPED);
  hangar_machine_list_set_manager (self->machines, self->manager);

  update_from_name_owner (self);
}

static void
new_manager (HangarConnection *self)
{
  /* Peer to peer there is no bus, so no name: the objects come from the peer. */
  hangar_dbus_object_manager_client_new (self->bus,
                                         G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                         self->transport != NULL ? NULL : ENGINE_BUS_NAME,
                                         ENGINE_OBJECT_PATH,
                                         self->cancellable,
                                         on_manager_ready,
                                         g_object_ref (self));
}

/* The host's engine, its ssh or the network went away: what was shown of it goes. */
static void
drop_remote (HangarConnection *self)
{
  hangar_machine_list_set_manager (self->machines, NULL);
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->manager, self);
      g_clear_object (&self->manager);
    }
  update_host (self);
  if (self->bus != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->bus, self);
      /* Closed now, not when ssh's end reaches its worker thread: it holds the
       * transport (for consoles) until it is finalized. */
      g_dbus_connection_close (self->bus, NULL, NULL, NULL);
      g_clear_object (&self->bus);
    }
}

static void
on_remote_closed (HangarConnection *self,
                  gboolean          remote_peer_vanished,
                  GError           *error,
                  GDBusConnection  *bus)
{
  g_autoptr(GError) why = hangar_ssh_transport_take_exit_error (self->transport);

  drop_remote (self);
  hangar_ssh_transport_close (self->transport);
  /* The usual end is ssh killed or the network gone, said plainly. */
  if (why == NULL || why->code == HANGAR_SSH_ERROR_DROPPED)
    {
      g_clear_error (&why);
      why = g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_DROPPED,
                         _("The connection to the host was lost. Machines that were running "
                           "there go on running."));
    }
  fail (self, why);
}

static void
on_transport_opened (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HangarConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  self->bus = hangar_ssh_transport_open_finish (HANGAR_SSH_TRANSPORT (source), result, &error);
  if (self->bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error);
      return;
    }
  g_signal_connect_object (self->bus, "closed", G_CALLBACK (on_remote_closed), self,
                           G_CONNECT_SWAPPED);
  new_manager (self);
}

static void
on_pinged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HangarConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error);
      return;
    }

  /* Reconnecting: the object manager client found the new engine by itself. */
  if (self->manager != NULL)
    {
      update_from_name_owner (self);
      return;
    }

  new_manager (self);
}

static void
ping (HangarConnection *self)
{
  g_assert (self->bus != NULL);

  /* Any call to the name activates the engine; Peer.Ping is the cheapest. */
  g_dbus_connection_call (self->bus,
                          ENGINE_BUS_NAME,
                          ENGINE_OBJECT_PATH,
                          "org.freedesktop.DBus.Peer",
                          "Ping",
                          NULL,
                          NULL,
                          G_DBUS_CALL_FLAGS_NONE,
                          -1,
                          self->cancellable,
                          on_pinged,
                          g_object_ref (self));
}

static void
on_bus_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  self->bus = g_bus_get_finish (result, &error);
  if (self->bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error);
      return;
    }

  ping (self);
}

static void
hangar_connection_dispose (GObject *object)
{
  HangarConnection *self = HANGAR_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->host_signals != NULL)
    g_signal_group_set_target (self->host_signals, NULL);
  g_clear_object (&self->host_signals);
  g_clear_object (&self->host);
  g_clear_object (&self->host_series);
  if (self->machines != NULL)
    hangar_machine_list_set_manager (self->machines, NULL);
  g_clear_object (&self->manager);
  g_clear_object (&self->machines);
  if (self->bus != NULL)
    g_signal_handlers_disconnect_by_data (self->bus, self);
  g_clear_object (&self->bus);
  if (self->transport != NULL)
    hangar_ssh_transport_close (self->transport);
  g_clear_object (&self->transport);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hangar_connection_parent_class)->dispose (object);
}

static void
hangar_connection_finalize (GObject *object)
{
  HangarConnection *self = HANGAR_CONNECTION (object);

  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (hangar_connection_parent_class)->finalize (object);
}

static void
hangar_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HangarConnection *self = HANGAR_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_MACHINES:
      g_value_set_object (value, self->machines);
      break;

    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;

    case PROP_STATISTICS_INTERVAL:
      g_value_set_uint (value, self->statistics_interval);
      break;

    case PROP_RECONNECT_DELAY:
      g_value_set_uint (value, self->reconnect_delay);
      break;

    case PROP_HOST_MEMORY_TOTAL:
      g_value_set_uint64 (value, self->host_memory_total);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_connection_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HangarConnection *self = HANGAR_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_STATISTICS_INTERVAL:
      hangar_connection_set_statistics_interval (self, g_value_get_uint (value));
      break;

    case PROP_RECONNECT_DELAY:
      self->reconnect_delay = g_value_get_uint (value);
      self->reconnect_attempts = 0;
      g_clear_handle_id (&self->reconnect_id, g_source_remove);
      if (self->status == HANGAR_CONNECTION_STATUS_FAILED)
        schedule_reconnect (self);
      g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_connection_class_init (HangarConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_connection_dispose;
  object_class->finalize = hangar_connection_finalize;
  object_class->get_property = hangar_connection_get_property;
  object_class->set_property = hangar_connection_set_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       HANGAR_TYPE_CONNECTION_STATUS,
                       HANGAR_CONNECTION_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarConnection:error-message:
   *
   * Why the engine cannot be reached, when #HangarConnection:status is FAILED.
   */
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarConnection:machines:
   *
   * The engine's machines, a #GListModel of #HangarDBusMachine1. The same object for
   * the connection's whole life: it empties while the engine is away.
   */
  properties[PROP_MACHINES] =
    g_param_spec_object ("machines", NULL, NULL,
                         HANGAR_TYPE_MACHINE_LIST,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HangarConnection:host:
   *
   * The engine's Host1 object, %NULL while not connected. Windows show its
   * Hostname.
   */
  properties[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL,
                         HANGAR_DBUS_TYPE_HOST1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarConnection:statistics-interval:
   *
   * Milliseconds between two statistics samples, asked of the engine on every
   * connect; 0 leaves the engine's own.
   */
  properties[PROP_STATISTICS_INTERVAL] =
    g_param_spec_uint ("statistics-interval", NULL, NULL,
                       0, 60000, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarConnection:reconnect-delay:
   *
   * Milliseconds before the first new attempt after the connection failed or the
   * engine went away; each further attempt waits twice as long, up to a minute.
   * 0: never by itself, only on hangar_connection_connect().
   */
  properties[PROP_RECONNECT_DELAY] =
    g_param_spec_uint ("reconnect-delay", NULL, NULL,
                       0, RECONNECT_MAX_DELAY_MS, 1000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarConnection:host-memory-total:
   *
   * The host's memory in bytes, from the last Statistics signal read into the host
   * series; 0 before.
   */
  properties[PROP_HOST_MEMORY_TOTAL] =
    g_param_spec_uint64 ("host-memory-total", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarConnection:title:
   *
   * What the connection is called: "user@host" for a remote host, %NULL for the
   * local engine (windows name it after its Host1.Hostname).
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hangar_connection_init (HangarConnection *self)
{
  self->bus_type = G_BUS_TYPE_SESSION;
  self->cancellable = g_cancellable_new ();
  self->machines = hangar_machine_list_new ();
  self->reconnect_delay = 1000;
  self->host_signals = g_signal_group_new (HANGAR_DBUS_TYPE_HOST1_PROXY);
  g_signal_group_connect_swapped (self->host_signals, "statistics",
                                  G_CALLBACK (_hangar_connection_on_statistics), self);
}

/**
 * hangar_connection_new_session:
 *
 * A connection to the user's engine on the session bus. It connects when
 * hangar_connection_connect() is called.
 */
HangarConnection *
hangar_connection_new_session (void)
{
  return g_object_new (HANGAR_TYPE_CONNECTION, NULL);
}

/**
 * hangar_connection_new_ssh:
 * @id: (nullable): the saved connection's id (settings)
 * @transport: (transfer none): how to reach the host
 *
 * A connection to the engine of another host, through ssh. It connects when
 * hangar_connection_connect() is called.
 */
HangarConnection *
hangar_connection_new_ssh (const char         *id,
                           HangarSshTransport *transport)
{
  HangarConnection *self;

  g_return_val_if_fail (HANGAR_IS_SSH_TRANSPORT (transport), NULL);

  self = g_object_new (HANGAR_TYPE_CONNECTION, NULL);
  self->transport = g_object_ref (transport);
  self->id = g_strdup (id);
  self->title = g_strdup (hangar_ssh_transport_get_destination (transport));
  return self;
}

const char *
hangar_connection_get_id (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  return self->id;
}

const char *
hangar_connection_get_title (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  return self->title;
}

/**
 * hangar_connection_get_transport:
 *
 * Returns: (transfer none) (nullable): the ssh transport, %NULL for the local engine
 */
HangarSshTransport *
hangar_connection_get_transport (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  return self->transport;
}

/**
 * hangar_connection_connect:
 *
 * Reaches the engine, starting it by D-Bus activation when it does not run, and
 * lists its machines. Also reconnects after a failure. Does nothing while connecting
 * or connected. Watch #HangarConnection:status for the outcome.
 */
void
hangar_connection_connect (HangarConnection *self)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  if (self->status == HANGAR_CONNECTION_STATUS_CONNECTING ||
      self->status == HANGAR_CONNECTION_STATUS_CONNECTED)
    return;

  set_status (self, HANGAR_CONNECTION_STATUS_CONNECTING, NULL);

  if (self->transport != NULL)
    {
      drop_remote (self);
      hangar_ssh_transport_open_async (self->transport, self->cancellable, on_transport_opened,
                                       g_object_ref (self));
    }
  else if (self->bus == NULL)
    g_bus_get (self->bus_type, self->cancellable, on_bus_ready, g_object_ref (self));
  else
    ping (self);
}

HangarConnectionStatus
hangar_connection_get_status (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), HANGAR_CONNECTION_STATUS_IDLE);

  return self->status;
}

const char *
hangar_connection_get_error_message (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  return self->error_message;
}

/**
 * hangar_connection_get_machines:
 *
 * Returns: (transfer none): the machines, as in #HangarConnection:machines
 */
HangarMachineList *
hangar_connection_get_machines (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  return self->machines;
}

/**
 * hangar_connection_get_host:
 *
 * Returns: (transfer none) (nullable): the engine's host object
 */
HangarDBusHost1 *
hangar_connection_get_host (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  return self->host;
}

/**
 * hangar_connection_set_statistics_interval:
 * @interval_ms: milliseconds between two samples, 0 for the engine's own
 */
void
hangar_connection_set_statistics_interval (HangarConnection *self,
                                           guint             interval_ms)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  if (self->statistics_interval == interval_ms)
    return;
  self->statistics_interval = interval_ms;
  _hangar_connection_send_statistics_interval (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATISTICS_INTERVAL]);
}

/**
 * hangar_connection_disconnect:
 *
 * Stops following the engine: its machines leave the list, and no new attempt is
 * made until hangar_connection_connect(). The engine and its machines run on.
 */
void
hangar_connection_disconnect (HangarConnection *self)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  if (self->status == HANGAR_CONNECTION_STATUS_DISCONNECTED)
    return;

  /* Calls in flight end as cancelled; the next connect starts afresh. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  hangar_machine_list_set_manager (self->machines, NULL);
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->manager, self);
      g_clear_object (&self->manager);
    }
  update_host (self);
  if (self->transport != NULL)
    {
      drop_remote (self);
      hangar_ssh_transport_close (self->transport);
    }

  set_status (self, HANGAR_CONNECTION_STATUS_DISCONNECTED, NULL);
}

/* The host's memory changed size (a Statistics signal said so). */
void
_hangar_connection_notify_host_memory_total (HangarConnection *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_MEMORY_TOTAL]);
}
