/* hangar-engine-main.c: hangar-engine [--stdio]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Without options: the session bus service. With --stdio: the same objects served
 * peer to peer over standard input and output, for a client at the other end of an
 * SSH pipe; the engine ends when that pipe closes.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "hangar-engine.h"
#include "hangar-engine-application.h"

static void
on_peer_closed (GDBusConnection *connection,
                gboolean         remote_peer_vanished,
                GError          *error,
                gpointer         user_data)
{
  g_main_loop_quit (user_data);
}

static int
run_stdio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarEngine) engine = NULL;
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) output = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_autoptr(GIOStream) stream = g_simple_io_stream_new (input, output);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *guid = g_dbus_generate_guid ();

  engine = hangar_engine_new (&error);
  if (engine == NULL)
    {
      g_printerr ("hangar-engine: %s\n", error->message);
      return 1;
    }

  /* The pipe is as private as the SSH session that carries it. */
  connection = g_dbus_connection_new_sync (stream, guid,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_ALLOW_ANONYMOUS |
                                           G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
                                           NULL, NULL, &error);
  if (connection == NULL)
    {
      g_printerr ("hangar-engine: %s\n", error->message);
      return 1;
    }
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  g_signal_connect (connection, "closed", G_CALLBACK (on_peer_closed), loop);
  hangar_engine_export (engine, connection);
  g_dbus_connection_start_message_processing (connection);
  hangar_engine_run_autostart (engine);

  g_main_loop_run (loop);
  hangar_engine_unexport (engine);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HangarEngineApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--stdio"))
        return run_stdio ();
      if (g_str_equal (argv[i], "--version"))
        {
          g_print ("hangar-engine %s\n", PACKAGE_VERSION);
          return 0;
        }
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          g_print (_("Usage: hangar-engine [--stdio]\n\n"
                     "Runs the virtual machines of this user and serves them over D-Bus:\n"
                     "on the session bus as %s, or with --stdio\n"
                     "peer to peer over standard input and output (for remote hosts).\n"),
                   ENGINE_BUS_NAME);
          return 0;
        }
      g_printerr (_("hangar-engine: unknown option “%s”; see --help\n"), argv[i]);
      return 2;
    }

  app = hangar_engine_application_new ();
  return g_application_run (G_APPLICATION (app), 1, argv);
}
