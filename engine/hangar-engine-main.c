/* hangar-engine-main.c: hangar-engine [--stdio | --console UUID KIND]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Without options: the session bus service. With --stdio: the same objects served
 * peer to peer over standard input and output, for a client at the other end of an
 * SSH pipe. When the user's engine already runs, --stdio relays the pipe to it (its
 * engine.sock); otherwise it becomes that engine, serves engine.sock too, and ends once
 * its pipe and every relayed peer have closed. Machines run on either way.
 * With --console: one machine's console bridged to standard input and output.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "hangar-dbus.h"
#include "hangar-engine.h"
#include "hangar-engine-application.h"
#include "hangar-engine-server.h"
#include "hangar-error.h"
#include "hangar-local-engine.h"
#include "hangar-relay.h"

typedef struct
{
  GMainLoop          *loop;
  HangarEngineServer *server;
  gboolean            pipe_closed;
} StdioEngine;

static void
quit_when_unused (StdioEngine *stdio)
{
  if (stdio->pipe_closed &&
      (stdio->server == NULL || hangar_engine_server_get_n_peers (stdio->server) == 0))
    g_main_loop_quit (stdio->loop);
}

static void
on_peers_changed (HangarEngineServer *server,
                  StdioEngine        *stdio)
{
  quit_when_unused (stdio);
}

static void
on_peer_closed (GDBusConnection *connection,
                gboolean         remote_peer_vanished,
                GError          *error,
                gpointer         user_data)
{
  StdioEngine *stdio = user_data;

  stdio->pipe_closed = TRUE;
  quit_when_unused (stdio);
}

/* Standard input and output to @fd, both ways, until either side ends. */
static int
relay_stdio (int fd)
{
  g_autoptr(GError) error = NULL;
  gboolean done = hangar_relay (STDIN_FILENO, STDOUT_FILENO, fd, &error);

  close (fd);
  if (!done)
    {
      g_printerr ("hangar-engine: %s\n", error->message);
      return 1;
    }
  return 0;
}

static int
run_stdio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarEngineServer) server = NULL;
  StdioEngine stdio = { 0 };
  g_autoptr(HangarEngine) engine = NULL;
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) output = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_autoptr(GIOStream) stream = g_simple_io_stream_new (input, output);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *guid = g_dbus_generate_guid ();
  int fd;

  /* One engine per user: the one that runs (started on the session bus if the user has
   * one) takes this pipe. */
  fd = hangar_local_engine_connect (TRUE, NULL);
  if (fd >= 0)
    return relay_stdio (fd);

  engine = hangar_engine_new (&error);
  if (engine == NULL)
    {
      g_printerr ("hangar-engine: %s\n", error->message);
      return 1;
    }
  server = hangar_engine_server_new (engine, &error);
  if (server == NULL)
    {
      /* The pipe still works; only a second session of this user will not. */
      g_message ("Not serving engine.sock: %s", error->message);
      g_clear_error (&error);
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
  stdio.loop = loop;
  stdio.server = server;
  g_signal_connect (connection, "closed", G_CALLBACK (on_peer_closed), &stdio);
  if (server != NULL)
    g_signal_connect (server, "peers-changed", G_CALLBACK (on_peers_changed), &stdio);
  hangar_engine_export (engine, connection);
  g_dbus_connection_start_message_processing (connection);
  hangar_engine_run_autostart (engine);

  g_main_loop_run (loop);
  if (server != NULL)
    g_signal_handlers_disconnect_by_data (server, &stdio);
  g_signal_handlers_disconnect_by_data (connection, &stdio);
  g_clear_object (&server);
  hangar_engine_unexport (engine);
  return 0;
}

static gboolean
console_kind_is_valid (const char *kind)
{
  return g_str_equal (kind, "vnc") || g_str_equal (kind, "spice") || g_str_equal (kind, "serial");
}

/* Asks the user's running engine for @uuid's @kind console; returns its fd or -1. */
static int
open_console (const char  *uuid,
              const char  *kind,
              GError     **error)
{
  g_autoptr(GDBusConnection) connection = hangar_local_engine_connection (error);
  g_autoptr(HangarDBusHost1) host = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) handle = NULL;
  g_autofree char *path = NULL;

  if (connection == NULL)
    return -1;
  host = hangar_dbus_host1_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                           NULL, ENGINE_OBJECT_PATH "/host", NULL, error);
  if (host == NULL ||
      !hangar_dbus_host1_call_lookup_machine_sync (host, uuid, &path, NULL, error))
    return -1;
  machine = hangar_dbus_machine1_proxy_new_sync (connection,
                                                 G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                                 NULL, path, NULL, error);
  if (machine == NULL ||
      !hangar_dbus_machine1_call_open_console_sync (machine, kind, NULL, &handle, &fds, NULL,
                                                    error))
    return -1;
  return g_unix_fd_list_get (fds, g_variant_get_handle (handle), error);
}

static int
run_console (const char *uuid,
             const char *kind)
{
  g_autoptr(GError) error = NULL;
  int fd;

  if (!console_kind_is_valid (kind))
    {
      g_printerr (_("hangar-engine: no console kind “%s”; use vnc, spice or serial\n"), kind);
      return 2;
    }
  hangar_error_quark (); /* the engine's named errors, before the first call */
  fd = open_console (uuid, kind, &error);
  if (fd < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        g_printerr (_("hangar-engine: no engine runs for this user on this host, so no "
                      "machine runs either (%s)\n"), error->message);
      else
        {
          g_dbus_error_strip_remote_error (error);
          g_printerr ("hangar-engine: %s\n", error->message);
        }
      return 1;
    }
  return relay_stdio (fd);
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

  /* A client that goes away mid-write ends a relay, not the process with a signal. */
  signal (SIGPIPE, SIG_IGN);

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--stdio"))
        return run_stdio ();
      if (g_str_equal (argv[i], "--console"))
        {
          if (argc - i != 3)
            {
              g_printerr (_("hangar-engine: --console takes a machine (UUID or name) and a "
                            "kind: vnc, spice or serial\n"));
              return 2;
            }
          return run_console (argv[i + 1], argv[i + 2]);
        }
      if (g_str_equal (argv[i], "--version"))
        {
          g_print ("hangar-engine %s\n", PACKAGE_VERSION);
          return 0;
        }
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          g_print (_("Usage: hangar-engine [--stdio | --console MACHINE vnc|spice|serial]\n\n"
                     "Runs the virtual machines of this user and serves them over D-Bus:\n"
                     "on the session bus as %s, or with --stdio\n"
                     "peer to peer over standard input and output (for remote hosts);\n"
                     "when this user's engine already runs, --stdio connects to it.\n"
                     "--console bridges a running machine's console to standard input and\n"
                     "output.\n"),
                   ENGINE_BUS_NAME);
          return 0;
        }
      g_printerr (_("hangar-engine: unknown option “%s”; see --help\n"), argv[i]);
      return 2;
    }

  app = hangar_engine_application_new ();
  return g_application_run (G_APPLICATION (app), 1, argv);
}
