/* hangar-machine-process.c: starting QEMU, finding it again, and noticing its end
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QEMU runs in a session of its own (setsid), writes its stderr to a file in the
 * runtime folder and listens for QMP on a socket there, so it outlives the engine.
 * The engine binds that socket itself and hands QEMU the listening fd: it can
 * connect at once, with no wait for a file to appear.
 *
 * Runtime folder:
 *   qemu.pid   "PID STARTTIME", written once QEMU runs; removed when it has ended. The
 *              start time tells a reused pid from QEMU (hangar-qemu-process.c)
 *   qemu.log   QEMU's stderr of the last run
 *   crashed    present after a crash: the error text, so an engine restart still shows it
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-machine-private.h"
#include "hangar-paths.h"
#include "hangar-qemu-argv.h"
#include "hangar-qemu-process.h"

/* QEMU's monitor socket arrives as this fd in the child. */
#define MONITOR_FD 3
/* How long ForceOff lets QMP "quit" work before it kills the process group. */
#define FORCE_OFF_GRACE_MS 3000
#define LOG_TAIL_LINES 12

static char *
runtime_file (HangarMachine *self,
              const char    *name)
{
  return g_build_filename (self->runtime_dir, name, NULL);
}

static void
remove_runtime_file (HangarMachine *self,
                     const char    *name)
{
  g_autofree char *path = runtime_file (self, name);

  g_unlink (path);
}

/* ---- the end of QEMU ------------------------------------------------------------ */

static char *
describe_exit (int      wait_status,
               gboolean known)
{
  if (!known)
    return g_strdup (_("QEMU ended unexpectedly."));
  if (WIFSIGNALED (wait_status))
    return g_strdup_printf (_("QEMU was killed by signal %d (%s)."),
                            WTERMSIG (wait_status), g_strsignal (WTERMSIG (wait_status)));
  return g_strdup_printf (_("QEMU exited with status %d."), WEXITSTATUS (wait_status));
}

/* A QEMU that was killed leaves its listening sockets behind; the logs stay. */
static void
remove_sockets (HangarMachine *self)
{
  static const char * const sockets[] = {
    HANGAR_RUNTIME_QMP_SOCKET, HANGAR_RUNTIME_VNC_SOCKET, HANGAR_RUNTIME_SPICE_SOCKET,
    HANGAR_RUNTIME_AGENT_SOCKET, "live.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    remove_runtime_file (self, sockets[i]);
  for (guint port = 0; port < 4; port++)
    {
      g_autofree char *name = g_strdup_printf (HANGAR_RUNTIME_SERIAL_SOCKET, port);
      remove_runtime_file (self, name);
    }
}

static void
complete_off_tasks (HangarMachine *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->off_tasks);

  self->off_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static void
on_restarted (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure is in the machine's state and LastError already. */
  if (!hangar_machine_start_finish (HANGAR_MACHINE (object), result, &error))
    g_debug ("%s: no restart after the install: %s",
             hangar_machine_get_name (HANGAR_MACHINE (object)), error->message);
}

/* QEMU has ended, whoever started it. @known says whether @wait_status is real. */
static void
machine_ended (HangarMachine *self,
               int            wait_status,
               gboolean       known)
{
  gboolean clean = known && WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0;
  g_autoptr(GObject) keep = g_object_ref (G_OBJECT (self));

  g_debug ("%s: QEMU %d ended", hangar_machine_get_name (self), self->pid);
  self->pid = 0;
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);
  if (self->qmp != NULL)
    hangar_qmp_close (self->qmp);
  g_clear_object (&self->process);
  _hangar_machine_stop_watching (self);
  remove_runtime_file (self, "qemu.pid");

  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);
      g_autofree char *how = describe_exit (wait_status, known);
      g_autofree char *tail = _hangar_machine_log_tail (self, LOG_TAIL_LINES);
      g_autofree char *message = g_strdup_printf (_("QEMU could not start “%s”. %s\n%s"),
                                                  hangar_machine_get_name (self), how, tail);

      _hangar_machine_set_last_error (self, g_strstrip (message));
      _hangar_machine_set_state (self, HANGAR_MACHINE_SHUT_OFF, "failed");
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED, "%s", message);
    }
  else if (self->forced)
    _hangar_machine_set_state (self, HANGAR_MACHINE_SHUT_OFF, "destroyed");
  else if (self->host_signal)
    {
      /* SIGTERM, SIGINT, SIGHUP: QEMU stopped the guest and quit, as asked. */
      _hangar_machine_set_last_error (self, _("QEMU was stopped by a signal from outside Hangar; "
                                              "the guest did not shut down."));
      _hangar_machine_set_state (self, HANGAR_MACHINE_SHUT_OFF, "killed");
    }
  else if (self->guest_shut_down || (clean && !self->panicked))
    _hangar_machine_set_state (self, HANGAR_MACHINE_SHUT_OFF, "shutdown");
  else
    {
      g_autofree char *how = self->panicked ? g_strdup (self->last_error) :
                                              describe_exit (wait_status, known);
      g_autofree char *tail = _hangar_machine_log_tail (self, LOG_TAIL_LINES);
      g_autofree char *message = g_strstrip (g_strdup_printf ("%s\n%s", how, tail));
      g_autofree char *marker = runtime_file (self, "crashed");

      g_file_set_contents (marker, message, -1, NULL);
      _hangar_machine_set_last_error (self, message);
      _hangar_machine_set_state (self, HANGAR_MACHINE_CRASHED,
                                 self->panicked ? "panicked" : "crashed");
    }

  self->forced = self->guest_shut_down = self->reboot_pending = FALSE;
  self->pause_requested = self->io_error = self->panicked = self->host_signal = FALSE;
  remove_sockets (self);
  _hangar_machine_usb_forget (self);
  g_clear_pointer (&self->live_domain, hangar_domain_unref);
  complete_off_tasks (self);

  /* The installer's kernel booted once: now the installed disk. */
  if (self->install_restart)
    {
      self->install_restart = FALSE;
      hangar_machine_start_async (self, "installed", NULL, on_restarted, NULL);
    }
}

static void
on_child_exited (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HangarMachine) self = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  if (!g_subprocess_wait_finish (process, result, NULL))
    return; /* cancelled: the engine is going away */
  if (self->process != process)
    return;
  machine_ended (self, g_subprocess_get_status (process), TRUE);
}

static gboolean
on_pidfd_ready (int           fd,
                GIOCondition  condition,
                gpointer      user_data)
{
  HangarMachine *self = user_data;

  /* Not our child: its exit status went to whoever reaps it. */
  machine_ended (self, 0, FALSE);
  return G_SOURCE_REMOVE;
}

void
_hangar_machine_stop_watching (HangarMachine *self)
{
  if (self->pidfd_source != NULL)
    {
      g_source_destroy (self->pidfd_source);
      g_clear_pointer (&self->pidfd_source, g_source_unref);
    }
  if (self->pidfd >= 0)
    {
      close (self->pidfd);
      self->pidfd = -1;
    }
}

static gboolean
watch_foreign_process (HangarMachine *self,
                       GPid           pid)
{
  self->pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  if (self->pidfd < 0)
    return FALSE;
  self->pidfd_source = g_unix_fd_source_new (self->pidfd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->pidfd_source, G_SOURCE_FUNC (on_pidfd_ready), self, NULL);
  g_source_attach (self->pidfd_source, NULL);
  return TRUE;
}

/* ---- start ------------------------------------------------------------------ */

static int
bind_monitor_socket (const char  *path,
                     GError     **error)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof address.sun_path)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("The runtime folder path “%s” is too long for a socket."), path);
      return -1;
    }
  strcpy (address.sun_path, path);
  g_unlink (path);

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  /* 0600, in a 0700 folder: the user's alone, twice over. */
  if (fd < 0 ||
      bind (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      chmod (path, 0600) != 0 ||
      listen (fd, 4) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not make QEMU’s monitor socket “%s”: %s"), path, g_strerror (saved));
      return -1;
    }
  return fd;
}

static void
child_setup (gpointer user_data)
{
  /* A session of its own: no terminal signal and no engine's end reaches QEMU. */
  setsid ();
  /* What QEMU makes (console sockets, logs) is the user's alone: 0600. */
  umask (0177);
}

static void
on_handshake (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarMachine) self = user_data;
  g_autoptr(GError) error = NULL;
  HangarQmp *qmp = HANGAR_QMP (object);

  if (!hangar_qmp_handshake_finish (qmp, result, &error))
    {
      /* QEMU ended or refused: its exit completes the start with its log. */
      g_debug ("%s: QMP handshake failed: %s", hangar_machine_get_name (self), error->message);
      g_signal_handlers_disconnect_by_data (qmp, self);
      g_clear_object (&self->qmp);
      if (self->pid > 0 && self->start_task != NULL)
        kill (-self->pid, SIGKILL);
      return;
    }

  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);
      const char *reason = g_task_get_task_data (task);
      const HangarDomainDef *def = hangar_domain_get_def (self->live_domain);

      /* QEMU has no option for it: unplug the cables the definition says are out. */
      for (guint i = 0; i < def->nets->len; i++)
        {
          HangarNetDef *net = g_ptr_array_index (def->nets, i);
          g_autoptr(JsonObject) arguments = NULL;
          g_autofree char *id = NULL, *netdev = NULL;

          if (!net->link_down)
            continue;
          hangar_qemu_net_names (net, i, &id, &netdev);
          arguments = json_object_new ();
          json_object_set_string_member (arguments, "name", id);
          json_object_set_boolean_member (arguments, "up", FALSE);
          _hangar_machine_qmp_command (self, "set_link", arguments);
        }

      _hangar_machine_query_balloon (self);
      _hangar_machine_set_state (self, HANGAR_MACHINE_RUNNING, reason);
      g_task_return_boolean (task, TRUE);
    }
}

static void
connect_monitor (HangarMachine       *self,
                 GAsyncReadyCallback  on_ready)
{
  g_autofree char *path = runtime_file (self, HANGAR_RUNTIME_QMP_SOCKET);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(HangarQmp) qmp = NULL;
  g_autoptr(GError) error = NULL;

  /* A unix socket connect never waits: the listening socket exists already. */
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, &error);
  if (socket == NULL || !g_socket_connect (socket, address, NULL, &error))
    {
      g_debug ("%s: cannot reach the monitor: %s", hangar_machine_get_name (self), error->message);
      return;
    }
  connection = g_socket_connection_factory_create_connection (socket);
  qmp = hangar_qmp_new (G_IO_STREAM (connection));
  _hangar_machine_attach_qmp (self, qmp);
  hangar_qmp_handshake_async (qmp, self->cancellable, on_ready, g_object_ref (self));
}

/* The longest socket name QEMU gets in the runtime folder. */
#define LONGEST_SOCKET_NAME "serial3.sock"

static gboolean
prepare_runtime_dir (HangarMachine  *self,
                     GError        **error)
{
  static const char * const stale[] = { "qemu.pid", "crashed", HANGAR_RUNTIME_VNC_SOCKET,
                                        HANGAR_RUNTIME_SPICE_SOCKET, HANGAR_RUNTIME_AGENT_SOCKET };
  g_autofree char *root = g_path_get_dirname (self->runtime_dir);
  g_autofree char *longest = g_build_filename (self->runtime_dir, LONGEST_SOCKET_NAME, NULL);
  struct sockaddr_un address;

  /* QEMU cannot bind a longer unix socket path; say so before it fails obscurely. */
  if (strlen (longest) >= sizeof address.sun_path)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("The runtime folder “%s” is too long for the machine’s sockets (%zu bytes; "
                     "at most %zu): set XDG_RUNTIME_DIR to a shorter path."),
                   self->runtime_dir, strlen (longest), sizeof address.sun_path - 1);
      return FALSE;
    }
  if (!hangar_paths_ensure_dir (root, 0700, error) ||
      !hangar_paths_ensure_dir (self->runtime_dir, 0700, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    remove_runtime_file (self, stale[i]);
  return TRUE;
}

/* For tests of a crash at a given point (tests/reliability/test-spawn-kill.c): with
 * HANGAR_TEST_STOP_AT set to @point the engine stops itself there with SIGSTOP, for
 * the test to kill it with SIGKILL. Points: "spawned" (QEMU runs, no qemu.pid yet) and
 * "pid-written" (qemu.pid and live.xml written, the monitor not yet answered). */
static void
test_stop_at (const char *point)
{
  if (g_strcmp0 (g_getenv ("HANGAR_TEST_STOP_AT"), point) == 0)
    raise (SIGSTOP);
}

static gboolean
spawn_qemu (HangarMachine  *self,
            GError        **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *monitor_path = runtime_file (self, HANGAR_RUNTIME_QMP_SOCKET);
  g_autofree char *log_path = runtime_file (self, "qemu.log");
  g_autofree char *pid_path = runtime_file (self, "qemu.pid");
  g_autofree char *pid_text = NULL;
  g_autofree char *live_path = runtime_file (self, "live.xml");
  g_autofree char *live_xml = NULL;
  g_autofree char *nvram = hangar_paths_nvram (hangar_machine_get_uuid (self));
  g_auto(GStrv) argv = NULL;
  HangarQemuContext ctx = {
    .qemu_binary = self->caps->qemu_binary,
    .accel = self->caps->default_accel,
    .runtime_dir = self->runtime_dir,
    .monitor_fd = MONITOR_FD,
    .nvram_path = nvram,
  };
  int monitor_fd, log_fd;

  argv = hangar_qemu_build_argv (hangar_domain_get_def (self->live_domain), &ctx, error);
  if (argv == NULL)
    return FALSE;

  log_fd = open (log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not create QEMU’s log “%s”: %s"), log_path, g_strerror (saved));
      return FALSE;
    }
  monitor_fd = bind_monitor_socket (monitor_path, error);
  if (monitor_fd < 0)
    {
      close (log_fd);
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* QEMU links GLib too: the engine's debug settings must not reach it, or
   * G_DEBUG=fatal-warnings turns a SPICE warning into a crashed machine. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  g_subprocess_launcher_take_fd (launcher, monitor_fd, MONITOR_FD);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, self->runtime_dir);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
  /* Dropping the launcher closes our copy of the listening socket: if QEMU dies, the
   * monitor connection then ends instead of waiting forever. */
  g_clear_object (&launcher);
  if (self->process == NULL)
    return FALSE;

  self->pid = atoi (g_subprocess_get_identifier (self->process));
  test_stop_at ("spawned");
  pid_text = g_strdup_printf ("%d %" G_GUINT64_FORMAT "\n", self->pid,
                              hangar_qemu_process_start_time (self->pid));
  live_xml = hangar_domain_to_xml (self->live_domain);
  /* What this QEMU runs, for an engine that finds it again after a restart. */
  g_file_set_contents (live_path, live_xml, -1, NULL);
  g_file_set_contents (pid_path, pid_text, -1, NULL);
  test_stop_at ("pid-written");
  g_subprocess_wait_async (self->process, self->cancellable, on_child_exited, g_object_ref (self));
  return TRUE;
}

/**
 * hangar_machine_start_async:
 * @reason: the state reason once running: "booted" or "autostart"
 *
 * Starts QEMU and completes once its monitor has answered, that is once QEMU has
 * opened every file and runs the guest. A QEMU that fails completes the start with
 * its last lines of stderr.
 */
void
hangar_machine_start_async (HangarMachine       *self,
                            const char          *reason,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HANGAR_IS_MACHINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_machine_start_async);
  g_task_set_task_data (task, g_strdup (reason ? reason : "booted"), g_free);

  if (self->state != HANGAR_MACHINE_SHUT_OFF && self->state != HANGAR_MACHINE_CRASHED)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                               self->state == HANGAR_MACHINE_STARTING ?
                               _("“%s” is already starting.") : _("“%s” is already running."),
                               hangar_machine_get_name (self));
      return;
    }
  if (self->pid > 0)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                               _("QEMU of “%s” is still running after its crash; force it "
                                 "off first."), hangar_machine_get_name (self));
      return;
    }
  if (self->caps->qemu_binary == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                               _("QEMU is not installed: install the package qemu-system-x86."));
      return;
    }
  if (!hangar_domain_check_files (self->domain, &error) ||
      !hangar_domain_prepare_nvram (self->domain, &error) ||
      !prepare_runtime_dir (self, &error))
    {
      /* Keep the reason beside the machine, for whoever looks after the caller has gone. */
      _hangar_machine_set_last_error (self, error->message);
      _hangar_machine_set_state (self, HANGAR_MACHINE_SHUT_OFF, "failed");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->live_domain, hangar_domain_unref);
  self->live_domain = hangar_domain_ref (self->domain);
  self->forced = self->guest_shut_down = self->reboot_pending = FALSE;
  self->pause_requested = self->io_error = self->panicked = self->host_signal = FALSE;
  remove_sockets (self);
  _hangar_machine_set_last_error (self, "");

  if (!spawn_qemu (self, &error))
    {
      g_clear_pointer (&self->live_domain, hangar_domain_unref);
      _hangar_machine_set_last_error (self, error->message);
      _hangar_machine_set_state (self, HANGAR_MACHINE_SHUT_OFF, "failed");
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED, "%s", error->message);
      return;
    }

  self->start_task = g_steal_pointer (&task);
  _hangar_machine_set_state (self, HANGAR_MACHINE_STARTING, "booting");
  connect_monitor (self, on_handshake);
  if (self->qmp == NULL && self->start_task != NULL)
    kill (-self->pid, SIGKILL); /* its end completes the start with the log */
}

gboolean
hangar_machine_start_finish (HangarMachine  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- force off ------------------------------------------------------------- */

static gboolean
on_kill_timeout (gpointer user_data)
{
  HangarMachine *self = user_data;

  self->kill_timeout_id = 0;
  if (self->pid > 0)
    kill (-self->pid, SIGKILL);
  return G_SOURCE_REMOVE;
}

/**
 * hangar_machine_force_off_async:
 *
 * Ends QEMU at once, like pulling the plug, and completes when it has ended. QMP
 * "quit" first, so QEMU flushes its disk caches; SIGKILL to its process group after
 * a grace period, or at once when the monitor is gone.
 */
void
hangar_machine_force_off_async (HangarMachine       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HANGAR_IS_MACHINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_machine_force_off_async);

  if (self->pid <= 0)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                               _("“%s” is not running."), hangar_machine_get_name (self));
      return;
    }

  g_ptr_array_add (self->off_tasks, g_steal_pointer (&task));
  if (self->forced)
    return;
  self->forced = TRUE;
  if (self->qmp != NULL && !hangar_qmp_is_closed (self->qmp))
    {
      _hangar_machine_qmp_simple (self, "quit");
      self->kill_timeout_id = g_timeout_add (FORCE_OFF_GRACE_MS, on_kill_timeout, self);
    }
  else
    kill (-self->pid, SIGKILL);
}

gboolean
hangar_machine_force_off_finish (HangarMachine  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- reattach ---------------------------------------------------------------- */

/* Whether @pid, started at @start_time (0: not known), is a QEMU of this machine. */
static gboolean
process_is_ours (HangarMachine *self,
                 GPid           pid,
                 guint64        start_time)
{
  return hangar_qemu_process_matches (pid, start_time, self->caps->qemu_binary,
                                      self->runtime_dir, hangar_machine_get_uuid (self));
}

static void
on_reattach_status (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HangarMachine) self = user_data;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *status;

  reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply) || self->pid <= 0)
    return;
  status = json_object_get_string_member_with_default (json_node_get_object (reply),
                                                       "status", "");
  if (g_str_equal (status, "paused") || g_str_equal (status, "prelaunch") ||
      g_str_equal (status, "suspended") || g_str_equal (status, "io-error"))
    _hangar_machine_set_state (self, HANGAR_MACHINE_PAUSED,
                               g_str_equal (status, "io-error") ? "io-error" : "reattached");
  else if (g_str_equal (status, "shutdown"))
    {
      /* The guest powered off while no engine ran: finish what the engine would have. */
      self->guest_shut_down = TRUE;
      _hangar_machine_set_state (self, HANGAR_MACHINE_SHUTTING_DOWN, "shutdown");
      _hangar_machine_qmp_simple (self, "quit");
    }
  else if (g_str_equal (status, "guest-panicked"))
    {
      self->panicked = TRUE;
      _hangar_machine_set_state (self, HANGAR_MACHINE_CRASHED, "panicked");
    }
}

static void
on_reattach_handshake (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HangarMachine) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hangar_qmp_handshake_finish (HANGAR_QMP (object), result, &error))
    {
      g_debug ("%s: reattach failed: %s", hangar_machine_get_name (self), error->message);
      return;
    }
  _hangar_machine_query_balloon (self);
  hangar_qmp_execute_async (HANGAR_QMP (object), "query-status", NULL, self->cancellable,
                            on_reattach_status, g_object_ref (self));
}

/**
 * hangar_machine_reattach:
 *
 * At engine start: finds a QEMU this machine left running, or the crash it left
 * behind. Sets the state at once from the process; the monitor then refines it
 * (paused, powered off) a moment later.
 */
void
hangar_machine_reattach (HangarMachine *self)
{
  g_autofree char *pid_path = runtime_file (self, "qemu.pid");
  g_autofree char *crash_path = runtime_file (self, "crashed");
  g_autofree char *pid_text = NULL;
  g_autofree char *crash_text = NULL;
  g_autofree char *live_path = runtime_file (self, "live.xml");
  g_autofree char *live_xml = NULL;
  g_autofree char *monitor_path = runtime_file (self, HANGAR_RUNTIME_QMP_SOCKET);
  guint64 start_time = 0;
  GPid pid = 0;

  g_return_if_fail (HANGAR_IS_MACHINE (self));
  g_return_if_fail (self->pid == 0);

  if (!g_file_get_contents (pid_path, &pid_text, NULL, NULL))
    {
      /* An engine that died between spawning QEMU and writing qemu.pid left its monitor
       * socket: adopt that QEMU rather than let a second one start beside it. */
      if (g_file_test (monitor_path, G_FILE_TEST_EXISTS) &&
          (pid = hangar_qemu_process_find (self->caps->qemu_binary, self->runtime_dir,
                                           hangar_machine_get_uuid (self))) > 0)
        {
          g_autofree char *text = g_strdup_printf ("%d %" G_GUINT64_FORMAT "\n", pid,
                                                   hangar_qemu_process_start_time (pid));

          g_debug ("%s: found QEMU %d, started by an engine that stopped before it said so",
                   hangar_machine_get_name (self), pid);
          g_file_set_contents (pid_path, text, -1, NULL);
          pid_text = g_steal_pointer (&text);
        }
      else
        {
          if (g_file_get_contents (crash_path, &crash_text, NULL, NULL))
            {
              _hangar_machine_set_last_error (self, crash_text);
              _hangar_machine_set_state (self, HANGAR_MACHINE_CRASHED, "crashed");
            }
          return;
        }
    }

  /* "PID STARTTIME"; an engine before the start time wrote "PID" alone. */
  pid = atoi (pid_text);
  if (strchr (pid_text, ' ') != NULL)
    start_time = g_ascii_strtoull (strchr (pid_text, ' ') + 1, NULL, 10);
  if (pid <= 0 || !process_is_ours (self, pid, start_time))
    {
      g_autofree char *tail = _hangar_machine_log_tail (self, LOG_TAIL_LINES);
      g_autofree char *message = g_strstrip (g_strdup_printf (
        "%s\n%s", _("QEMU ended while the engine was not running."), tail));

      g_unlink (pid_path);
      g_file_set_contents (crash_path, message, -1, NULL);
      _hangar_machine_set_last_error (self, message);
      _hangar_machine_set_state (self, HANGAR_MACHINE_CRASHED, "crashed");
      return;
    }

  self->pid = pid;
  if (g_file_get_contents (live_path, &live_xml, NULL, NULL))
    self->live_domain = hangar_domain_parse (live_xml, -1, NULL);
  if (self->live_domain == NULL)
    self->live_domain = hangar_domain_ref (self->domain);
  if (!watch_foreign_process (self, pid))
    g_warning ("Cannot watch QEMU %d of “%s”: %s", pid, hangar_machine_get_name (self),
               g_strerror (errno));
  _hangar_machine_set_state (self, HANGAR_MACHINE_RUNNING, "reattached");

  connect_monitor (self, on_reattach_handshake);
}
