/* hangar-ssh-transport.c: an engine on another host, reached through OpenSSH
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The system's ssh client runs `hangar-engine --stdio` on the host; its standard
 * input and output carry peer-to-peer D-Bus (no message bus, so no names: the
 * object manager client is made with a NULL name). Every ssh of one host shares a
 * master connection (ControlMaster in $XDG_RUNTIME_DIR/hangar), so a console,
 * which is another `ssh … hangar-engine --console UUID KIND` on a socketpair,
 * costs a channel and not a login.
 *
 * Questions (passwords, passphrases, an unknown host key) go to hangar-askpass
 * (SSH_ASKPASS, SSH_ASKPASS_REQUIRE=force): ssh has no terminal here. What ssh
 * writes on its standard error is kept (the last few kilobytes) to say why it
 * ended: hangar_ssh_transport_classify() turns the exit status and those words into
 * a HangarSshError a person can act on.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hangar-ssh-transport.h"

/* How long an idle master connection stays after the last channel closed. */
#define CONTROL_PERSIST "60"
/* The tail of ssh's standard error kept to explain its end. */
#define STDERR_KEEP 8192

struct _HangarSshTransport
{
  GObject       parent_instance;

  char         *destination;
  guint         port;
  char         *identity_file;

  GSubprocess  *process;       /* the engine's channel, while it runs */
  GString      *stderr_text;   /* of that process */
  GCancellable *cancellable;   /* of the process's reads and wait */
  GTask        *open_task;     /* while opening */
  gboolean      dbus_failed;   /* while opening: waiting for ssh's end to say why */
  GError       *exit_error;    /* why the process ended, once it has */
  GPtrArray    *consoles;      /* GSubprocess of open console channels */
  GError       *dbus_error;    /* while opening: why D-Bus failed while ssh ran on */
  guint         kill_id;       /* ends an ssh that runs on after D-Bus failed */
};

G_DEFINE_FINAL_TYPE (HangarSshTransport, hangar_ssh_transport, G_TYPE_OBJECT)

G_DEFINE_QUARK (hangar-ssh-error-quark, hangar_ssh_error)

/* ---- what ssh said ------------------------------------------------------------ */

static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = g_strv_length (lines); i > 0; i--)
    {
      g_strstrip (lines[i - 1]);
      if (lines[i - 1][0] != '\0')
        return g_strdup (lines[i - 1]);
    }
  return g_strdup ("");
}

static const char *
find_line_with (const char  *text,
                const char * const *needles,
                char       **line)
{
  for (guint i = 0; needles[i] != NULL; i++)
    {
      const char *hit = strstr (text, needles[i]);
      const char *start, *end;

      if (hit == NULL)
        continue;
      start = hit;
      while (start > text && start[-1] != '\n')
        start--;
      end = strchr (hit, '\n');
      *line = g_strstrip (g_strndup (start, end != NULL ? (gsize) (end - start) : strlen (start)));
      return needles[i];
    }
  return NULL;
}

/* OpenSSH's warning, its facts without its advice: the WARNING line (without the
 * frame of @ signs), the fingerprint the host sent, the known_hosts line that holds
 * the old key and how to remove it. Hangar's own sentence says what to fear. */
static char *
host_key_warning (const char *text)
{
  static const char * const kept[] = {
    "WARNING:", "The fingerprint for", "SHA256:", "MD5:", "Offending", "ssh-keygen", NULL
  };
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) warning = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gboolean keep = FALSE;

      g_strstrip (g_strdelimit (lines[i], "@", ' '));
      for (guint k = 0; kept[k] != NULL && !keep; k++)
        keep = g_str_has_prefix (lines[i], kept[k]);
      if (!keep)
        continue;
      if (warning->len > 0)
        g_string_append_c (warning, '\n');
      g_string_append (warning, lines[i]);
    }
  return g_string_free (g_steal_pointer (&warning), FALSE);
}

/**
 * hangar_ssh_transport_classify:
 * @exit_status: ssh's exit status, or -1 when it was killed by a signal
 * @stderr_text: (nullable): what ssh and the remote command wrote on standard error
 *
 * Why an ssh ended, in words a person can act on. Pure, for the tests.
 *
 * Returns: (transfer full): the error
 */
GError *
hangar_ssh_transport_classify (int         exit_status,
                               const char *stderr_text)
{
  static const char * const unreachable[] = {
    "Could not resolve hostname", "Connection refused", "No route to host",
    "Connection timed out", "Network is unreachable", "Name or service not known", NULL
  };
  static const char * const authentication[] = {
    "Permission denied", "Too many authentication failures", NULL
  };
  const char *text = stderr_text != NULL ? stderr_text : "";
  g_autofree char *line = NULL;

  if (exit_status == -1)
    return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_DROPPED,
                        _("The connection to the host was lost. Machines that were running "
                          "there go on running."));

  if (strstr (text, "REMOTE HOST IDENTIFICATION HAS CHANGED") != NULL)
    {
      g_autofree char *warning = host_key_warning (text);

      return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_HOST_KEY_CHANGED,
                          _("The host’s key has changed, so Hangar did not connect. Someone "
                            "may be intercepting the connection, or the host was reinstalled. "
                            "OpenSSH says:\n%s"), warning);
    }
  if (strstr (text, "Host key verification failed") != NULL)
    return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_HOST_KEY_REFUSED,
                        _("The host’s key was not accepted, so Hangar did not connect."));
  if (exit_status == 255 && find_line_with (text, authentication, &line) != NULL)
    return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_AUTHENTICATION,
                        _("The host refused the login. Check the user name, the identity file "
                          "or the password. (%s)"), line);
  if (exit_status == 255 && find_line_with (text, unreachable, &line) != NULL)
    return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_UNREACHABLE,
                        _("The host cannot be reached. (%s)"), line);
  if (exit_status == 127)
    return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_ENGINE_MISSING,
                        _("Hangar is not installed on the host: it has no “hangar-engine” "
                          "command. Install Hangar there (on Debian: “sudo apt install "
                          "hangar”), then try again."));
  if (exit_status == 255)
    {
      line = last_line (text);
      return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_FAILED,
                          _("ssh failed: %s"), *line != '\0' ? line : _("no reason given"));
    }
  if (exit_status == 0)
    return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_DROPPED,
                        _("The connection to the host was closed. Machines that were running "
                          "there go on running."));

  line = last_line (text);
  return g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_FAILED,
                      _("The engine on the host stopped with status %d: %s"), exit_status,
                      *line != '\0' ? line : _("no reason given"));
}

/* ---- the command line --------------------------------------------------------- */

/**
 * hangar_ssh_transport_check:
 *
 * Whether a destination ("user@host" or "host"), port (0: ssh's own) and identity
 * file (nullable) make a usable connection. The dialog calls it before saving.
 */
gboolean
hangar_ssh_transport_check (const char  *destination,
                            guint        port,
                            const char  *identity_file,
                            GError     **error)
{
  const char *host;

  if (destination == NULL || destination[0] == '\0')
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_INVALID,
                   _("Enter the host, as “user@host” or “host”."));
      return FALSE;
    }
  host = strrchr (destination, '@');
  host = host != NULL ? host + 1 : destination;
  /* A leading "-" would be an ssh option; blanks and quotes are no part of a name. */
  if (destination[0] == '-' || host[0] == '\0' || host == destination + 1 ||
      strpbrk (destination, " \t\n\"'`$;\\") != NULL)
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_INVALID,
                   _("“%s” is not a host name. Enter it as “user@host” or “host”."),
                   destination);
      return FALSE;
    }
  if (port > 65535)
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_INVALID,
                   _("The port must be between 1 and 65535."));
      return FALSE;
    }
  if (identity_file != NULL && identity_file[0] != '\0' &&
      !g_file_test (identity_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_INVALID,
                   _("The identity file “%s” does not exist."), identity_file);
      return FALSE;
    }
  return TRUE;
}

static char *
control_dir (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "hangar", NULL);
}

/**
 * hangar_ssh_transport_build_argv:
 * @remote_command: the command to run on the host, one word an element
 *
 * The ssh command line. $HANGAR_SSH_CONFIG, when set, names an ssh_config file
 * used instead of the user's (the tests' known_hosts and keys).
 *
 * Returns: (transfer full): the argument vector
 */
GStrv
hangar_ssh_transport_build_argv (HangarSshTransport *self,
                                 const char * const *remote_command)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *dir = control_dir ();
  g_autofree char *control_path = g_strdup_printf ("ControlPath=%s/ssh-%%C", dir);
  const char *config = g_getenv ("HANGAR_SSH_CONFIG");

  g_return_val_if_fail (HANGAR_IS_SSH_TRANSPORT (self), NULL);

  g_strv_builder_add_many (builder, "ssh", "-T", "-o", "ControlMaster=auto",
                           "-o", control_path, "-o", "ControlPersist=" CONTROL_PERSIST,
                           "-o", "ServerAliveInterval=15", NULL);
  if (config != NULL && config[0] != '\0')
    g_strv_builder_add_many (builder, "-F", config, NULL);
  if (self->port != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", self->port);

      g_strv_builder_add_many (builder, "-p", port, NULL);
    }
  if (self->identity_file != NULL)
    g_strv_builder_add_many (builder, "-i", self->identity_file,
                             "-o", "IdentitiesOnly=yes", NULL);
  g_strv_builder_add_many (builder, "--", self->destination, NULL);
  g_strv_builder_addv (builder, (const char **) remote_command);
  return g_strv_builder_end (builder);
}

static GSubprocessLauncher *
make_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  const char *askpass = g_getenv ("HANGAR_ASKPASS");
  g_autofree char *dir = control_dir ();

  g_mkdir_with_parents (dir, 0700);
  g_subprocess_launcher_setenv (launcher, "SSH_ASKPASS",
                                askpass != NULL ? askpass : LIBEXECDIR "/hangar-askpass", TRUE);
  g_subprocess_launcher_setenv (launcher, "SSH_ASKPASS_REQUIRE", "force", TRUE);
  return launcher;
}

/* ---- the engine's channel ------------------------------------------------------ */

static GQuark
transport_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("hangar-ssh-transport");
  return quark;
}

/**
 * hangar_ssh_transport_for_proxy:
 *
 * Returns: (transfer none) (nullable): the transport that carries @proxy's
 *   connection, %NULL for a local engine's
 */
HangarSshTransport *
hangar_ssh_transport_for_proxy (GDBusProxy *proxy)
{
  g_return_val_if_fail (G_IS_DBUS_PROXY (proxy), NULL);

  return g_object_get_qdata (G_OBJECT (g_dbus_proxy_get_connection (proxy)), transport_quark ());
}

static void read_stderr (HangarSshTransport *self);

static void
keep_stderr (HangarSshTransport *self,
             const char         *data,
             gsize               length)
{
  g_string_append_len (self->stderr_text, data, length);
  if (self->stderr_text->len > STDERR_KEEP)
    g_string_erase (self->stderr_text, 0, self->stderr_text->len - STDERR_KEEP);
}

static void
on_stderr_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HangarSshTransport) self = user_data;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0 || self->process == NULL ||
      g_subprocess_get_stderr_pipe (self->process) != G_INPUT_STREAM (source))
    return;
  keep_stderr (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_stderr (self);
}

static void
read_stderr (HangarSshTransport *self)
{
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (self->process), 4096,
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   on_stderr_read, g_object_ref (self));
}

/* What is in the pipe when ssh has ended and the reads have not caught up. */
static void
drain_stderr (HangarSshTransport *self)
{
  GInputStream *pipe = g_subprocess_get_stderr_pipe (self->process);
  char buffer[4096];
  gssize n;

  if (!G_IS_POLLABLE_INPUT_STREAM (pipe))
    return;
  while ((n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (pipe), buffer,
                                                        sizeof buffer, NULL, NULL)) > 0)
    keep_stderr (self, buffer, n);
}

static void
finish_open_with_exit_error (HangarSshTransport *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

  g_task_return_error (task, g_error_copy (self->exit_error));
}

static gboolean
on_kill_timeout (gpointer user_data)
{
  HangarSshTransport *self = user_data;

  self->kill_id = 0;
  if (self->process != NULL)
    g_subprocess_force_exit (self->process);
  return G_SOURCE_REMOVE;
}

static void
on_process_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HangarSshTransport) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  int status;

  if (!g_subprocess_wait_finish (process, result, NULL) || process != self->process)
    return;

  drain_stderr (self);
  status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_debug ("ssh to %s ended (status %d): %s", self->destination, status, self->stderr_text->str);
  g_clear_error (&self->exit_error);
  g_clear_handle_id (&self->kill_id, g_source_remove);
  if (status == -1 && self->dbus_error != NULL)
    self->exit_error = g_error_new (HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_FAILED,
                                    _("The host did not answer as a Hangar engine: %s"),
                                    self->dbus_error->message);
  else
    self->exit_error = hangar_ssh_transport_classify (status, self->stderr_text->str);
  g_clear_error (&self->dbus_error);

  if (self->open_task != NULL && self->dbus_failed)
    finish_open_with_exit_error (self);
}

static void
on_dbus_connection_ready (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(HangarSshTransport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GTask) task = NULL;

  connection = g_dbus_connection_new_finish (result, &error);
  if (self->open_task == NULL)
    return;

  if (connection != NULL)
    {
      task = g_steal_pointer (&self->open_task);
      g_dbus_connection_set_exit_on_close (connection, FALSE);
      /* Proxies made on it find their way back here for consoles. */
      g_object_set_qdata_full (G_OBJECT (connection), transport_quark (), g_object_ref (self),
                               g_object_unref);
      g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      task = g_steal_pointer (&self->open_task);
      g_task_return_error (task, g_steal_pointer (&error));
      hangar_ssh_transport_close (self);
      return;
    }

  /* ssh ended (or is ending) before any D-Bus was spoken: its end says why. */
  g_debug ("No D-Bus over ssh to %s: %s", self->destination, error->message);
  self->dbus_failed = TRUE;
  if (self->exit_error != NULL)
    {
      finish_open_with_exit_error (self);
      return;
    }
  /* Normally ssh has closed its output because it is ending. If it runs on (the host
   * wrote something that is not D-Bus), it is ended after a while. */
  self->dbus_error = g_steal_pointer (&error);
  self->kill_id = g_timeout_add_seconds (5, on_kill_timeout, self);
}

/**
 * hangar_ssh_transport_open_async:
 *
 * Runs `ssh … hangar-engine --stdio` and speaks D-Bus to it. A transport runs one
 * such process at a time: opening again ends the previous one.
 */
void
hangar_ssh_transport_open_async (HangarSshTransport  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_auto(GStrv) argv = NULL;
  const char *command[] = { "hangar-engine", "--stdio", NULL };

  g_return_if_fail (HANGAR_IS_SSH_TRANSPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_ssh_transport_open_async);

  hangar_ssh_transport_close (self);
  if (!hangar_ssh_transport_check (self->destination, self->port, self->identity_file, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  argv = hangar_ssh_transport_build_argv (self, command);
  launcher = make_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  if (self->process == NULL)
    {
      g_task_return_new_error (task, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_FAILED,
                               _("Cannot run ssh: %s"), error->message);
      return;
    }

  self->cancellable = g_cancellable_new ();
  g_string_truncate (self->stderr_text, 0);
  g_clear_error (&self->exit_error);
  self->dbus_failed = FALSE;
  self->open_task = g_steal_pointer (&task);
  read_stderr (self);
  g_subprocess_wait_async (self->process, self->cancellable, on_process_exited,
                           g_object_ref (self));

  stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (self->process),
                                   g_subprocess_get_stdin_pipe (self->process));
  g_dbus_connection_new (stream, NULL, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL,
                         cancellable, on_dbus_connection_ready, g_object_ref (self));
}

/**
 * hangar_ssh_transport_open_finish:
 *
 * Returns: (transfer full): the peer-to-peer connection to the host's engine
 */
GDBusConnection *
hangar_ssh_transport_open_finish (HangarSshTransport  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hangar_ssh_transport_take_exit_error:
 *
 * Why the engine's ssh ended, once it has (the connection's "closed" signal can come
 * first: wait for it then); %NULL while it runs.
 *
 * Returns: (transfer full) (nullable): the error
 */
GError *
hangar_ssh_transport_take_exit_error (HangarSshTransport *self)
{
  g_return_val_if_fail (HANGAR_IS_SSH_TRANSPORT (self), NULL);

  return g_steal_pointer (&self->exit_error);
}

/**
 * hangar_ssh_transport_get_pid:
 *
 * Returns: (nullable): the process id of the engine's ssh, while it runs
 */
const char *
hangar_ssh_transport_get_pid (HangarSshTransport *self)
{
  g_return_val_if_fail (HANGAR_IS_SSH_TRANSPORT (self), NULL);

  return self->process != NULL ? g_subprocess_get_identifier (self->process) : NULL;
}

/**
 * hangar_ssh_transport_close:
 *
 * Ends the engine's ssh and every console's. The master connection stays for
 * ControlPersist seconds, for a quick reconnect. The host's machines run on.
 */
void
hangar_ssh_transport_close (HangarSshTransport *self)
{
  g_return_if_fail (HANGAR_IS_SSH_TRANSPORT (self));

  if (self->open_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection was closed while it was being made."));
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->kill_id, g_source_remove);
  g_clear_error (&self->dbus_error);
  if (self->process != NULL)
    {
      g_subprocess_force_exit (self->process);
      g_clear_object (&self->process);
    }
  for (guint i = 0; i < self->consoles->len; i++)
    g_subprocess_force_exit (g_ptr_array_index (self->consoles, i));
  g_ptr_array_set_size (self->consoles, 0);
}

static void
on_master_stopped (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
}

/**
 * hangar_ssh_transport_stop_master:
 *
 * Ends the engine's ssh, the consoles' and the shared master connection
 * (`ssh -O exit`): a host that is removed keeps no login behind. The host's
 * machines run on.
 */
void
hangar_ssh_transport_stop_master (HangarSshTransport *self)
{
  const char *command[] = { NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) full = NULL;

  g_return_if_fail (HANGAR_IS_SSH_TRANSPORT (self));

  hangar_ssh_transport_close (self);

  /* The same options (so the same ControlPath), with "-O exit" before the "--". */
  argv = hangar_ssh_transport_build_argv (self, command);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (g_str_equal (argv[i], "--"))
        g_strv_builder_add_many (builder, "-O", "exit", NULL);
      g_strv_builder_add (builder, argv[i]);
    }
  full = g_strv_builder_end (builder);
  launcher = make_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) full, NULL);
  if (process != NULL)
    g_subprocess_wait_async (process, NULL, on_master_stopped, NULL);
}

/* ---- consoles ------------------------------------------------------------------ */

static void
on_console_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HangarSshTransport) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_ptr_array_remove (self->consoles, source);
}

/**
 * hangar_ssh_transport_open_console_async:
 * @kind: "vnc", "spice" or "serial"
 *
 * Runs `ssh … hangar-engine --console UUID KIND` on one end of a socketpair and
 * gives the other end, which a display widget takes as it takes OpenConsole's fd.
 * SPICE asks once per channel.
 */
void
hangar_ssh_transport_open_console_async (HangarSshTransport  *self,
                                         const char          *uuid,
                                         const char          *kind,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  const char *command[] = { "hangar-engine", "--console", uuid, kind, NULL };
  int fds[2];

  g_return_if_fail (HANGAR_IS_SSH_TRANSPORT (self));
  g_return_if_fail (uuid != NULL && kind != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_ssh_transport_open_console_async);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot make a socket for the console: %s"),
                               g_strerror (saved_errno));
      return;
    }

  argv = hangar_ssh_transport_build_argv (self, command);
  launcher = make_launcher (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (fds[1]));
  g_subprocess_launcher_take_stdout_fd (launcher, fds[1]);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  if (process == NULL)
    {
      close (fds[0]);
      g_task_return_new_error (task, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_FAILED,
                               _("Cannot run ssh: %s"), error->message);
      return;
    }

  g_ptr_array_add (self->consoles, g_object_ref (process));
  g_subprocess_wait_async (process, NULL, on_console_exited, g_object_ref (self));
  g_task_return_int (task, fds[0]);
}

/**
 * hangar_ssh_transport_open_console_finish:
 *
 * Returns: a connected socket to the console (owned by the caller), or -1
 */
int
hangar_ssh_transport_open_console_finish (HangarSshTransport  *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------------- */

static void
hangar_ssh_transport_dispose (GObject *object)
{
  HangarSshTransport *self = HANGAR_SSH_TRANSPORT (object);

  hangar_ssh_transport_close (self);

  G_OBJECT_CLASS (hangar_ssh_transport_parent_class)->dispose (object);
}

static void
hangar_ssh_transport_finalize (GObject *object)
{
  HangarSshTransport *self = HANGAR_SSH_TRANSPORT (object);

  g_assert (self->open_task == NULL);
  g_clear_pointer (&self->destination, g_free);
  g_clear_pointer (&self->identity_file, g_free);
  g_string_free (self->stderr_text, TRUE);
  g_clear_error (&self->exit_error);
  g_clear_pointer (&self->consoles, g_ptr_array_unref);

  G_OBJECT_CLASS (hangar_ssh_transport_parent_class)->finalize (object);
}

static void
hangar_ssh_transport_class_init (HangarSshTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_ssh_transport_dispose;
  object_class->finalize = hangar_ssh_transport_finalize;
}

static void
hangar_ssh_transport_init (HangarSshTransport *self)
{
  self->stderr_text = g_string_new (NULL);
  self->consoles = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * hangar_ssh_transport_new:
 * @destination: "user@host" or "host"
 * @port: the SSH port, 0 for ssh's own choice
 * @identity_file: (nullable): a private key file, or %NULL for ssh's own keys
 */
HangarSshTransport *
hangar_ssh_transport_new (const char *destination,
                          guint       port,
                          const char *identity_file)
{
  HangarSshTransport *self;

  g_return_val_if_fail (destination != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_SSH_TRANSPORT, NULL);
  self->destination = g_strdup (destination);
  self->port = port;
  self->identity_file = identity_file != NULL && identity_file[0] != '\0' ?
                        g_strdup (identity_file) : NULL;
  return self;
}

const char *
hangar_ssh_transport_get_destination (HangarSshTransport *self)
{
  g_return_val_if_fail (HANGAR_IS_SSH_TRANSPORT (self), NULL);

  return self->destination;
}

guint
hangar_ssh_transport_get_port (HangarSshTransport *self)
{
  g_return_val_if_fail (HANGAR_IS_SSH_TRANSPORT (self), 0);

  return self->port;
}

const char *
hangar_ssh_transport_get_identity_file (HangarSshTransport *self)
{
  g_return_val_if_fail (HANGAR_IS_SSH_TRANSPORT (self), NULL);

  return self->identity_file;
}
