/* hangar-local-engine.c: reaching this user's running engine from another process
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `hangar-engine --stdio` and `--console`, run by sshd for a remote client, find the
 * user's engine on engine.sock (hangar-engine-server.c); when none runs and the user has
 * a session bus, a call on the bus starts the session engine first. hangar_relay()
 * (engine/api) then copies bytes between the SSH pipe and that socket.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-local-engine.h"
#include "hangar-paths.h"

#define ACTIVATION_TIMEOUT_MS 25000

static int
connect_socket (const char  *path,
                GError     **error)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof address.sun_path)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("The engine socket path “%s” is too long."), path);
      return -1;
    }
  strcpy (address.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("No engine answers on “%s”: %s"), path, g_strerror (saved));
      return -1;
    }
  return fd;
}

/* Whether this user has a session bus to ask, without starting one (GIO would try
 * X11 autolaunch, which a headless SSH session must not). */
static gboolean
have_session_bus (void)
{
  g_autofree char *bus = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);

  return g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL || g_file_test (bus, G_FILE_TEST_EXISTS);
}

static gboolean
activate_on_bus (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_session_bus ())
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus != NULL)
    reply = g_dbus_connection_call_sync (bus, ENGINE_BUS_NAME, ENGINE_OBJECT_PATH,
                                         "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                                         G_DBUS_CALL_FLAGS_NONE, ACTIVATION_TIMEOUT_MS, NULL,
                                         &error);
  if (reply == NULL)
    g_debug ("No session engine to start: %s", error->message);
  return reply != NULL;
}

/**
 * hangar_local_engine_connect:
 * @activate: when no engine listens, start the session engine through the session bus
 *   (if the user has one) and try again
 *
 * Returns: a socket connected to the running engine's engine.sock, or -1 with @error
 *   (G_IO_ERROR_NOT_FOUND or G_IO_ERROR_CONNECTION_REFUSED when no engine runs).
 */
int
hangar_local_engine_connect (gboolean   activate,
                             GError   **error)
{
  g_autofree char *path = hangar_paths_engine_socket ();
  g_autoptr(GError) local_error = NULL;
  int fd = connect_socket (path, &local_error);

  if (fd < 0 && activate && activate_on_bus ())
    {
      g_clear_error (&local_error);
      fd = connect_socket (path, &local_error);
    }
  if (fd < 0)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return fd;
}

/**
 * hangar_local_engine_connection:
 *
 * Returns: a D-Bus connection (unix fds included) to the running engine, started
 *   through the session bus if needed.
 */
GDBusConnection *
hangar_local_engine_connection (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) stream = NULL;
  int fd = hangar_local_engine_connect (TRUE, error);

  if (fd < 0)
    return NULL;
  socket = g_socket_new_from_fd (fd, error);
  if (socket == NULL)
    {
      close (fd);
      return NULL;
    }
  stream = g_socket_connection_factory_create_connection (socket);
  return g_dbus_connection_new_sync (G_IO_STREAM (stream), NULL,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL, NULL,
                                     error);
}
