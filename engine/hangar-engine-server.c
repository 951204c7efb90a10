/* hangar-engine-server.c: the engine's objects on engine.sock, for the same user only
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The one engine of a user also serves peer-to-peer D-Bus on a unix socket in its
 * runtime folder, so that a second `hangar-engine --stdio` (an SSH session of the same
 * user) relays to it instead of failing on the lock. The folder is 0700 and the socket
 * 0600, and a peer is let in only when the credentials the kernel gives for it name this
 * process's own uid: a process of another user is refused even when it holds a connected
 * socket. ANONYMOUS is allowed because a relayed client at the far end of SSH has its own
 * uid, which EXTERNAL would claim; the relay's credentials are what is checked.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hangar-engine-server.h"
#include "hangar-error.h"
#include "hangar-paths.h"

struct _HangarEngineServer
{
  GObject            parent_instance;

  HangarEngine      *engine;
  GDBusServer       *server;
  GDBusAuthObserver *observer;
  GPtrArray         *peers;      /* GDBusConnection */
  char              *path;
};

enum {
  SIGNAL_PEERS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarEngineServer, hangar_engine_server, G_TYPE_OBJECT)

static gboolean
on_allow_mechanism (GDBusAuthObserver *observer,
                    const char        *mechanism,
                    gpointer           user_data)
{
  return g_str_equal (mechanism, "EXTERNAL") || g_str_equal (mechanism, "ANONYMOUS");
}

static gboolean
on_authorize_peer (GDBusAuthObserver *observer,
                   GIOStream         *stream,
                   GCredentials      *credentials,
                   gpointer           user_data)
{
  uid_t uid;

  if (credentials == NULL)
    {
      g_message ("Refused a peer on engine.sock that gave no credentials");
      return FALSE;
    }
  uid = g_credentials_get_unix_user (credentials, NULL);
  if (uid != getuid ())
    {
      g_message ("Refused a peer of uid %u on engine.sock: only uid %u may connect",
                 (guint) uid, (guint) getuid ());
      return FALSE;
    }
  return TRUE;
}

static void
on_peer_closed (GDBusConnection    *connection,
                gboolean            remote_peer_vanished,
                GError             *error,
                HangarEngineServer *self)
{
  g_signal_handlers_disconnect_by_data (connection, self);
  hangar_engine_unexport_connection (self->engine, connection);
  g_ptr_array_remove (self->peers, connection);
  g_signal_emit (self, signals[SIGNAL_PEERS_CHANGED], 0);
}

static gboolean
on_new_connection (GDBusServer        *server,
                   GDBusConnection    *connection,
                   HangarEngineServer *self)
{
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  g_ptr_array_add (self->peers, g_object_ref (connection));
  g_signal_connect (connection, "closed", G_CALLBACK (on_peer_closed), self);
  hangar_engine_export (self->engine, connection);
  g_signal_emit (self, signals[SIGNAL_PEERS_CHANGED], 0);
  return TRUE;
}

static void
hangar_engine_server_dispose (GObject *object)
{
  HangarEngineServer *self = HANGAR_ENGINE_SERVER (object);

  if (self->server != NULL)
    {
      g_dbus_server_stop (self->server);
      g_clear_object (&self->server);
      /* Whatever GDBusServer left, the socket must go: nobody answers it any more. */
      g_unlink (self->path);
    }
  for (guint i = 0; self->peers != NULL && i < self->peers->len; i++)
    {
      GDBusConnection *peer = g_ptr_array_index (self->peers, i);

      g_signal_handlers_disconnect_by_data (peer, self);
      hangar_engine_unexport_connection (self->engine, peer);
      g_dbus_connection_close (peer, NULL, NULL, NULL);
    }
  g_clear_pointer (&self->peers, g_ptr_array_unref);
  g_clear_object (&self->observer);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (hangar_engine_server_parent_class)->dispose (object);
}

static void
hangar_engine_server_finalize (GObject *object)
{
  HangarEngineServer *self = HANGAR_ENGINE_SERVER (object);

  g_free (self->path);
  G_OBJECT_CLASS (hangar_engine_server_parent_class)->finalize (object);
}

static void
hangar_engine_server_class_init (HangarEngineServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_engine_server_dispose;
  object_class->finalize = hangar_engine_server_finalize;

  /* A peer came or went: see hangar_engine_server_get_n_peers(). */
  signals[SIGNAL_PEERS_CHANGED] =
    g_signal_new ("peers-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hangar_engine_server_init (HangarEngineServer *self)
{
  self->peers = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * hangar_engine_server_new:
 * @engine: an engine that holds the user's lock
 *
 * Listens on $XDG_RUNTIME_DIR/hangar/engine.sock (a socket left there by an engine
 * that died is replaced: the lock says no other engine runs).
 */
HangarEngineServer *
hangar_engine_server_new (HangarEngine  *engine,
                          GError       **error)
{
  g_autoptr(HangarEngineServer) self = g_object_new (HANGAR_TYPE_ENGINE_SERVER, NULL);
  g_autofree char *guid = g_dbus_generate_guid ();
  g_autofree char *escaped = NULL;
  g_autofree char *address = NULL;
  mode_t old_umask;

  self->engine = g_object_ref (engine);
  self->path = hangar_paths_engine_socket ();
  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not remove the old engine socket “%s”: %s"), self->path,
                   g_strerror (saved));
      return NULL;
    }
  escaped = g_dbus_address_escape_value (self->path);
  address = g_strconcat ("unix:path=", escaped, NULL);

  self->observer = g_dbus_auth_observer_new ();
  g_signal_connect (self->observer, "allow-mechanism", G_CALLBACK (on_allow_mechanism), NULL);
  g_signal_connect (self->observer, "authorize-authenticated-peer",
                    G_CALLBACK (on_authorize_peer), NULL);

  /* Born 0600: there is no moment at which another user could open it. */
  old_umask = umask (0177);
  self->server = g_dbus_server_new_sync (address,
                                         G_DBUS_SERVER_FLAGS_AUTHENTICATION_ALLOW_ANONYMOUS,
                                         guid, self->observer, NULL, error);
  umask (old_umask);
  if (self->server == NULL)
    return NULL;
  if (chmod (self->path, 0600) != 0)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not make the engine socket “%s” private: %s"), self->path,
                   g_strerror (saved));
      return NULL;
    }
  g_signal_connect (self->server, "new-connection", G_CALLBACK (on_new_connection), self);
  g_dbus_server_start (self->server);
  return g_steal_pointer (&self);
}

guint
hangar_engine_server_get_n_peers (HangarEngineServer *self)
{
  g_return_val_if_fail (HANGAR_IS_ENGINE_SERVER (self), 0);

  return self->peers->len;
}
