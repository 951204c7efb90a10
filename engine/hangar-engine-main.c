/* hangar-engine-main.c: hangar-engine [--stdio | --console UUID KIND]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Without options: the session bus service. With --stdio: the same objects served
 * peer to peer over standard input and output, for a client at the other end of an
 * SSH pipe. --stdio only relays the pipe to the user's engine (its engine.sock); when
 * none runs it first starts one apart from the SSH session (--serve-socket, internal:
 * engine.sock alone, ending once its last peer has gone), so that a session ends with
 * its own pipe whoever else is connected. Machines run on either way.
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
#include "hangar-paths.h"
#include "hangar-relay.h"

/* How long --stdio waits for the socket of the engine it (or another session) starts. */
#define STARTING_ENGINE_WAIT_MS 10000
/* How long an engine started by --stdio waits for its first peer. */
#define SOCKET_ENGINE_FIRST_PEER_S 30

typedef struct
{
  GMainLoop          *loop;
  HangarEngineServer *server;
  gboolean            pipe_closed;
  guint               idle_id;
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

static gboolean
on_no_first_peer (gpointer user_data)
{
  StdioEngine *stdio = user_data;

  stdio->idle_id = 0;
  quit_when_unused (stdio);
  return G_SOURCE_REMOVE;
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

/* `hangar-engine --serve-socket`, started by --stdio when no engine runs: the user's
 * engine on engine.sock alone, in a session of its own with no terminal or pipe, so that
 * no SSH session waits on it. It ends once its last peer has gone (or if none comes). */
static int
run_socket_engine (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarEngine) engine = NULL;
  g_autoptr(HangarEngineServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  StdioEngine stdio = { .loop = loop, .pipe_closed = TRUE };

  engine = hangar_engine_new (&error);
  if (engine != NULL)
    server = hangar_engine_server_new (engine, &error);
  if (server == NULL)
    {
      g_printerr ("hangar-engine: %s\n", error->message);
      return 1;
    }
  stdio.server = server;
  g_signal_connect (server, "peers-changed", G_CALLBACK (on_peers_changed), &stdio);
  /* The session that started it connects within moments; if it never does, end. */
  stdio.idle_id = g_timeout_add_seconds (SOCKET_ENGINE_FIRST_PEER_S, on_no_first_peer, &stdio);
  hangar_engine_run_autostart (engine);
  g_main_loop_run (loop);
  g_clear_handle_id (&stdio.idle_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (server, &stdio);
  g_clear_object (&server);
  hangar_engine_unexport (engine);
  return 0;
}

static void
detach (gpointer user_data)
{
  setsid ();
}

/* Starts the user's engine apart from this session (its log in the runtime folder). */
static gboolean
start_socket_engine (GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *root = hangar_paths_runtime_root ();
  g_autofree char *log = g_build_filename (root, "engine.log", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", error);
  g_autoptr(GSubprocess) engine = NULL;

  if (self == NULL || !hangar_paths_ensure_dir (root, 0700, error))
    return FALSE;
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, detach, NULL, NULL);
  engine = g_subprocess_launcher_spawn (launcher, error, self, "--serve-socket", NULL);
  return engine != NULL;
}

static int
run_stdio (void)
{
  g_autoptr(GError) error = NULL;
  int fd;

  /* One engine per user: the one that runs (started on the session bus if the user has
   * one) takes this pipe. */
  fd = hangar_local_engine_connect (TRUE, NULL);
  if (fd >= 0)
    return relay_stdio (fd);

  /* None runs: start one apart from this session, which only relays to it, as every
   * other session does: the SSH session ends with its pipe whoever else is connected. */
  if (!start_socket_engine (&error))
    {
      g_printerr ("hangar-engine: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < STARTING_ENGINE_WAIT_MS / 20 && fd < 0; i++)
    {
      g_usleep (20 * 1000);
      fd = hangar_local_engine_connect (FALSE, i == STARTING_ENGINE_WAIT_MS / 20 - 1 ?
                                                &error : NULL);
    }
  if (fd < 0)
    {
      g_autofree char *root = hangar_paths_runtime_root ();
      g_printerr (_("hangar-engine: the engine did not start; see %s/engine.log (%s)\n"),
                  root, error ? error->message : "");
      return 1;
    }
  return relay_stdio (fd);
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
      if (g_str_equal (argv[i], "--serve-socket"))
        return run_socket_engine ();
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
