/* hangar-domain-diff.c: what differs between two definitions, and how it can apply
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Disks are matched by their target (vda, sdc), NICs by their MAC address. What
 * QEMU can take while the guest runs is marked so (see HangarChangeKind); the rest
 * waits for the next start. Names, titles, descriptions and the OS id are not QEMU's
 * business and never appear here.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hangar-domain-diff.h"

static void
change_free (gpointer data)
{
  HangarChange *change = data;

  g_free (change->summary);
  g_free (change->key);
  g_free (change);
}

G_GNUC_PRINTF (6, 7)
static void
add_change (GPtrArray        *changes,
            HangarChangeKind  kind,
            guint             old_index,
            guint             new_index,
            const char       *key,
            const char       *format,
            ...)
{
  HangarChange *change = g_new0 (HangarChange, 1);
  va_list args;

  change->kind = kind;
  change->key = g_strdup (key);
  change->old_index = old_index;
  change->new_index = new_index;
  va_start (args, format);
  change->summary = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (changes, change);
}

#define add_restart(changes, ...) add_change (changes, HANGAR_CHANGE_RESTART, G_MAXUINT, \
                                              G_MAXUINT, NULL, __VA_ARGS__)

/**
 * hangar_format_kib:
 *
 * "512 MiB", "2 GiB", "1.5 GiB", "100 KiB": a memory size as people read it.
 */
char *
hangar_format_kib (guint64 kib)
{
  if (kib >= 1024 * 1024 && kib % (1024 * 1024 / 4) == 0)
    {
      if (kib % (1024 * 1024) == 0)
        return g_strdup_printf ("%" G_GUINT64_FORMAT " GiB", kib / (1024 * 1024));
      return g_strdup_printf ("%.2g GiB", kib / (1024.0 * 1024.0));
    }
  if (kib % 1024 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MiB", kib / 1024);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " KiB", kib);
}

static const char *
or_none (const char *value)
{
  return value != NULL ? value : _("none");
}

static gboolean
differ (const char *a,
        const char *b)
{
  return g_strcmp0 (a, b) != 0;
}

static void
diff_memory (const HangarDomainDef *o,
             const HangarDomainDef *n,
             GPtrArray             *changes)
{
  if (o->memory_kib != n->memory_kib)
    {
      g_autofree char *from = hangar_format_kib (o->memory_kib);
      g_autofree char *to = hangar_format_kib (n->memory_kib);

      add_restart (changes, _("Memory: %s to %s"), from, to);
    }
  if (o->current_memory_kib != n->current_memory_kib)
    {
      g_autofree char *from = hangar_format_kib (o->current_memory_kib);
      g_autofree char *to = hangar_format_kib (n->current_memory_kib);
      /* The balloon can give the guest no more than it started with. */
      gboolean live = o->balloon && n->balloon && n->current_memory_kib <= o->memory_kib;

      add_change (changes, live ? HANGAR_CHANGE_BALLOON : HANGAR_CHANGE_RESTART,
                  G_MAXUINT, G_MAXUINT, NULL, _("Current memory: %s to %s"), from, to);
    }
  if (o->balloon != n->balloon)
    add_restart (changes, n->balloon ? _("Memory balloon added") : _("Memory balloon removed"));
}

static void
diff_processor (const HangarDomainDef *o,
                const HangarDomainDef *n,
                GPtrArray             *changes)
{
  gboolean plain = o->vcpus == o->vcpus_current && n->vcpus == n->vcpus_current;

  if (plain && o->vcpus != n->vcpus)
    add_restart (changes, _("Processors: %u to %u"), o->vcpus, n->vcpus);
  if (!plain && o->vcpus != n->vcpus)
    add_restart (changes, _("Maximum processors: %u to %u"), o->vcpus, n->vcpus);
  if (!plain && o->vcpus_current != n->vcpus_current)
    {
      /* Plugged in up to the most QEMU started with; taking them out needs the guest to
       * agree, and waits. */
      gboolean live = n->vcpus_current > o->vcpus_current && n->vcpus_current <= o->vcpus;

      add_change (changes, live ? HANGAR_CHANGE_VCPUS : HANGAR_CHANGE_RESTART, G_MAXUINT,
                  G_MAXUINT, NULL, _("Processors: %u to %u"), o->vcpus_current,
                  n->vcpus_current);
    }
  if (o->sockets != n->sockets || o->dies != n->dies || o->cores != n->cores ||
      o->threads != n->threads)
    add_restart (changes, _("Processor topology: %u sockets, %u cores, %u threads"),
                 n->sockets, n->cores, n->threads);
  if (differ (o->cpu_mode, n->cpu_mode) || differ (o->cpu_model, n->cpu_model))
    add_restart (changes, _("Processor model: %s to %s"),
                 o->cpu_model ? o->cpu_model : or_none (o->cpu_mode),
                 n->cpu_model ? n->cpu_model : or_none (n->cpu_mode));
}

static void
diff_machine (const HangarDomainDef *o,
              const HangarDomainDef *n,
              GPtrArray             *changes)
{
  if (differ (o->machine, n->machine) || differ (o->arch, n->arch))
    add_restart (changes, _("Machine type: %s to %s"), o->machine, n->machine);
  if (differ (o->firmware, n->firmware) || differ (o->loader, n->loader) ||
      differ (o->nvram, n->nvram) || o->secure_boot != n->secure_boot)
    add_restart (changes, _("Firmware: %s to %s%s"), o->firmware, n->firmware,
                 n->secure_boot ? _(" with Secure Boot") : "");
  if (differ (o->boot_order, n->boot_order) || o->boot_menu != n->boot_menu)
    add_restart (changes, _("Boot options"));
  if (differ (o->kernel, n->kernel) || differ (o->initrd, n->initrd) ||
      differ (o->cmdline, n->cmdline))
    add_restart (changes, _("Direct kernel boot"));
  if (o->acpi != n->acpi || o->apic != n->apic)
    add_restart (changes, _("ACPI and APIC"));
  if (differ (o->clock_offset, n->clock_offset))
    add_restart (changes, _("Clock: %s to %s"), o->clock_offset, n->clock_offset);
  if (differ (o->on_poweroff, n->on_poweroff) || differ (o->on_reboot, n->on_reboot) ||
      differ (o->on_crash, n->on_crash))
    add_restart (changes, _("What happens at power-off, reboot and crash"));
}

static guint
find_disk (const HangarDomainDef *def,
           const char            *target)
{
  for (guint i = 0; i < def->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (def->disks, i);
      if (g_str_equal (disk->target, target))
        return i;
    }
  return G_MAXUINT;
}

static const char *
disk_noun (const HangarDiskDef *disk)
{
  return g_str_equal (disk->device, "cdrom") ? _("CD-ROM") : _("Disk");
}

static void
diff_disks (const HangarDomainDef *o,
            const HangarDomainDef *n,
            GPtrArray             *changes)
{
  for (guint i = 0; i < o->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (o->disks, i);

      if (find_disk (n, disk->target) == G_MAXUINT)
        add_change (changes,
                    g_str_equal (disk->bus, "virtio") ? HANGAR_CHANGE_DISK_REMOVE :
                                                        HANGAR_CHANGE_RESTART,
                    i, G_MAXUINT, disk->target, _("%s %s removed"), disk_noun (disk),
                    disk->target);
    }

  for (guint j = 0; j < n->disks->len; j++)
    {
      HangarDiskDef *disk = g_ptr_array_index (n->disks, j);
      guint i = find_disk (o, disk->target);
      HangarDiskDef *old;

      if (i == G_MAXUINT)
        {
          gboolean live = g_str_equal (disk->bus, "virtio") && disk->source != NULL &&
                          disk->boot_order == 0;
          add_change (changes, live ? HANGAR_CHANGE_DISK_ADD : HANGAR_CHANGE_RESTART,
                      G_MAXUINT, j, disk->target, _("%s %s added"), disk_noun (disk),
                      disk->target);
          continue;
        }

      old = g_ptr_array_index (o->disks, i);
      if (differ (old->device, disk->device) || differ (old->bus, disk->bus))
        {
          add_restart (changes, _("%s %s: now a %s on the %s bus"), disk_noun (old),
                       disk->target, disk_noun (disk), disk->bus);
          continue;
        }
      if (differ (old->cache, disk->cache) || old->readonly != disk->readonly ||
          differ (old->discard, disk->discard) || old->shareable != disk->shareable)
        add_restart (changes, _("%s %s: cache mode and access"), disk_noun (disk), disk->target);
      if (old->boot_order != disk->boot_order)
        add_restart (changes, _("%s %s: boot order"), disk_noun (disk), disk->target);
      if (differ (old->source, disk->source) ||
          (disk->source != NULL && differ (old->format, disk->format)))
        {
          gboolean cdrom = g_str_equal (disk->device, "cdrom");

          if (cdrom && disk->source == NULL)
            add_change (changes, HANGAR_CHANGE_MEDIA, i, j, disk->target, _("CD-ROM %s: ejected"),
                        disk->target);
          else if (cdrom)
            add_change (changes, HANGAR_CHANGE_MEDIA, i, j, disk->target,
                        _("CD-ROM %s: %s inserted"),
                        disk->target, disk->source);
          else
            add_restart (changes, _("Disk %s: image %s"), disk->target, disk->source);
        }
    }
}

static guint
find_net (const HangarDomainDef *def,
          const char            *mac)
{
  for (guint i = 0; i < def->nets->len; i++)
    {
      HangarNetDef *net = g_ptr_array_index (def->nets, i);
      if (g_str_equal (net->mac, mac))
        return i;
    }
  return G_MAXUINT;
}

static void
diff_nets (const HangarDomainDef *o,
           const HangarDomainDef *n,
           GPtrArray             *changes)
{
  for (guint i = 0; i < o->nets->len; i++)
    {
      HangarNetDef *net = g_ptr_array_index (o->nets, i);

      if (find_net (n, net->mac) == G_MAXUINT)
        add_change (changes, HANGAR_CHANGE_NET_REMOVE, i, G_MAXUINT, net->mac,
                    _("Network card %s removed"), net->mac);
    }

  for (guint j = 0; j < n->nets->len; j++)
    {
      HangarNetDef *net = g_ptr_array_index (n->nets, j);
      guint i = find_net (o, net->mac);
      HangarNetDef *old;

      if (i == G_MAXUINT)
        {
          add_change (changes, net->boot_order == 0 ? HANGAR_CHANGE_NET_ADD :
                                                      HANGAR_CHANGE_RESTART,
                      G_MAXUINT, j, net->mac, _("Network card %s added"), net->mac);
          continue;
        }
      old = g_ptr_array_index (o->nets, i);
      if (differ (old->model, net->model))
        add_restart (changes, _("Network card %s: model %s to %s"), net->mac, old->model,
                     net->model);
      if (old->boot_order != net->boot_order)
        add_restart (changes, _("Network card %s: boot order"), net->mac);
      if (old->link_down != net->link_down)
        add_change (changes, HANGAR_CHANGE_LINK, i, j, net->mac,
                    net->link_down ? _("Network card %s: cable unplugged") :
                                     _("Network card %s: cable plugged in"), net->mac);
    }
}

static gboolean
serials_equal (const HangarDomainDef *o,
               const HangarDomainDef *n)
{
  if (o->serials->len != n->serials->len)
    return FALSE;
  for (guint i = 0; i < o->serials->len; i++)
    {
      HangarSerialDef *a = g_ptr_array_index (o->serials, i);
      HangarSerialDef *b = g_ptr_array_index (n->serials, i);
      if (a->port != b->port || differ (a->log_path, b->log_path))
        return FALSE;
    }
  return TRUE;
}

static gboolean
inputs_equal (const HangarDomainDef *o,
              const HangarDomainDef *n)
{
  if (o->inputs->len != n->inputs->len)
    return FALSE;
  for (guint i = 0; i < o->inputs->len; i++)
    {
      HangarInputDef *a = g_ptr_array_index (o->inputs, i);
      HangarInputDef *b = g_ptr_array_index (n->inputs, i);
      if (differ (a->type, b->type) || differ (a->bus, b->bus))
        return FALSE;
    }
  return TRUE;
}

static void
diff_other_devices (const HangarDomainDef *o,
                    const HangarDomainDef *n,
                    GPtrArray             *changes)
{
  if (!serials_equal (o, n))
    add_restart (changes, _("Serial ports"));
  if (!inputs_equal (o, n))
    add_restart (changes, _("Input devices"));
  if (o->channels->len != n->channels->len ||
      (o->channels->len > 0 &&
       memcmp (o->channels->data, n->channels->data,
               o->channels->len * sizeof (HangarChannelKind)) != 0))
    add_restart (changes, _("Channels"));
  if (o->has_vnc != n->has_vnc || o->has_spice != n->has_spice)
    add_restart (changes, _("Display"));
  if (differ (o->video, n->video))
    add_restart (changes, _("Video: %s to %s"), or_none (o->video), or_none (n->video));
  if (differ (o->sound, n->sound))
    add_restart (changes, _("Sound: %s to %s"), or_none (o->sound), or_none (n->sound));
  if (differ (o->rng_backend, n->rng_backend))
    add_restart (changes, n->rng_backend ? _("Random number generator: %s") :
                                           _("Random number generator removed"),
                 n->rng_backend);
  if (differ (o->watchdog_model, n->watchdog_model) ||
      differ (o->watchdog_action, n->watchdog_action))
    add_restart (changes, n->watchdog_model ? _("Watchdog: %s, %s") : _("Watchdog removed"),
                 n->watchdog_model, n->watchdog_action);
  if (differ (o->usb_model, n->usb_model))
    add_restart (changes, _("USB controller: %s to %s"), or_none (o->usb_model),
                 or_none (n->usb_model));
  {
    guint o_len = o->usb_hostdevs ? o->usb_hostdevs->len : 0;
    guint n_len = n->usb_hostdevs ? n->usb_hostdevs->len : 0;

    /* A running machine takes host devices live with AttachUsb; the definition's apply
     * at the next start. */
    if (o_len != n_len ||
        (o_len > 0 && memcmp (o->usb_hostdevs->data, n->usb_hostdevs->data,
                              o_len * sizeof (HangarUsbHostdevDef)) != 0))
      add_restart (changes, _("USB host devices"));
  }
  if (o->usb_redirdevs != n->usb_redirdevs)
    add_restart (changes, _("USB redirection channels: %u to %u"), o->usb_redirdevs,
                 n->usb_redirdevs);
}

/**
 * hangar_domain_diff:
 * @old_def: what the machine runs
 * @new_def: its definition now
 *
 * Returns: (element-type HangarChange): the changes from @old_def to @new_def, in
 * the order they apply: removals before additions, so a freed slot can be reused.
 */
GPtrArray *
hangar_domain_diff (const HangarDomainDef *old_def,
                    const HangarDomainDef *new_def)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func (change_free);

  diff_memory (old_def, new_def, changes);
  diff_processor (old_def, new_def, changes);
  diff_machine (old_def, new_def, changes);
  diff_disks (old_def, new_def, changes);
  diff_nets (old_def, new_def, changes);
  diff_other_devices (old_def, new_def, changes);

  /* Removals first, the rest in the order found. */
  for (guint i = 0, removals = 0; i < changes->len; i++)
    {
      HangarChange *change = g_ptr_array_index (changes, i);

      if (change->kind == HANGAR_CHANGE_DISK_REMOVE || change->kind == HANGAR_CHANGE_NET_REMOVE)
        {
          g_ptr_array_steal_index (changes, i);
          g_ptr_array_insert (changes, removals++, change);
        }
    }
  return changes;
}

/* Returns: the summaries of @changes, NULL-terminated. */
GStrv
hangar_domain_diff_summaries (GPtrArray *changes)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < changes->len; i++)
    g_strv_builder_add (builder, ((HangarChange *) g_ptr_array_index (changes, i))->summary);
  return g_strv_builder_end (builder);
}
