/* hangar-machine.c: a machine's state, what QEMU tells of it, and what a user asks of it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Starting QEMU, finding it again after an engine restart and noticing its end live
 * in hangar-machine-process.c. This file holds the state machine and QMP policy.
 *
 * Signals:
 *   changed: state, reason, last error or pid changed.
 *   crashed: the machine has just become crashed.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-machine-private.h"
#include "hangar-paths.h"
#include "hangar-qemu-argv.h"

enum {
  SIGNAL_CHANGED,
  SIGNAL_CRASHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarMachine, hangar_machine, G_TYPE_OBJECT)

const char *
hangar_machine_state_to_string (HangarMachineState state)
{
  switch (state)
    {
    case HANGAR_MACHINE_SHUT_OFF: return "shut-off";
    case HANGAR_MACHINE_STARTING: return "starting";
    case HANGAR_MACHINE_RUNNING: return "running";
    case HANGAR_MACHINE_PAUSED: return "paused";
    case HANGAR_MACHINE_SHUTTING_DOWN: return "shutting-down";
    case HANGAR_MACHINE_CRASHED: return "crashed";
    default: g_assert_not_reached ();
    }
}

void
_hangar_machine_set_state (HangarMachine      *self,
                           HangarMachineState  state,
                           const char         *reason)
{
  gboolean crashed;

  if (self->state == state && g_strcmp0 (self->reason, reason) == 0)
    return;
  crashed = state == HANGAR_MACHINE_CRASHED && self->state != HANGAR_MACHINE_CRASHED;
  g_debug ("%s: %s (%s) → %s (%s)", hangar_machine_get_name (self),
           hangar_machine_state_to_string (self->state), self->reason,
           hangar_machine_state_to_string (state), reason);
  self->state = state;
  g_free (self->reason);
  self->reason = g_strdup (reason);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (crashed)
    g_signal_emit (self, signals[SIGNAL_CRASHED], 0);
}

/**
 * hangar_machine_get_accelerator:
 *
 * Returns: "kvm" or "tcg", as the running QEMU's -accel says, or NULL when none runs.
 */
const char *
hangar_machine_get_accelerator (HangarMachine *self)
{
  g_autofree char *path = NULL, *cmdline = NULL;
  gsize length = 0;

  g_return_val_if_fail (HANGAR_IS_MACHINE (self), NULL);

  if (self->pid <= 0 || !hangar_machine_is_active (self))
    {
      g_clear_pointer (&self->accel, g_free);
      return NULL;
    }
  if (self->accel != NULL)
    return self->accel;
  /* Read back, so a QEMU found running after an engine restart says it too. */
  path = g_strdup_printf ("/proc/%d/cmdline", self->pid);
  if (!g_file_get_contents (path, &cmdline, &length, NULL))
    return NULL;
  for (const char *arg = cmdline; arg < cmdline + length; arg += strlen (arg) + 1)
    {
      const char *next = arg + strlen (arg) + 1;

      if (g_str_equal (arg, "-accel") && next < cmdline + length)
        {
          self->accel = g_strndup (next, strcspn (next, ","));
          break;
        }
    }
  return self->accel;
}

/**
 * hangar_machine_get_live_domain:
 *
 * Returns: (transfer none): what the running QEMU runs, or the definition when none runs.
 */
HangarDomain *
hangar_machine_get_live_domain (HangarMachine *self)
{
  return self->live_domain != NULL && hangar_machine_is_active (self) ? self->live_domain :
                                                                        self->domain;
}

/**
 * hangar_machine_get_qmp:
 *
 * Returns: (transfer none) (nullable): the monitor of the running QEMU, for queries.
 */
HangarQmp *
hangar_machine_get_qmp (HangarMachine *self)
{
  return hangar_machine_is_active (self) ? self->qmp : NULL;
}

static void
on_balloon_reply (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HangarMachine) self = user_data;
  g_autoptr(JsonNode) reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, NULL);

  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    self->balloon_actual = json_object_get_int_member_with_default (json_node_get_object (reply),
                                                                    "actual", 0);
}

/* What the balloon holds now; QEMU's BALLOON_CHANGE events keep it up to date, so
 * statistics never poll it. */
void
_hangar_machine_query_balloon (HangarMachine *self)
{
  self->balloon_actual = 0;
  if (self->qmp != NULL && self->live_domain != NULL &&
      hangar_domain_get_def (self->live_domain)->balloon)
    hangar_qmp_execute_async (self->qmp, "query-balloon", NULL, self->cancellable,
                              on_balloon_reply, g_object_ref (self));
}

/**
 * hangar_machine_get_balloon_actual:
 *
 * Returns: the bytes the guest has as the balloon says, or 0 when unknown or none.
 */
guint64
hangar_machine_get_balloon_actual (HangarMachine *self)
{
  return hangar_machine_is_active (self) ? self->balloon_actual : 0;
}

gboolean
hangar_machine_is_updating (HangarMachine *self)
{
  return self->updating;
}

void
_hangar_machine_emit_changed (HangarMachine *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
_hangar_machine_set_last_error (HangarMachine *self,
                                const char    *message)
{
  g_free (self->last_error);
  self->last_error = g_strdup (message ? message : "");
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- QMP events ------------------------------------------------------------ */

static void
on_simple_command_done (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);
  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("QMP %s: %s", (const char *) user_data, error->message);
}

/* Sends a command whose reply only matters for the debug log. */
void
_hangar_machine_qmp_command (HangarMachine *self,
                             const char    *command,
                             JsonObject    *arguments)
{
  if (self->qmp != NULL)
    hangar_qmp_execute_async (self->qmp, command, arguments, NULL, on_simple_command_done,
                              (gpointer) g_intern_string (command));
}

void
_hangar_machine_qmp_simple (HangarMachine *self,
                            const char    *command)
{
  _hangar_machine_qmp_command (self, command, NULL);
}

/* The same with one string argument: a rollback (device_del, chardev-remove, closefd)
 * whose failure only leaves something unused behind. */
void
_hangar_machine_qmp_send_quietly (HangarMachine *self,
                                  const char    *command,
                                  const char    *key,
                                  const char    *value)
{
  g_autoptr(JsonObject) arguments = json_object_new ();

  json_object_set_string_member (arguments, key, value);
  _hangar_machine_qmp_command (self, command, arguments);
}

static void
on_shutdown_event (HangarMachine *self,
                   JsonObject    *data)
{
  gboolean guest = json_object_get_boolean_member_with_default (data, "guest", FALSE);
  const char *reason = json_object_get_string_member_with_default (data, "reason", "");

  if (!guest)
    {
      /* Our own quit, or a signal to QEMU from outside (kill, a shutting-down session):
       * QEMU says which before it exits cleanly. */
      if (g_str_equal (reason, "host-signal") && !self->forced)
        self->host_signal = TRUE;
      return;
    }

  /* Held at a reboot by -action reboot=shutdown: the end of an install, or a reboot. */
  if (g_str_equal (reason, "guest-reset"))
    {
      if (_hangar_machine_finish_install (self))
        return;
      if (g_str_equal (hangar_domain_get_def (self->live_domain)->on_reboot, "restart"))
        {
          _hangar_machine_qmp_simple (self, "system_reset");
          _hangar_machine_qmp_simple (self, "cont");
          return;
        }
    }

  /* -no-shutdown keeps QEMU alive at the guest's power-off: decide here. */
  if (self->reboot_pending ||
      (g_str_equal (reason, "guest-shutdown") &&
       g_str_equal (hangar_domain_get_def (self->live_domain)->on_poweroff, "restart")))
    {
      self->reboot_pending = FALSE;
      _hangar_machine_qmp_simple (self, "system_reset");
      _hangar_machine_qmp_simple (self, "cont");
      return;
    }

  self->guest_shut_down = TRUE;
  _hangar_machine_set_state (self, HANGAR_MACHINE_SHUTTING_DOWN, "shutdown");
  _hangar_machine_qmp_simple (self, "quit");
}

static void
on_panic_event (HangarMachine *self)
{
  const char *policy = hangar_domain_get_def (self->live_domain)->on_crash;

  if (g_str_equal (policy, "restart"))
    {
      _hangar_machine_qmp_simple (self, "system_reset");
      _hangar_machine_qmp_simple (self, "cont");
      return;
    }
  self->panicked = TRUE;
  _hangar_machine_set_last_error (self, _("The guest operating system crashed (kernel panic)."));
  _hangar_machine_set_state (self, HANGAR_MACHINE_CRASHED, "panicked");
  if (g_str_equal (policy, "destroy"))
    _hangar_machine_qmp_simple (self, "quit");
}

static void
on_qmp_event (HangarQmp     *qmp,
              const char    *name,
              JsonObject    *data,
              HangarMachine *self)
{
  g_debug ("%s: QMP event %s", hangar_machine_get_name (self), name);

  if (g_str_equal (name, "SHUTDOWN"))
    on_shutdown_event (self, data);
  else if (g_str_equal (name, "GUEST_PANICKED"))
    on_panic_event (self);
  else if (g_str_equal (name, "BLOCK_IO_ERROR"))
    self->io_error = TRUE;
  else if (g_str_equal (name, "BALLOON_CHANGE"))
    self->balloon_actual = json_object_get_int_member_with_default (data, "actual", 0);
  else if (g_str_equal (name, "STOP"))
    {
      if (self->state == HANGAR_MACHINE_RUNNING)
        _hangar_machine_set_state (self, HANGAR_MACHINE_PAUSED,
                                   self->pause_requested ? "user" :
                                   self->io_error ? "io-error" : "unknown");
      self->pause_requested = FALSE;
    }
  else if (g_str_equal (name, "RESUME"))
    {
      self->io_error = FALSE;
      if (self->state == HANGAR_MACHINE_PAUSED || self->state == HANGAR_MACHINE_CRASHED)
        _hangar_machine_set_state (self, HANGAR_MACHINE_RUNNING, "unpaused");
    }
}

static void
on_qmp_closed (HangarQmp     *qmp,
               const GError  *error,
               HangarMachine *self)
{
  /* The end of QEMU itself is seen through its process; a closed monitor alone may
   * be a lost connection, so only forget it here. */
  g_debug ("%s: monitor closed: %s", hangar_machine_get_name (self),
           error ? error->message : "end of stream");
  g_signal_handlers_disconnect_by_data (qmp, self);
  if (self->qmp == qmp)
    g_clear_object (&self->qmp);
}

void
_hangar_machine_attach_qmp (HangarMachine *self,
                            HangarQmp     *qmp)
{
  g_assert (self->qmp == NULL);

  self->qmp = g_object_ref (qmp);
  g_signal_connect (qmp, "event", G_CALLBACK (on_qmp_event), self);
  g_signal_connect (qmp, "closed", G_CALLBACK (on_qmp_closed), self);
}

/* ---- operations -------------------------------------------------------------- */

static gboolean
require_state (HangarMachine  *self,
               HangarMachineOp op,
               GError        **error)
{
  const char *name = hangar_machine_get_name (self);

  switch (self->state)
    {
    case HANGAR_MACHINE_RUNNING:
      if (op == HANGAR_MACHINE_OP_RESUME)
        {
          g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                       _("“%s” is running, not paused."), name);
          return FALSE;
        }
      return TRUE;
    case HANGAR_MACHINE_PAUSED:
      if (op == HANGAR_MACHINE_OP_RESUME || op == HANGAR_MACHINE_OP_RESET)
        return TRUE;
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   op == HANGAR_MACHINE_OP_PAUSE ? _("“%s” is already paused.") :
                   _("“%s” is paused; resume it first."), name);
      return FALSE;
    case HANGAR_MACHINE_STARTING:
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("“%s” is still starting; try again in a moment."), name);
      return FALSE;
    case HANGAR_MACHINE_SHUTTING_DOWN:
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("“%s” is shutting down."), name);
      return FALSE;
    case HANGAR_MACHINE_CRASHED:
      if (self->pid > 0 && op == HANGAR_MACHINE_OP_RESET)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case HANGAR_MACHINE_SHUT_OFF:
    default:
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("“%s” is not running."), name);
      return FALSE;
    }
}

static void
on_op_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;

  reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hangar_machine_op_async:
 *
 * Shutdown and Reboot press the ACPI power button and complete once QEMU has passed
 * it on: the guest decides when it powers off. Reset, Pause and Resume complete when
 * done.
 */
void
hangar_machine_op_async (HangarMachine       *self,
                         HangarMachineOp      op,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  const char *command = NULL;

  g_return_if_fail (HANGAR_IS_MACHINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_machine_op_async);

  if (!require_state (self, op, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->qmp == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                               _("The engine has lost its connection to QEMU of “%s”; "
                                 "only forcing it off works now."),
                               hangar_machine_get_name (self));
      return;
    }

  switch (op)
    {
    case HANGAR_MACHINE_OP_SHUTDOWN:
      command = "system_powerdown";
      break;
    case HANGAR_MACHINE_OP_REBOOT:
      self->reboot_pending = TRUE;
      command = "system_powerdown";
      break;
    case HANGAR_MACHINE_OP_RESET:
      command = "system_reset";
      break;
    case HANGAR_MACHINE_OP_PAUSE:
      self->pause_requested = TRUE;
      command = "stop";
      break;
    case HANGAR_MACHINE_OP_RESUME:
      command = "cont";
      break;
    default:
      g_assert_not_reached ();
    }

  hangar_qmp_execute_async (self->qmp, command, NULL, cancellable, on_op_done,
                            g_steal_pointer (&task));
}

gboolean
hangar_machine_op_finish (HangarMachine  *self,
                          GAsyncResult   *result,
                          GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- consoles and logs ------------------------------------------------------- */

/**
 * hangar_machine_open_console:
 * @kind: "vnc", "spice" or "serial"
 *
 * Returns: a stream socket connected to the console, or -1 with @error set.
 */
int
hangar_machine_open_console (HangarMachine  *self,
                             const char     *kind,
                             GError        **error)
{
  const HangarDomainDef *def;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd;

  g_return_val_if_fail (HANGAR_IS_MACHINE (self), -1);

  if (self->pid <= 0 || self->live_domain == NULL)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("“%s” is not running, so it has no console."), hangar_machine_get_name (self));
      return -1;
    }
  def = hangar_domain_get_def (self->live_domain);

  if (g_strcmp0 (kind, "vnc") == 0 && def->has_vnc)
    file = g_strdup (HANGAR_RUNTIME_VNC_SOCKET);
  else if (g_strcmp0 (kind, "spice") == 0 && def->has_spice)
    file = g_strdup (HANGAR_RUNTIME_SPICE_SOCKET);
  else if (g_strcmp0 (kind, "serial") == 0 && def->serials->len > 0)
    file = g_strdup_printf (HANGAR_RUNTIME_SERIAL_SOCKET,
                            ((HangarSerialDef *) g_ptr_array_index (def->serials, 0))->port);
  else if (g_strcmp0 (kind, "vnc") == 0 || g_strcmp0 (kind, "spice") == 0 ||
           g_strcmp0 (kind, "serial") == 0)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                   _("“%s” has no %s console."), hangar_machine_get_name (self), kind);
      return -1;
    }
  else
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a console kind; use vnc, spice or serial."), kind);
      return -1;
    }

  path = g_build_filename (self->runtime_dir, file, NULL);
  g_strlcpy (address.sun_path, path, sizeof address.sun_path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                   _("Could not connect to the %s console of “%s”: %s"),
                   kind, hangar_machine_get_name (self), g_strerror (saved));
      return -1;
    }
  return fd;
}

char *
_hangar_machine_log_tail (HangarMachine *self,
                          guint          max_lines)
{
  g_autofree char *path = g_build_filename (self->runtime_dir, "qemu.log", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *start;
  guint lines = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length == 0)
    return g_strdup ("");

  /* Walk back over @max_lines line ends, ignoring the final newline. */
  start = contents + length;
  if (start > contents && start[-1] == '\n')
    start--;
  while (start > contents)
    {
      if (start[-1] == '\n' && ++lines == max_lines)
        break;
      start--;
    }
  return g_utf8_make_valid (start, -1);
}

char *
hangar_machine_read_log (HangarMachine *self,
                         guint          max_lines)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), NULL);

  return _hangar_machine_log_tail (self, MAX (max_lines, 1));
}

/* ---- object ------------------------------------------------------------------ */

static void
hangar_machine_dispose (GObject *object)
{
  HangarMachine *self = HANGAR_MACHINE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->qmp != NULL)
    g_signal_handlers_disconnect_by_data (self->qmp, self);
  g_clear_object (&self->qmp);
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);
  _hangar_machine_stop_watching (self);
  g_clear_object (&self->process);
  _hangar_machine_usb_forget (self);
  G_OBJECT_CLASS (hangar_machine_parent_class)->dispose (object);
}

static void
hangar_machine_finalize (GObject *object)
{
  HangarMachine *self = HANGAR_MACHINE (object);

  g_assert (self->start_task == NULL);
  g_clear_pointer (&self->off_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->domain, hangar_domain_unref);
  g_clear_pointer (&self->live_domain, hangar_domain_unref);
  g_clear_object (&self->cancellable);
  g_free (self->runtime_dir);
  g_free (self->reason);
  g_free (self->last_error);
  g_free (self->accel);
  G_OBJECT_CLASS (hangar_machine_parent_class)->finalize (object);
}

static void
hangar_machine_class_init (HangarMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_machine_dispose;
  object_class->finalize = hangar_machine_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The machine has just crashed (state and last error are set). */
  signals[SIGNAL_CRASHED] =
    g_signal_new ("crashed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hangar_machine_init (HangarMachine *self)
{
  self->state = HANGAR_MACHINE_SHUT_OFF;
  self->pidfd = -1;
  self->reason = g_strdup ("unknown");
  self->last_error = g_strdup ("");
  self->cancellable = g_cancellable_new ();
  self->off_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

HangarMachine *
hangar_machine_new (HangarDomain             *domain,
                    const HangarCapabilities *caps)
{
  HangarMachine *self;

  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (caps != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_MACHINE, NULL);
  self->domain = hangar_domain_ref (domain);
  self->caps = caps;
  self->runtime_dir = hangar_paths_runtime_dir (hangar_domain_get_uuid (domain));
  return self;
}

HangarDomain *
hangar_machine_get_domain (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), NULL);

  return self->domain;
}

/* A new definition takes effect at the next start; a running QEMU keeps its own. */
void
hangar_machine_set_domain (HangarMachine *self,
                           HangarDomain  *domain)
{
  g_return_if_fail (HANGAR_IS_MACHINE (self));
  g_return_if_fail (g_str_equal (hangar_domain_get_uuid (domain), hangar_machine_get_uuid (self)));

  hangar_domain_ref (domain);
  g_clear_pointer (&self->domain, hangar_domain_unref);
  self->domain = domain;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

const char *
hangar_machine_get_uuid (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), NULL);

  return hangar_domain_get_uuid (self->domain);
}

const char *
hangar_machine_get_name (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), NULL);

  return hangar_domain_get_name (self->domain);
}

HangarMachineState
hangar_machine_get_state (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), HANGAR_MACHINE_SHUT_OFF);

  return self->state;
}

const char *
hangar_machine_get_state_reason (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), NULL);

  return self->reason;
}

const char *
hangar_machine_get_last_error (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), NULL);

  return self->last_error;
}

GPid
hangar_machine_get_pid (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), 0);

  return self->pid;
}

/* Whether a QEMU process exists for this machine. */
gboolean
hangar_machine_is_active (HangarMachine *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE (self), FALSE);

  return self->pid > 0 || self->state == HANGAR_MACHINE_STARTING;
}

static void
on_monitor_reply (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);

  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, json_to_string (reply, FALSE), g_free);
}

/**
 * hangar_machine_monitor_command_async:
 * @command_json: {"execute": NAME, "arguments": {...}}
 *
 * Passes one QMP command to the running QEMU, for debugging: the engine does not
 * follow what it changes.
 */
void
hangar_machine_monitor_command_async (HangarMachine       *self,
                                      const char          *command_json,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *command;
  const char *execute;
  JsonNode *arguments;

  g_task_set_source_tag (task, hangar_machine_monitor_command_async);
  if (self->qmp == NULL || !hangar_machine_is_active (self))
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                               _("“%s” is not running."), hangar_machine_get_name (self));
      return;
    }
  root = json_from_string (command_json, &error);
  command = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  execute = command ? json_object_get_string_member_with_default (command, "execute", NULL) :
                      NULL;
  arguments = command ? json_object_get_member (command, "arguments") : NULL;
  if (execute == NULL || (arguments != NULL && !JSON_NODE_HOLDS_OBJECT (arguments)))
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                               _("Give a QMP command as {\"execute\": \"NAME\", "
                                 "\"arguments\": {…}}."));
      return;
    }
  hangar_qmp_execute_async (self->qmp, execute,
                            arguments ? json_node_get_object (arguments) : NULL,
                            cancellable, on_monitor_reply, g_steal_pointer (&task));
}

char *
hangar_machine_monitor_command_finish (HangarMachine  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
