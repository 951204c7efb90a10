/* hangarctl-remote.c: hangarctl --connect ssh://…, and the console verb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A remote engine is `ssh -T [-p PORT] [-i KEY] user@host hangar-engine --stdio` with
 * peer-to-peer D-Bus over the pipe; every verb then runs as against the session bus.
 * ssh runs with BatchMode: a script is never asked a question. What goes wrong is said
 * by hangar_remote_ssh_error() and hangar_remote_check_engine_version() (engine/api).
 */
#define G_LOG_DOMAIN "hangarctl"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-relay.h"
#include "hangar-remote.h"

#include "hangarctl-private.h"

static const char * const batch_options[] = { "-o", "BatchMode=yes", NULL };

/* ssh ended or failed before the engine answered: why, from its status and stderr. */
static GError *
ssh_failure (const HangarRemoteAddress *address,
             GSubprocess               *ssh)
{
  g_autoptr(GBytes) said = NULL;
  GInputStream *err = g_subprocess_get_stderr_pipe (ssh);
  g_autoptr(GByteArray) text = g_byte_array_new ();
  char buffer[4096];
  gssize n;

  /* ssh has ended or is ending: its stderr is short. */
  g_subprocess_wait (ssh, NULL, NULL);
  while ((n = g_input_stream_read (err, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (text, (guint8 *) buffer, n);
  g_byte_array_append (text, (guint8 *) "", 1);
  return hangar_remote_ssh_error (address, g_subprocess_get_status (ssh),
                                  (const char *) text->data);
}

/**
 * hangarctl_remote_connect:
 *
 * Connects to the engine of @ctl->remote over SSH: fills @ctl->ssh, @ctl->connection
 * and @ctl->manager, after the version handshake.
 */
gboolean
hangarctl_remote_connect (Ctl     *ctl,
                          GError **error)
{
  g_auto(GStrv) argv = hangar_remote_ssh_argv (ctl->remote, ctl->identity, batch_options,
                                               "hangar-engine --stdio");
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GDBusObject) host_object = NULL;
  g_autoptr(HangarDBusHost1) host = NULL;
  g_autoptr(GError) local_error = NULL;

  ctl->ssh = g_subprocess_newv ((const char * const *) argv,
                                G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (ctl->ssh == NULL)
    return FALSE;
  stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (ctl->ssh),
                                   g_subprocess_get_stdin_pipe (ctl->ssh));
  ctl->connection = g_dbus_connection_new_sync (stream, NULL,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                                NULL, NULL, &local_error);
  if (ctl->connection != NULL)
    {
      g_dbus_connection_set_exit_on_close (ctl->connection, FALSE);
      ctl->manager = hangar_dbus_object_manager_client_new_sync (
        ctl->connection, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE, NULL, ENGINE_OBJECT_PATH,
        NULL, &local_error);
    }
  if (ctl->manager == NULL)
    {
      g_debug ("No engine over SSH: %s", local_error->message);
      g_propagate_error (error, ssh_failure (ctl->remote, ctl->ssh));
      return FALSE;
    }
  host_object = g_dbus_object_manager_get_object (ctl->manager, ENGINE_OBJECT_PATH "/host");
  host = host_object ? hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host_object)) : NULL;
  if (!hangar_remote_check_engine_version (ctl->remote->host,
                                           host ? hangar_dbus_host1_get_engine_version (host) :
                                                  NULL,
                                           error))
    return FALSE;
  return TRUE;
}

/* Closes the connection; the remote engine (or its relay) ends with the pipe. */
void
hangarctl_remote_disconnect (Ctl *ctl)
{
  if (ctl->connection != NULL && !g_dbus_connection_is_closed (ctl->connection))
    g_dbus_connection_close_sync (ctl->connection, NULL, NULL);
  if (ctl->ssh != NULL)
    g_subprocess_wait (ctl->ssh, NULL, NULL);
  g_clear_object (&ctl->manager);
  g_clear_object (&ctl->connection);
  g_clear_object (&ctl->ssh);
}

/* An error of a call to a remote engine whose connection has gone: say that, not GIO's
 * words. Returns NULL when @error is something else. */
GError *
hangarctl_remote_dropped (Ctl          *ctl,
                          const GError *error)
{
  if (ctl->remote == NULL || ctl->connection == NULL ||
      !(g_dbus_connection_is_closed (ctl->connection) ||
        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)))
    return NULL;
  return g_error_new (HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_DROPPED,
                      _("The connection to %s dropped (%s); its machines keep running."),
                      ctl->remote->host, error->message);
}

int
hangarctl_check_console (const Verb *verb,
                         int         argc,
                         char      **argv)
{
  if (argc < 2 || argc > 3)
    return hangarctl_usage_error (verb->name, _("give a machine and, optionally, a kind"));
  if (argc == 3 && !g_str_equal (argv[2], "vnc") && !g_str_equal (argv[2], "spice") &&
      !g_str_equal (argv[2], "serial"))
    return hangarctl_usage_error (verb->name, _("the kind is vnc, spice or serial"));
  return 0;
}

/* The console on standard input and output: through `hangar-engine --console` on a
 * remote host, or the fd of Machine1.OpenConsole here. */
int
hangarctl_console (Ctl        *ctl,
                   const Verb *verb,
                   int         argc,
                   char      **argv)
{
  const char *kind = argc == 3 ? argv[2] : "serial";
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;

  machine = hangarctl_find_machine (ctl, argv[1], &error);
  if (machine == NULL)
    return hangarctl_print_error (error);

  if (ctl->remote != NULL)
    {
      g_autofree char *command = g_strdup_printf ("hangar-engine --console %s %s",
                                                  hangar_dbus_machine1_get_uuid (machine), kind);
      g_auto(GStrv) ssh_argv = hangar_remote_ssh_argv (ctl->remote, ctl->identity, batch_options,
                                                       command);
      g_autoptr(GSubprocess) bridge = g_subprocess_newv ((const char * const *) ssh_argv,
                                                         G_SUBPROCESS_FLAGS_STDIN_INHERIT,
                                                         &error);

      if (bridge == NULL || !g_subprocess_wait (bridge, NULL, &error))
        return hangarctl_print_error (error);
      return g_subprocess_get_if_exited (bridge) && g_subprocess_get_exit_status (bridge) == 0 ?
             0 : EXIT_FAILED;
    }
  else
    {
      g_autoptr(GUnixFDList) fds = NULL;
      g_autoptr(GVariant) handle = NULL;
      int fd;

      if (!hangar_dbus_machine1_call_open_console_sync (machine, kind, NULL, &handle, &fds,
                                                        NULL, &error) ||
          (fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error)) < 0)
        return hangarctl_print_error (error);
      if (!hangar_relay (STDIN_FILENO, STDOUT_FILENO, fd, &error))
        {
          close (fd);
          return hangarctl_print_error (error);
        }
      close (fd);
      return 0;
    }
}
