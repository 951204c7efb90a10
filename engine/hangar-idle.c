/* hangar-idle.c: whether the engine has anything to do
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The engine is idle when no machine is active, no job runs and no client is
 * connected. A client is a bus peer that has called the engine (any method, the
 * ObjectManager's and Properties' too) and is still on the bus: a filter on the
 * connection notes each new sender, and a name watch forgets it when it leaves. The
 * filter runs in GDBus's worker thread, and may still run after it is removed: it
 * keeps only a Shared of its own, hands each new sender's name to the main context and
 * reaches the HangarIdle there through a weak reference.
 *
 * "idle" is a property: the application holds itself while it is FALSE and lets the
 * GApplication inactivity timeout end the engine once it has been TRUE that long.
 * Running QEMUs are no concern of an exit: they outlive the engine either way.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include "hangar-idle.h"

/* What the filter uses, in the worker thread. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  GHashTable      *seen;      /* unique names passed on to the main context; under lock */
  GMainContext    *context;
  GWeakRef         idle;
} Shared;

struct _HangarIdle
{
  GObject          parent_instance;

  HangarEngine    *engine;
  GDBusConnection *connection;
  Shared          *shared;
  guint            filter_id;
  GHashTable      *clients;   /* unique name → name watch id; main context only */
  gboolean         idle;
};

enum {
  PROP_0,
  PROP_IDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HangarIdle, hangar_idle, G_TYPE_OBJECT)

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref);
  return shared;
}

static void
shared_unref (gpointer data)
{
  Shared *shared = data;

  if (!g_atomic_ref_count_dec (&shared->ref))
    return;
  g_mutex_clear (&shared->lock);
  g_hash_table_unref (shared->seen);
  g_main_context_unref (shared->context);
  g_weak_ref_clear (&shared->idle);
  g_free (shared);
}

static void
update (HangarIdle *self)
{
  gboolean idle = g_hash_table_size (self->clients) == 0 &&
                  !hangar_engine_is_busy (self->engine);

  if (idle == self->idle)
    return;
  self->idle = idle;
  g_debug ("The engine is %s", idle ? "idle" : "busy");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
}

static void
on_client_vanished (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  HangarIdle *self = user_data;

  g_mutex_lock (&self->shared->lock);
  g_hash_table_remove (self->shared->seen, name);
  g_mutex_unlock (&self->shared->lock);
  /* Removing the entry unwatches the name. */
  g_hash_table_remove (self->clients, name);
  update (self);
}

typedef struct
{
  Shared *shared;
  char   *sender;
} NewClient;

static gboolean
add_client (gpointer data)
{
  NewClient *client = data;
  g_autoptr(HangarIdle) self = g_weak_ref_get (&client->shared->idle);
  guint watch;

  if (self == NULL || g_hash_table_contains (self->clients, client->sender))
    return G_SOURCE_REMOVE;
  watch = g_bus_watch_name_on_connection (self->connection, client->sender,
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
                                          on_client_vanished, self, NULL);
  g_hash_table_insert (self->clients, g_strdup (client->sender), GUINT_TO_POINTER (watch));
  update (self);
  return G_SOURCE_REMOVE;
}

static void
new_client_free (gpointer data)
{
  NewClient *client = data;

  shared_unref (client->shared);
  g_free (client->sender);
  g_free (client);
}

static GDBusMessage *
filter (GDBusConnection *connection,
        GDBusMessage    *message,
        gboolean         incoming,
        gpointer         user_data)
{
  Shared *shared = user_data;
  const char *sender = g_dbus_message_get_sender (message);
  gboolean is_new;

  if (!incoming || sender == NULL ||
      g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL ||
      g_str_equal (sender, "org.freedesktop.DBus"))
    return message;

  g_mutex_lock (&shared->lock);
  is_new = g_hash_table_add (shared->seen, g_strdup (sender));
  g_mutex_unlock (&shared->lock);
  if (is_new)
    {
      NewClient *client = g_new0 (NewClient, 1);

      client->shared = shared_ref (shared);
      client->sender = g_strdup (sender);
      g_main_context_invoke_full (shared->context, G_PRIORITY_DEFAULT, add_client, client,
                                  new_client_free);
    }
  return message;
}

static void
unwatch (gpointer id)
{
  g_bus_unwatch_name (GPOINTER_TO_UINT (id));
}

static void
hangar_idle_dispose (GObject *object)
{
  HangarIdle *self = HANGAR_IDLE (object);

  if (self->filter_id != 0)
    {
      g_dbus_connection_remove_filter (self->connection, self->filter_id);
      self->filter_id = 0;
    }
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (hangar_idle_parent_class)->dispose (object);
}

static void
hangar_idle_finalize (GObject *object)
{
  HangarIdle *self = HANGAR_IDLE (object);

  g_clear_pointer (&self->shared, shared_unref);
  G_OBJECT_CLASS (hangar_idle_parent_class)->finalize (object);
}

static void
hangar_idle_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HangarIdle *self = HANGAR_IDLE (object);

  switch (prop_id)
    {
    case PROP_IDLE:
      g_value_set_boolean (value, self->idle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_idle_class_init (HangarIdleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_idle_dispose;
  object_class->finalize = hangar_idle_finalize;
  object_class->get_property = hangar_idle_get_property;

  properties[PROP_IDLE] =
    g_param_spec_boolean ("idle", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hangar_idle_init (HangarIdle *self)
{
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unwatch);
  self->shared = g_new0 (Shared, 1);
  g_atomic_ref_count_init (&self->shared->ref);
  g_mutex_init (&self->shared->lock);
  self->shared->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->shared->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->shared->idle, self);
}

static void
on_activity_changed (HangarEngine *engine,
                     HangarIdle   *self)
{
  update (self);
}

/**
 * hangar_idle_new:
 * @connection: the bus connection the engine's objects are exported on
 *
 * Must be made in the engine's main context: clients are counted there.
 */
HangarIdle *
hangar_idle_new (HangarEngine    *engine,
                 GDBusConnection *connection)
{
  HangarIdle *self = g_object_new (HANGAR_TYPE_IDLE, NULL);

  self->engine = g_object_ref (engine);
  self->connection = g_object_ref (connection);
  g_signal_connect (engine, "activity-changed", G_CALLBACK (on_activity_changed), self);
  self->filter_id = g_dbus_connection_add_filter (connection, filter, shared_ref (self->shared),
                                                  shared_unref);
  self->idle = !hangar_engine_is_busy (engine);
  return self;
}

gboolean
hangar_idle_is_idle (HangarIdle *self)
{
  g_return_val_if_fail (HANGAR_IS_IDLE (self), FALSE);

  return self->idle;
}

guint
hangar_idle_get_clients (HangarIdle *self)
{
  g_return_val_if_fail (HANGAR_IS_IDLE (self), 0);

  return g_hash_table_size (self->clients);
}
