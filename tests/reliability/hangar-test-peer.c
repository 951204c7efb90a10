/* hangar-test-peer.c: a peer of engine.sock, for test-peer-socket
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   hangar-test-peer unix:path=…   connect to that address
 *   hangar-test-peer --fd N        use the socket already connected on fd N
 *
 * Authenticates as a D-Bus client and reads Host1.EngineVersion. Prints it and exits 0,
 * or prints the error and exits 1. test-peer-socket runs it as another user.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <stdlib.h>

#include <gio/gio.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--fd"))
    {
      g_autoptr(GSocket) socket = g_socket_new_from_fd (atoi (argv[2]), &error);
      g_autoptr(GSocketConnection) stream = NULL;

      if (socket != NULL)
        {
          stream = g_socket_connection_factory_create_connection (socket);
          connection = g_dbus_connection_new_sync (G_IO_STREAM (stream), NULL,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                                   NULL, NULL, &error);
        }
    }
  else if (argc == 2)
    connection = g_dbus_connection_new_for_address_sync (
      argv[1], G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL, NULL, &error);
  else
    {
      g_printerr ("usage: hangar-test-peer ADDRESS | --fd N\n");
      return 2;
    }
  if (connection != NULL)
    reply = g_dbus_connection_call_sync (connection, NULL, ENGINE_OBJECT_PATH "/host",
                                         "org.freedesktop.DBus.Properties", "Get",
                                         g_variant_new ("(ss)",
                                                        "io.github.hangarvm.Hangar.Host1",
                                                        "EngineVersion"),
                                         G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                         NULL, &error);
  if (reply == NULL)
    {
      g_print ("refused: %s\n", error->message);
      return 1;
    }
  g_variant_get (reply, "(v)", &value);
  g_print ("%s\n", g_variant_get_string (value, NULL));
  return 0;
}
