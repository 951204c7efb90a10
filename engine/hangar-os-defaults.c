/* hangar-os-defaults.c: what a new machine for an OS gets, from the catalogue
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure: an OsinfoOs (or none, for "generic") and the host in, defaults out.
 * Resources are the OS's recommended ones for x86_64, bounded by the host; device
 * models are the best the OS has drivers for: virtio, else what it knows of
 * Intel's (SATA on q35, IDE on pc; e1000e, e1000), else rtl8139.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <string.h>

#include "hangar-os-defaults.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
/* For an OS the catalogue does not know, or knows nothing of: as virt-manager. */
#define GENERIC_MEMORY_KIB (2 * 1024 * 1024)
#define GENERIC_VCPUS 2
#define GENERIC_DISK_BYTES (20 * GIB)

/* The x86_64 entry of a resources list, or the "all" one. */
static OsinfoResources *
resources_for_x86_64 (OsinfoResourcesList *list)
{
  OsinfoResources *all = NULL;

  for (int i = 0; list && i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoResources *resources = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *arch = osinfo_resources_get_architecture (resources);

      if (g_strcmp0 (arch, "x86_64") == 0)
        return resources;
      if (g_strcmp0 (arch, OSINFO_ARCHITECTURE_ALL) == 0)
        all = resources;
    }
  return all;
}

static gboolean
has_device (OsinfoDeviceList   *devices,
            const char         *device_class,
            const char * const *names)
{
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (devices)); i++)
    {
      OsinfoDevice *device = OSINFO_DEVICE (osinfo_list_get_nth (OSINFO_LIST (devices), i));

      if (g_strcmp0 (osinfo_device_get_class (device), device_class) == 0 &&
          g_strv_contains (names, osinfo_device_get_name (device)))
        return TRUE;
    }
  return FALSE;
}

/* Whether the OS refuses BIOS on x86_64 (it marks bios supported='false'). */
static gboolean
needs_uefi (OsinfoOs *os)
{
  g_autoptr(OsinfoFirmwareList) list = osinfo_os_get_complete_firmware_list (os, NULL);

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoFirmware *firmware = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (list), i));

      if (g_strcmp0 (osinfo_firmware_get_architecture (firmware), "x86_64") == 0 &&
          g_strcmp0 (osinfo_firmware_get_firmware_type (firmware), "bios") == 0 &&
          !osinfo_firmware_is_supported (firmware))
        return TRUE;
    }
  return FALSE;
}

static void
compute_resources (OsinfoOs         *os,
                   HangarOsDefaults *out)
{
  g_autoptr(OsinfoResourcesList) recommended = osinfo_os_get_recommended_resources (os);
  g_autoptr(OsinfoResourcesList) minimum = osinfo_os_get_minimum_resources (os);
  OsinfoResources *best = resources_for_x86_64 (recommended);
  OsinfoResources *least = resources_for_x86_64 (minimum);

  if (least != NULL)
    {
      if (osinfo_resources_get_ram (least) > 0)
        out->minimum_memory_kib = osinfo_resources_get_ram (least) / 1024;
      if (osinfo_resources_get_storage (least) > 0)
        out->minimum_disk_bytes = osinfo_resources_get_storage (least);
    }
  if (best != NULL)
    {
      if (osinfo_resources_get_ram (best) > 0)
        out->memory_kib = osinfo_resources_get_ram (best) / 1024;
      if (osinfo_resources_get_n_cpus (best) > 0)
        out->vcpus = osinfo_resources_get_n_cpus (best);
      if (osinfo_resources_get_storage (best) > 0)
        out->disk_bytes = osinfo_resources_get_storage (best);
    }
  out->memory_kib = MAX (out->memory_kib, out->minimum_memory_kib);
  out->disk_bytes = MAX (out->disk_bytes, out->minimum_disk_bytes);
}

/**
 * hangar_os_defaults_compute:
 * @os: (nullable): the OS, or NULL for "generic"
 */
void
hangar_os_defaults_compute (OsinfoOs         *os,
                            guint64           host_memory_kib,
                            guint             host_cpus,
                            HangarOsDefaults *out)
{
  static const char * const virtio_block[] = { "virtio-block", "virtio1.0-block", NULL };
  static const char * const virtio_net[] = { "virtio-net", "virtio1.0-net", NULL };
  static const char * const q35[] = { "qemu-x86-q35", NULL };
  static const char * const e1000e[] = { "e1000e", NULL };
  static const char * const e1000[] = { "e1000", NULL };
  g_autoptr(OsinfoDeviceList) devices = NULL;

  *out = (HangarOsDefaults) {
    .memory_kib = GENERIC_MEMORY_KIB, .minimum_memory_kib = 0,
    .disk_bytes = GENERIC_DISK_BYTES, .minimum_disk_bytes = 0,
    .vcpus = GENERIC_VCPUS,
    .machine = "q35", .firmware = "bios", .disk_bus = "sata", .nic_model = "e1000e",
  };

  if (os != NULL)
    {
      compute_resources (os, out);
      devices = osinfo_os_get_all_devices (os, NULL);
      out->machine = has_device (devices, "chipset", q35) ? "q35" : "pc";
      out->disk_bus = has_device (devices, "block", virtio_block) ? "virtio" :
                      g_str_equal (out->machine, "q35") ? "sata" : "ide";
      out->nic_model = has_device (devices, "net", virtio_net) ? "virtio" :
                       has_device (devices, "net", e1000e) ? "e1000e" :
                       has_device (devices, "net", e1000) ? "e1000" : "rtl8139";
      /* The catalogue says which OS refuses BIOS, not which needs Secure Boot: of those,
       * Windows (11) requires Secure Boot; others get plain UEFI. */
      if (needs_uefi (os))
        out->firmware = g_strcmp0 (osinfo_os_get_family (os), "winnt") == 0 ? "uefi-secure" :
                                                                                "uefi";
      if (!g_str_equal (out->firmware, "bios"))
        out->machine = "q35";
    }

  /* Never more than the host has: half its memory, all its CPUs. */
  if (host_memory_kib > 0)
    out->memory_kib = MIN (out->memory_kib, MAX (host_memory_kib / 2, out->minimum_memory_kib));
  if (host_memory_kib > 0)
    out->memory_kib = MIN (out->memory_kib, host_memory_kib);
  if (host_cpus > 0)
    out->vcpus = MIN (out->vcpus, host_cpus);
  out->vcpus = MAX (out->vcpus, 1);
}

GVariant *
hangar_os_defaults_to_variant (const HangarOsDefaults *defaults,
                               const char             *os_id,
                               const char             *os_name,
                               const char             *short_id,
                               const char             *name)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "os-id", "s", os_id);
  g_variant_dict_insert (&dict, "os-name", "s", os_name ? os_name : "");
  g_variant_dict_insert (&dict, "short-id", "s", short_id ? short_id : "");
  g_variant_dict_insert (&dict, "memory-kib", "t", defaults->memory_kib);
  g_variant_dict_insert (&dict, "minimum-memory-kib", "t", defaults->minimum_memory_kib);
  g_variant_dict_insert (&dict, "vcpus", "u", defaults->vcpus);
  g_variant_dict_insert (&dict, "disk-bytes", "t", defaults->disk_bytes);
  g_variant_dict_insert (&dict, "minimum-disk-bytes", "t", defaults->minimum_disk_bytes);
  g_variant_dict_insert (&dict, "machine", "s", defaults->machine);
  g_variant_dict_insert (&dict, "firmware", "s", defaults->firmware);
  g_variant_dict_insert (&dict, "disk-bus", "s", defaults->disk_bus);
  g_variant_dict_insert (&dict, "nic-model", "s", defaults->nic_model);
  g_variant_dict_insert (&dict, "name", "s", name);
  return g_variant_dict_end (&dict);
}
