/* hangar-machine-live.c: a new definition reaching a running machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hangar_machine_update_async() takes a definition that is saved already. When QEMU
 * runs, it compares what QEMU runs (live_domain) with the new definition and applies,
 * one QMP step after another, what QEMU can take: the balloon target, link states,
 * CD-ROM media, virtio disks and NICs in and out. After each step that QEMU took,
 * live_domain (and live.xml) says so. What is left different is pending: it applies
 * at the next start, and PendingChanges lists it.
 *
 * Unplugging waits for the guest: device_del only asks, and QEMU says DEVICE_DELETED
 * once the guest has let go. A guest that does not answer within UNPLUG_TIMEOUT_S
 * leaves the device in place, and the change pending.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-domain-diff.h"
#include "hangar-error.h"
#include "hangar-machine-private.h"
#include "hangar-qemu-argv.h"

#define UNPLUG_TIMEOUT_S 15

typedef struct
{
  HangarDomain *domain;      /* the new definition */
  GPtrArray    *changes;     /* HangarChange, from live_domain to domain */
  guint         next;        /* the change to apply next */
  guint         step;        /* QMP step within that change */
  GStrvBuilder *applied;
  GStrvBuilder *failed;      /* live changes QEMU refused: "summary (reason)" */
  char         *alias;       /* the QEMU id of the device being plugged or unplugged */
  char         *bus;         /* where a new device goes: a q35 root port, or NULL */
  JsonNode     *reply;       /* of the step before, when a step needs it */
  GPtrArray    *plugs;       /* device_add arguments still to send (vCPUs) */
  gulong        event_id;    /* waiting for DEVICE_DELETED */
  guint         timeout_id;
} Update;

static void
update_free (gpointer data)
{
  Update *u = data;

  g_clear_pointer (&u->domain, hangar_domain_unref);
  g_clear_pointer (&u->changes, g_ptr_array_unref);
  g_clear_pointer (&u->applied, g_strv_builder_unref);
  g_clear_pointer (&u->failed, g_strv_builder_unref);
  g_free (u->alias);
  g_free (u->bus);
  g_clear_pointer (&u->reply, json_node_unref);
  g_clear_pointer (&u->plugs, g_ptr_array_unref);
  g_free (u);
}

/**
 * _hangar_machine_set_live_domain:
 *
 * What the running QEMU runs is now @domain; live.xml says so, for an engine that
 * finds the machine again after a restart.
 */
void
_hangar_machine_set_live_domain (HangarMachine *self,
                                 HangarDomain  *domain)
{
  g_autofree char *path = g_build_filename (self->runtime_dir, "live.xml", NULL);
  g_autofree char *xml = hangar_domain_to_xml (domain);
  g_autoptr(GError) error = NULL;

  hangar_domain_ref (domain);
  g_clear_pointer (&self->live_domain, hangar_domain_unref);
  self->live_domain = domain;
  if (!g_file_set_contents (path, xml, -1, &error))
    g_warning ("%s: %s", hangar_machine_get_name (self), error->message);
  _hangar_machine_emit_changed (self);
}

/**
 * hangar_machine_get_pending_changes:
 *
 * Returns: (transfer full): what the definition has that the running QEMU has not,
 * one sentence each; empty when the machine does not run.
 */
GStrv
hangar_machine_get_pending_changes (HangarMachine *self)
{
  g_autoptr(GPtrArray) changes = NULL;

  if (!hangar_machine_is_active (self) || self->live_domain == NULL)
    return g_new0 (char *, 1);
  changes = hangar_domain_diff (hangar_domain_get_def (self->live_domain),
                                hangar_domain_get_def (self->domain));
  return hangar_domain_diff_summaries (changes);
}

static gboolean
is_live (HangarChange *change)
{
  return change->kind != HANGAR_CHANGE_RESTART;
}

/* The device's index in what QEMU runs now: earlier steps may have moved it. */
static guint
live_disk (HangarMachine *self,
           const char    *target)
{
  const HangarDomainDef *def = hangar_domain_get_def (self->live_domain);

  for (guint i = 0; i < def->disks->len; i++)
    {
      if (g_str_equal (((HangarDiskDef *) g_ptr_array_index (def->disks, i))->target, target))
        return i;
    }
  return G_MAXUINT;
}

static guint
live_net (HangarMachine *self,
          const char    *mac)
{
  const HangarDomainDef *def = hangar_domain_get_def (self->live_domain);

  for (guint i = 0; i < def->nets->len; i++)
    {
      if (g_str_equal (((HangarNetDef *) g_ptr_array_index (def->nets, i))->mac, mac))
        return i;
    }
  return G_MAXUINT;
}

/* "hot<N>", the smallest N no running device has; on q35 also its root port. */
static gboolean
pick_alias (HangarMachine  *self,
            Update         *u,
            GError        **error)
{
  const HangarDomainDef *def = hangar_domain_get_def (self->live_domain);
  gboolean q35 = g_str_equal (def->machine, "q35") || g_str_has_prefix (def->machine, "pc-q35-");

  for (guint n = 0; n < 1000; n++)
    {
      g_autofree char *alias = g_strdup_printf ("hot%u", n);
      gboolean taken = FALSE;

      for (guint i = 0; i < def->disks->len && !taken; i++)
        taken = g_strcmp0 (((HangarDiskDef *) g_ptr_array_index (def->disks, i))->alias,
                           alias) == 0;
      for (guint i = 0; i < def->nets->len && !taken; i++)
        taken = g_strcmp0 (((HangarNetDef *) g_ptr_array_index (def->nets, i))->alias,
                           alias) == 0;
      if (taken)
        continue;
      if (q35 && n >= HANGAR_QEMU_HOTPLUG_PORTS)
        break;
      u->alias = g_steal_pointer (&alias);
      u->bus = q35 ? g_strdup_printf ("hangar-port%u", n) : NULL;
      return TRUE;
    }
  g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_SUPPORTED,
               _("every free PCIe slot is taken until the next start"));
  return FALSE;
}

static void apply_next (GTask *task);

/* A device QEMU refused: take back what the steps before gave it. */
static void
roll_back (HangarMachine *self,
           Update        *u,
           HangarChange  *change)
{
  if (change->kind == HANGAR_CHANGE_DISK_ADD && u->alias != NULL)
    {
      HangarDiskDef disk = { .alias = u->alias };
      g_autofree char *id = NULL, *file_node = NULL, *format_node = NULL;

      hangar_qemu_disk_names (&disk, 0, &id, &file_node, &format_node);
      if (u->step >= 2)
        _hangar_machine_qmp_send_quietly (self, "blockdev-del", "node-name", format_node);
      if (u->step >= 1)
        _hangar_machine_qmp_send_quietly (self, "blockdev-del", "node-name", file_node);
    }
  else if (change->kind == HANGAR_CHANGE_NET_ADD && u->alias != NULL && u->step >= 1)
    {
      HangarNetDef net = { .alias = u->alias };
      g_autofree char *id = NULL, *netdev = NULL;

      hangar_qemu_net_names (&net, 0, &id, &netdev);
      _hangar_machine_qmp_send_quietly (self, "netdev_del", "id", netdev);
    }
}

static void
step_failed (GTask        *task,
             const GError *error)
{
  Update *u = g_task_get_task_data (task);
  HangarChange *change = g_ptr_array_index (u->changes, u->next);
  g_autofree char *text = g_strdup_printf ("%s (%s)", change->summary, error->message);

  roll_back (g_task_get_source_object (task), u, change);
  g_debug ("live change failed: %s", text);
  g_strv_builder_add (u->failed, text);
  u->next++;
  u->step = 0;
  g_clear_pointer (&u->alias, g_free);
  g_clear_pointer (&u->bus, g_free);
  apply_next (task);
}

static void
step_done (GTask        *task,
           HangarDomain *live)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  HangarChange *change = g_ptr_array_index (u->changes, u->next);

  _hangar_machine_set_live_domain (self, live);
  g_strv_builder_add (u->applied, change->summary);
  u->next++;
  u->step = 0;
  g_clear_pointer (&u->alias, g_free);
  g_clear_pointer (&u->bus, g_free);
  apply_next (task);
}

static void
on_step_reply (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Update *u = g_task_get_task_data (task);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);
  if (reply == NULL)
    {
      step_failed (task, error);
      return;
    }
  g_clear_pointer (&u->reply, json_node_unref);
  u->reply = g_steal_pointer (&reply);
  u->step++;
  apply_next (task);
}

static void
send (GTask      *task,
      const char *command,
      JsonObject *arguments)
{
  HangarMachine *self = g_task_get_source_object (task);

  if (self->qmp == NULL)
    {
      g_autoptr(GError) error = g_error_new (HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                                             _("QEMU’s monitor is gone"));
      step_failed (task, error);
      return;
    }
  hangar_qmp_execute_async (self->qmp, command, arguments, NULL, on_step_reply,
                            g_object_ref (task));
}

static void
stop_waiting (GTask *task)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);

  if (u->event_id != 0 && self->qmp != NULL)
    g_signal_handler_disconnect (self->qmp, u->event_id);
  u->event_id = 0;
  g_clear_handle_id (&u->timeout_id, g_source_remove);
}

static void
on_qmp_event (HangarQmp  *qmp,
              const char *name,
              JsonObject *data,
              GTask      *task)
{
  Update *u = g_task_get_task_data (task);

  if (!g_str_equal (name, "DEVICE_DELETED") ||
      g_strcmp0 (json_object_get_string_member_with_default (data, "device", ""), u->alias) != 0)
    return;
  stop_waiting (task);
  u->step++;
  apply_next (task);
  g_object_unref (task);
}

static gboolean
on_unplug_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Update *u = g_task_get_task_data (task);
  g_autoptr(GError) error = g_error_new (HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                                         _("the guest has not let go of it after %d s"),
                                         UNPLUG_TIMEOUT_S);

  u->timeout_id = 0;
  stop_waiting (task);
  step_failed (task, error);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* device_del, then wait for the guest; the task's reference goes with the wait. */
static void
unplug (GTask      *task,
        const char *id)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);

  if (u->step == 0)
    {
      g_autoptr(JsonObject) arguments = json_object_new ();

      json_object_set_string_member (arguments, "id", id);
      u->alias = g_strdup (id);
      send (task, "device_del", arguments);
      return;
    }
  /* step 1: device_del was taken; QEMU tells when the guest has released it. */
  u->event_id = g_signal_connect (self->qmp, "event", G_CALLBACK (on_qmp_event), task);
  u->timeout_id = g_timeout_add_seconds (UNPLUG_TIMEOUT_S, on_unplug_timeout, task);
  g_object_ref (task);
}

static void
apply_balloon (GTask        *task,
               HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  guint64 kib = hangar_domain_get_def (u->domain)->current_memory_kib;

  if (u->step == 0)
    {
      g_autoptr(JsonObject) arguments = json_object_new ();

      json_object_set_int_member (arguments, "value", (gint64) (kib * 1024));
      send (task, "balloon", arguments);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HangarDomain) live = hangar_domain_set_current_memory (self->live_domain, kib,
                                                                       &error);
      live ? step_done (task, live) : step_failed (task, error);
    }
}

static void
take_state (GTask        *task,
            HangarChange *change,
            const char   *element,
            guint         index)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarDomain) live = hangar_domain_take_state (self->live_domain, element, index,
                                                           u->domain, change->new_index,
                                                           &error);

  live ? step_done (task, live) : step_failed (task, error);
}

static void
apply_link (GTask        *task,
            HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  guint index = live_net (self, change->key);
  const HangarNetDef *wanted = g_ptr_array_index (hangar_domain_get_def (u->domain)->nets,
                                                  change->new_index);

  if (u->step == 0)
    {
      const HangarNetDef *net = g_ptr_array_index (hangar_domain_get_def (self->live_domain)->nets,
                                                   index);
      g_autofree char *id = NULL, *netdev = NULL;
      g_autoptr(JsonObject) arguments = json_object_new ();

      hangar_qemu_net_names (net, index, &id, &netdev);
      json_object_set_string_member (arguments, "name", id);
      json_object_set_boolean_member (arguments, "up", !wanted->link_down);
      send (task, "set_link", arguments);
    }
  else
    take_state (task, change, "interface", index);
}

static void
apply_media (GTask        *task,
             HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  guint index = live_disk (self, change->key);
  const HangarDiskDef *wanted = g_ptr_array_index (hangar_domain_get_def (u->domain)->disks,
                                                   change->new_index);

  if (u->step == 0)
    {
      const HangarDiskDef *disk = g_ptr_array_index (
                                    hangar_domain_get_def (self->live_domain)->disks, index);
      g_autofree char *id = NULL, *file_node = NULL, *format_node = NULL;
      g_autoptr(JsonObject) arguments = json_object_new ();

      hangar_qemu_disk_names (disk, index, &id, &file_node, &format_node);
      json_object_set_string_member (arguments, "id", id);
      if (wanted->source == NULL)
        {
          /* The guest may have locked the tray: it is a virtual one, open it anyway. */
          json_object_set_boolean_member (arguments, "force", TRUE);
          send (task, "eject", arguments);
          return;
        }
      json_object_set_string_member (arguments, "filename", wanted->source);
      json_object_set_string_member (arguments, "format", wanted->format);
      json_object_set_string_member (arguments, "read-only-mode", "read-only");
      send (task, "blockdev-change-medium", arguments);
    }
  else
    take_state (task, change, "disk", index);
}

/* Orders query-hotpluggable-cpus entries by socket, die, core and thread. */
static int
compare_cpu_slots (gconstpointer a,
                   gconstpointer b)
{
  static const char * const keys[] = { "socket-id", "die-id", "core-id", "thread-id" };
  JsonObject *pa = json_object_get_object_member (*(JsonObject * const *) a, "props");
  JsonObject *pb = json_object_get_object_member (*(JsonObject * const *) b, "props");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gint64 va = json_object_get_int_member_with_default (pa, keys[i], 0);
      gint64 vb = json_object_get_int_member_with_default (pb, keys[i], 0);

      if (va != vb)
        return va < vb ? -1 : 1;
    }
  return 0;
}

/* From query-hotpluggable-cpus: device_add arguments for the first @count free slots. */
static GPtrArray *
cpu_plugs (JsonNode  *reply,
           guint      count,
           GError   **error)
{
  g_autoptr(GPtrArray) free_slots = g_ptr_array_new ();
  GPtrArray *plugs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *slots = JSON_NODE_HOLDS_ARRAY (reply) ? json_node_get_array (reply) : NULL;

  for (guint i = 0; slots != NULL && i < json_array_get_length (slots); i++)
    {
      JsonObject *slot = json_array_get_object_element (slots, i);

      if (slot != NULL && !json_object_has_member (slot, "qom-path") &&
          json_object_has_member (slot, "props"))
        g_ptr_array_add (free_slots, slot);
    }
  if (free_slots->len < count)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                   _("QEMU has room for %u more processors, not %u"), free_slots->len, count);
      g_ptr_array_unref (plugs);
      return NULL;
    }
  g_ptr_array_sort (free_slots, compare_cpu_slots);
  for (guint i = 0; i < count; i++)
    {
      JsonObject *slot = g_ptr_array_index (free_slots, i);
      JsonObject *props = json_object_get_object_member (slot, "props");
      JsonObject *device = json_object_new ();
      GList *members = json_object_get_members (props);
      g_autoptr(GString) id = g_string_new ("vcpu");

      json_object_set_string_member (device, "driver",
                                     json_object_get_string_member_with_default (slot, "type",
                                                                                 ""));
      for (GList *l = members; l != NULL; l = l->next)
        {
          json_object_set_member (device, l->data,
                                  json_node_copy (json_object_get_member (props, l->data)));
          g_string_append_printf (id, "-%" G_GINT64_FORMAT,
                                  json_object_get_int_member (props, l->data));
        }
      g_list_free (members);
      json_object_set_string_member (device, "id", id->str);
      g_ptr_array_add (plugs, device);
    }
  return plugs;
}

/* More vCPUs: ask QEMU where they can go, then plug one after another. */
static void
apply_vcpus (GTask        *task,
             HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  guint wanted = hangar_domain_get_def (u->domain)->vcpus_current;
  guint now = hangar_domain_get_def (self->live_domain)->vcpus_current;
  g_autoptr(GError) error = NULL;

  if (u->step == 0)
    {
      send (task, "query-hotpluggable-cpus", NULL);
      return;
    }
  if (u->step == 1)
    {
      g_clear_pointer (&u->plugs, g_ptr_array_unref);
      u->plugs = cpu_plugs (u->reply, wanted - now, &error);
      if (u->plugs == NULL)
        {
          step_failed (task, error);
          return;
        }
    }
  if (u->step - 1 < u->plugs->len)
    {
      send (task, "device_add", g_ptr_array_index (u->plugs, u->step - 1));
      return;
    }
  {
    g_autoptr(HangarDomain) live = hangar_domain_set_vcpus_current (self->live_domain, wanted,
                                                                    &error);
    live ? step_done (task, live) : step_failed (task, error);
  }
}

static void
apply_disk_add (GTask        *task,
                HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  const HangarDiskDef *wanted = g_ptr_array_index (hangar_domain_get_def (u->domain)->disks,
                                                   change->new_index);
  HangarDiskDef disk = *wanted;
  g_autoptr(JsonObject) file = NULL, format = NULL, device = NULL;
  g_autoptr(GError) error = NULL;

  if (u->step == 0 && !pick_alias (self, u, &error))
    {
      step_failed (task, error);
      return;
    }
  disk.alias = u->alias;
  hangar_qemu_hotplug_disk (&disk, 0, u->bus, &file, &format, &device);
  switch (u->step)
    {
    case 0:
      send (task, "blockdev-add", file);
      break;
    case 1:
      send (task, "blockdev-add", format);
      break;
    case 2:
      send (task, "device_add", device);
      break;
    default:
      {
        g_autoptr(HangarDomain) live = hangar_domain_add_device (self->live_domain, u->domain,
                                                                 "disk", change->new_index,
                                                                 u->alias, &error);
        live ? step_done (task, live) : step_failed (task, error);
      }
    }
}

static void
apply_disk_remove (GTask        *task,
                   HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  guint index = live_disk (self, change->key);
  const HangarDiskDef *disk = g_ptr_array_index (hangar_domain_get_def (self->live_domain)->disks,
                                                 index);
  g_autofree char *id = NULL, *file_node = NULL, *format_node = NULL;
  g_autoptr(GError) error = NULL;

  hangar_qemu_disk_names (disk, index, &id, &file_node, &format_node);
  if (u->step < 2)
    {
      unplug (task, id);
      return;
    }
  if (u->step == 2)
    {
      /* The device is gone; its nodes go with no error worth reporting. */
      _hangar_machine_qmp_send_quietly (self, "blockdev-del", "node-name", format_node);
      _hangar_machine_qmp_send_quietly (self, "blockdev-del", "node-name", file_node);
    }
  {
    g_autoptr(HangarDomain) live = hangar_domain_remove_device (self->live_domain, "disk", index,
                                                                &error);
    live ? step_done (task, live) : step_failed (task, error);
  }
}

static void
apply_net_add (GTask        *task,
               HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  const HangarNetDef *wanted = g_ptr_array_index (hangar_domain_get_def (u->domain)->nets,
                                                  change->new_index);
  HangarNetDef net = *wanted;
  g_autoptr(JsonObject) netdev = NULL, device = NULL;
  g_autoptr(GError) error = NULL;

  if (u->step == 0 && !pick_alias (self, u, &error))
    {
      step_failed (task, error);
      return;
    }
  net.alias = u->alias;
  hangar_qemu_hotplug_net (&net, 0, u->bus, &netdev, &device);
  switch (u->step)
    {
    case 0:
      send (task, "netdev_add", netdev);
      break;
    case 1:
      send (task, "device_add", device);
      break;
    default:
      {
        g_autoptr(HangarDomain) live = hangar_domain_add_device (self->live_domain, u->domain,
                                                                 "interface", change->new_index,
                                                                 u->alias, &error);
        if (live != NULL && wanted->link_down)
          {
            g_autoptr(JsonObject) link = json_object_new ();
            g_autofree char *id = NULL, *netdev_id = NULL;

            hangar_qemu_net_names (&net, 0, &id, &netdev_id);
            json_object_set_string_member (link, "name", id);
            json_object_set_boolean_member (link, "up", FALSE);
            _hangar_machine_qmp_command (self, "set_link", link);
          }
        live ? step_done (task, live) : step_failed (task, error);
      }
    }
}

static void
apply_net_remove (GTask        *task,
                  HangarChange *change)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  guint index = live_net (self, change->key);
  const HangarNetDef *net = g_ptr_array_index (hangar_domain_get_def (self->live_domain)->nets,
                                               index);
  g_autofree char *id = NULL, *netdev = NULL;
  g_autoptr(GError) error = NULL;

  hangar_qemu_net_names (net, index, &id, &netdev);
  if (u->step < 2)
    {
      unplug (task, id);
      return;
    }
  _hangar_machine_qmp_send_quietly (self, "netdev_del", "id", netdev);
  {
    g_autoptr(HangarDomain) live = hangar_domain_remove_device (self->live_domain, "interface",
                                                                index, &error);
    live ? step_done (task, live) : step_failed (task, error);
  }
}

static void
finish (GTask *task)
{
  HangarMachine *self = g_task_get_source_object (task);

  self->updating = FALSE;
  _hangar_machine_emit_changed (self);
  g_task_return_boolean (task, TRUE);
}

static void
apply_next (GTask *task)
{
  HangarMachine *self = g_task_get_source_object (task);
  Update *u = g_task_get_task_data (task);
  HangarChange *change;

  while (u->next < u->changes->len && !is_live (g_ptr_array_index (u->changes, u->next)))
    u->next++;
  if (u->next >= u->changes->len || !hangar_machine_is_active (self))
    {
      finish (task);
      return;
    }

  change = g_ptr_array_index (u->changes, u->next);
  switch (change->kind)
    {
    case HANGAR_CHANGE_BALLOON:
      apply_balloon (task, change);
      break;
    case HANGAR_CHANGE_LINK:
      apply_link (task, change);
      break;
    case HANGAR_CHANGE_MEDIA:
      apply_media (task, change);
      break;
    case HANGAR_CHANGE_DISK_ADD:
      apply_disk_add (task, change);
      break;
    case HANGAR_CHANGE_DISK_REMOVE:
      apply_disk_remove (task, change);
      break;
    case HANGAR_CHANGE_NET_ADD:
      apply_net_add (task, change);
      break;
    case HANGAR_CHANGE_NET_REMOVE:
      apply_net_remove (task, change);
      break;
    case HANGAR_CHANGE_VCPUS:
      apply_vcpus (task, change);
      break;
    case HANGAR_CHANGE_RESTART:
    default:
      g_assert_not_reached ();
    }
}

/**
 * hangar_machine_update_async:
 * @domain: the machine's new definition, saved already
 *
 * Makes @domain the machine's definition and, when QEMU runs, applies what it can
 * take live. Fails only when another update is under way.
 */
void
hangar_machine_update_async (HangarMachine       *self,
                             HangarDomain        *domain,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Update *u;
  gboolean any_live = FALSE;

  g_task_set_source_tag (task, hangar_machine_update_async);
  if (self->updating)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                               _("Another change to “%s” is being applied; try again in a "
                                 "moment."), hangar_machine_get_name (self));
      return;
    }

  u = g_new0 (Update, 1);
  u->domain = hangar_domain_ref (domain);
  u->applied = g_strv_builder_new ();
  u->failed = g_strv_builder_new ();
  g_task_set_task_data (task, u, update_free);
  hangar_machine_set_domain (self, domain);

  if ((self->state != HANGAR_MACHINE_RUNNING && self->state != HANGAR_MACHINE_PAUSED) ||
      self->live_domain == NULL || self->qmp == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  u->changes = hangar_domain_diff (hangar_domain_get_def (self->live_domain),
                                   hangar_domain_get_def (domain));
  for (guint i = 0; i < u->changes->len; i++)
    any_live |= is_live (g_ptr_array_index (u->changes, i));
  if (!any_live)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Devices keep the ids QEMU knows them by while others come and go. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HangarDomain) pinned = hangar_domain_pin_aliases (self->live_domain, &error);

    if (pinned == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    _hangar_machine_set_live_domain (self, pinned);
  }
  self->updating = TRUE;
  apply_next (task);
}

/**
 * hangar_machine_update_finish:
 * @applied_live: (out): the changes the running guest has now
 * @pending: (out): the changes that wait for the next start
 */
gboolean
hangar_machine_update_finish (HangarMachine  *self,
                              GAsyncResult   *result,
                              GStrv          *applied_live,
                              GStrv          *pending,
                              GError        **error)
{
  GTask *task = G_TASK (result);
  Update *u = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) all_pending = g_strv_builder_new ();

  if (!g_task_propagate_boolean (task, error))
    return FALSE;

  /* QEMU's refusals with their reasons, then what never was live. */
  {
    g_auto(GStrv) failed = g_strv_builder_end (u->failed);
    g_strv_builder_addv (all_pending, (const char **) failed);
  }
  if (u->changes != NULL && hangar_machine_is_active (self))
    {
      for (guint i = 0; i < u->changes->len; i++)
        {
          HangarChange *change = g_ptr_array_index (u->changes, i);
          if (!is_live (change))
            g_strv_builder_add (all_pending, change->summary);
        }
    }
  else if (hangar_machine_is_active (self))
    {
      g_auto(GStrv) remaining = hangar_machine_get_pending_changes (self);
      g_strv_builder_addv (all_pending, (const char **) remaining);
    }
  *applied_live = g_strv_builder_end (u->applied);
  *pending = g_strv_builder_end (all_pending);
  return TRUE;
}
