/* hangar-machine-impl.c: io.github.hangarvm.Hangar.Machine1 for one HangarMachine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Translates calls into HangarMachine operations and its changes into properties.
 * Every handler completes its invocation or returns a GError, which reaches the
 * caller as a named D-Bus error.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-guest-agent.h"
#include "hangar-machine-impl.h"
#include "hangar-machine-usb.h"
#include "hangar-paths.h"
#include "hangar-qemu-argv.h"
#include "hangar-store.h"

struct _HangarMachineImpl
{
  HangarDBusMachine1Skeleton parent_instance;

  HangarEngine  *engine;   /* outlives us */
  HangarMachine *machine;
  HangarDomain  *domain;   /* the definition last announced */
};

static void hangar_machine_iface_init (HangarDBusMachine1Iface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HangarMachineImpl, hangar_machine_impl,
                               HANGAR_DBUS_TYPE_MACHINE1_SKELETON,
                               G_IMPLEMENT_INTERFACE (HANGAR_DBUS_TYPE_MACHINE1,
                                                      hangar_machine_iface_init))

static void
sync_properties (HangarMachineImpl *self)
{
  HangarDBusMachine1 *iface = HANGAR_DBUS_MACHINE1 (self);
  const HangarDomainDef *def = hangar_domain_get_def (hangar_machine_get_domain (self->machine));

  hangar_dbus_machine1_set_uuid (iface, def->uuid);
  hangar_dbus_machine1_set_name (iface, def->name);
  hangar_dbus_machine1_set_title (iface, def->title ? def->title : "");
  hangar_dbus_machine1_set_description (iface, def->description ? def->description : "");
  hangar_dbus_machine1_set_memory_kib (iface, def->memory_kib);
  hangar_dbus_machine1_set_vcpus (iface, def->vcpus_current);
  hangar_dbus_machine1_set_state (iface, hangar_machine_state_to_string (
                                           hangar_machine_get_state (self->machine)));
  hangar_dbus_machine1_set_state_reason (iface, hangar_machine_get_state_reason (self->machine));
  hangar_dbus_machine1_set_last_error (iface, hangar_machine_get_last_error (self->machine));
  hangar_dbus_machine1_set_pid (iface, MAX (hangar_machine_get_pid (self->machine), 0));
  hangar_dbus_machine1_set_autostart (iface, hangar_store_get_autostart (def->uuid));
  {
    /* The name needs the catalogue: "" until it has loaded. */
    const char *os_name = hangar_osinfo_os_name (hangar_engine_get_osinfo (self->engine),
                                                 def->os_id);
    hangar_dbus_machine1_set_os_id (iface, def->os_id ? def->os_id : "");
    hangar_dbus_machine1_set_os_name (iface, os_name ? os_name : "");
  }
  {
    g_auto(GStrv) images = hangar_machine_disk_images (self->machine);
    hangar_dbus_machine1_set_disk_images (iface, (const char * const *) images);
  }
  {
    const char *accel = hangar_machine_get_accelerator (self->machine);
    g_auto(GStrv) pending = hangar_machine_get_pending_changes (self->machine);

    hangar_dbus_machine1_set_accelerator (iface, accel ? accel : "");
    hangar_dbus_machine1_set_pending_changes (iface, (const char * const *) pending);
  }
  hangar_dbus_machine1_set_usb_devices (iface, hangar_machine_get_usb_devices (self->machine));
}

static void
on_machine_changed (HangarMachine     *machine,
                    HangarMachineImpl *self)
{
  HangarDomain *domain = hangar_machine_get_domain (machine);

  sync_properties (self);
  /* A new definition is a new object: compare pointers, not documents. */
  if (domain != self->domain)
    {
      g_clear_pointer (&self->domain, hangar_domain_unref);
      self->domain = hangar_domain_ref (domain);
      hangar_dbus_machine1_emit_definition_changed (HANGAR_DBUS_MACHINE1 (self));
    }
}

static void
on_osinfo_loaded (HangarOsinfo      *osinfo,
                  HangarMachineImpl *self)
{
  sync_properties (self);
}

/* ---- calls ---------------------------------------------------------------- */

static gboolean
handle_get_xml (HangarDBusMachine1    *iface,
                GDBusMethodInvocation *invocation)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  g_autofree char *xml = hangar_domain_to_xml (hangar_machine_get_domain (self->machine));

  hangar_dbus_machine1_complete_get_xml (iface, invocation, xml);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!hangar_machine_start_finish (HANGAR_MACHINE (object), result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
handle_start (HangarDBusMachine1    *iface,
              GDBusMethodInvocation *invocation)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);

  hangar_machine_start_async (self->machine, "booted", NULL, on_started,
                              g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_op_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!hangar_machine_op_finish (HANGAR_MACHINE (object), result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
run_op (HangarMachineImpl     *self,
        GDBusMethodInvocation *invocation,
        HangarMachineOp        op)
{
  hangar_machine_op_async (self->machine, op, NULL, on_op_done, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_shutdown (HangarDBusMachine1    *iface,
                 GDBusMethodInvocation *invocation)
{
  return run_op (HANGAR_MACHINE_IMPL (iface), invocation, HANGAR_MACHINE_OP_SHUTDOWN);
}

static gboolean
handle_reboot (HangarDBusMachine1    *iface,
               GDBusMethodInvocation *invocation)
{
  return run_op (HANGAR_MACHINE_IMPL (iface), invocation, HANGAR_MACHINE_OP_REBOOT);
}

static gboolean
handle_reset (HangarDBusMachine1    *iface,
              GDBusMethodInvocation *invocation)
{
  return run_op (HANGAR_MACHINE_IMPL (iface), invocation, HANGAR_MACHINE_OP_RESET);
}

static gboolean
handle_pause (HangarDBusMachine1    *iface,
              GDBusMethodInvocation *invocation)
{
  return run_op (HANGAR_MACHINE_IMPL (iface), invocation, HANGAR_MACHINE_OP_PAUSE);
}

static gboolean
handle_resume (HangarDBusMachine1    *iface,
               GDBusMethodInvocation *invocation)
{
  return run_op (HANGAR_MACHINE_IMPL (iface), invocation, HANGAR_MACHINE_OP_RESUME);
}

static void
on_forced_off (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!hangar_machine_force_off_finish (HANGAR_MACHINE (object), result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
handle_force_off (HangarDBusMachine1    *iface,
                  GDBusMethodInvocation *invocation)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);

  hangar_machine_force_off_async (self->machine, NULL, on_forced_off, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_autostart (HangarDBusMachine1    *iface,
                      GDBusMethodInvocation *invocation,
                      gboolean               autostart)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  GError *error = NULL;

  if (!hangar_store_set_autostart (hangar_machine_get_uuid (self->machine), autostart, &error))
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  hangar_dbus_machine1_set_autostart (iface, autostart);
  hangar_dbus_machine1_complete_set_autostart (iface, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_delete (HangarDBusMachine1    *iface,
               GDBusMethodInvocation *invocation,
               guint                  flags)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  g_autoptr(HangarMachineImpl) keep = g_object_ref (self);
  g_auto(GStrv) deleted = NULL;
  g_auto(GStrv) kept = NULL;
  GError *error = NULL;

  if (!hangar_engine_delete (self->engine, self->machine, flags, &deleted, &kept, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    hangar_dbus_machine1_complete_delete (iface, invocation, (const char * const *) deleted,
                                          (const char * const *) kept);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

typedef struct
{
  HangarMachineImpl     *self;
  GDBusMethodInvocation *invocation;
} UpdateCall;

static void
on_updated (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  UpdateCall *call = user_data;
  g_auto(GStrv) applied = NULL;
  g_auto(GStrv) pending = NULL;
  GError *error = NULL;

  if (!hangar_engine_update_finish (call->self->engine, call->self->machine, result,
                                    &applied, &pending, &error))
    g_dbus_method_invocation_take_error (call->invocation, error);
  else
    g_dbus_method_invocation_return_value (call->invocation,
                                           g_variant_new ("(^as^as)", applied, pending));
  g_object_unref (call->self);
  g_object_unref (call->invocation);
  g_free (call);
}

/* UpdateConfig, AttachDevice and DetachDevice all end here, with a whole definition. */
static void
update (HangarMachineImpl     *self,
        GDBusMethodInvocation *invocation,
        const char            *xml)
{
  UpdateCall *call = g_new0 (UpdateCall, 1);

  call->self = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  hangar_engine_update_async (self->engine, self->machine, xml, NULL, on_updated, call);
}

static gboolean
handle_update_config (HangarDBusMachine1    *iface,
                      GDBusMethodInvocation *invocation,
                      const char            *xml,
                      guint                  flags)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);

  if (flags != 0)
    {
      g_dbus_method_invocation_return_error (invocation, HANGAR_ERROR,
                                             HANGAR_ERROR_INVALID_ARGUMENT,
                                             _("UpdateConfig takes no flags (got %u)."), flags);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  update (self, invocation, xml);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
edit_device (HangarMachineImpl     *self,
             GDBusMethodInvocation *invocation,
             const char            *device_xml,
             gboolean               remove)
{
  GError *error = NULL;
  g_autofree char *xml = hangar_domain_edit_device (hangar_machine_get_domain (self->machine),
                                                    device_xml, remove, &error);

  if (xml == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    update (self, invocation, xml);
}

static gboolean
handle_attach_device (HangarDBusMachine1    *iface,
                      GDBusMethodInvocation *invocation,
                      const char            *device_xml)
{
  edit_device (HANGAR_MACHINE_IMPL (iface), invocation, device_xml, FALSE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_detach_device (HangarDBusMachine1    *iface,
                      GDBusMethodInvocation *invocation,
                      const char            *device_xml)
{
  edit_device (HANGAR_MACHINE_IMPL (iface), invocation, device_xml, TRUE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_monitor_reply (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autofree char *reply = hangar_machine_monitor_command_finish (HANGAR_MACHINE (object), result,
                                                                 &error);

  if (reply == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", reply));
}

static gboolean
handle_monitor_command (HangarDBusMachine1    *iface,
                        GDBusMethodInvocation *invocation,
                        const char            *command_json)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);

  hangar_machine_monitor_command_async (self->machine, command_json, NULL, on_monitor_reply,
                                        g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_guest_info (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autoptr(GVariant) info = hangar_guest_agent_query_finish (result, &error);

  if (info == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", info));
}

static gboolean
handle_get_guest_info (HangarDBusMachine1    *iface,
                       GDBusMethodInvocation *invocation)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  const HangarDomainDef *def = hangar_domain_get_def (hangar_machine_get_domain (self->machine));
  g_autofree char *runtime_dir = hangar_paths_runtime_dir (def->uuid);
  g_autofree char *socket_path = NULL;
  gboolean has_agent = FALSE;

  if (!hangar_machine_is_active (self->machine) || hangar_machine_get_pid (self->machine) <= 0)
    {
      g_dbus_method_invocation_return_error (invocation, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                                             _("“%s” is not running."), def->name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  /* What runs counts, not what is saved: a channel added since is not there yet. */
  {
    const HangarDomainDef *live = hangar_domain_get_def (hangar_machine_get_live_domain (
                                                            self->machine));
    for (guint i = 0; i < live->channels->len; i++)
      has_agent |= g_array_index (live->channels, HangarChannelKind, i) ==
                   HANGAR_CHANNEL_GUEST_AGENT;
  }
  if (!has_agent)
    {
      g_dbus_method_invocation_return_error (invocation, HANGAR_ERROR, HANGAR_ERROR_NOT_SUPPORTED,
                                             _("“%s” runs without a guest agent channel; add "
                                               "one (it takes effect at the next start) and "
                                               "install qemu-guest-agent in the guest."),
                                             def->name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  socket_path = g_build_filename (runtime_dir, HANGAR_RUNTIME_AGENT_SOCKET, NULL);
  hangar_guest_agent_query_async (socket_path, FALSE, NULL, on_guest_info, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_open_console (HangarDBusMachine1    *iface,
                     GDBusMethodInvocation *invocation,
                     GUnixFDList           *in_fds,
                     const char            *kind)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  g_autoptr(GUnixFDList) fds = NULL;
  GError *error = NULL;
  int fd, index;

  fd = hangar_machine_open_console (self->machine, kind, &error);
  if (fd < 0)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  fds = g_unix_fd_list_new ();
  index = g_unix_fd_list_append (fds, fd, &error);
  close (fd);
  if (index < 0)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  hangar_dbus_machine1_complete_open_console (iface, invocation, fds,
                                              g_variant_new_handle (index));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_read_log (HangarDBusMachine1    *iface,
                 GDBusMethodInvocation *invocation,
                 guint                  max_lines)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  g_autofree char *text = hangar_machine_read_log (self->machine, MIN (max_lines, 10000));

  hangar_dbus_machine1_complete_read_log (iface, invocation, text);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
hangar_machine_iface_init (HangarDBusMachine1Iface *iface)
{
  iface->handle_get_xml = handle_get_xml;
  iface->handle_start = handle_start;
  iface->handle_shutdown = handle_shutdown;
  iface->handle_force_off = handle_force_off;
  iface->handle_reboot = handle_reboot;
  iface->handle_reset = handle_reset;
  iface->handle_pause = handle_pause;
  iface->handle_resume = handle_resume;
  iface->handle_set_autostart = handle_set_autostart;
  iface->handle_delete = handle_delete;
  iface->handle_open_console = handle_open_console;
  iface->handle_read_log = handle_read_log;
  iface->handle_update_config = handle_update_config;
  iface->handle_attach_device = handle_attach_device;
  iface->handle_detach_device = handle_detach_device;
  iface->handle_monitor_command = handle_monitor_command;
  iface->handle_get_guest_info = handle_get_guest_info;
  _hangar_machine_impl_usb_iface_init (iface);
}

/* ---- object ------------------------------------------------------------------ */

static void
hangar_machine_impl_dispose (GObject *object)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (object);

  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->domain, hangar_domain_unref);
  G_OBJECT_CLASS (hangar_machine_impl_parent_class)->dispose (object);
}

static void
hangar_machine_impl_class_init (HangarMachineImplClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hangar_machine_impl_dispose;
}

static void
hangar_machine_impl_init (HangarMachineImpl *self)
{
}

HangarEngine *
hangar_machine_impl_get_engine (HangarMachineImpl *self)
{
  return self->engine;
}

HangarMachine *
hangar_machine_impl_get_machine (HangarMachineImpl *self)
{
  return self->machine;
}

HangarMachineImpl *
hangar_machine_impl_new (HangarEngine  *engine,
                         HangarMachine *machine)
{
  HangarMachineImpl *self = g_object_new (HANGAR_TYPE_MACHINE_IMPL, NULL);

  self->engine = engine;
  self->machine = g_object_ref (machine);
  self->domain = hangar_domain_ref (hangar_machine_get_domain (machine));
  g_signal_connect (machine, "changed", G_CALLBACK (on_machine_changed), self);
  g_signal_connect_object (hangar_engine_get_osinfo (engine), "loaded",
                           G_CALLBACK (on_osinfo_loaded), self, 0);
  sync_properties (self);
  return self;
}
