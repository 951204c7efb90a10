/* hangar-create.c: a new machine from an OS's defaults and a few choices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Host1.CreateMachine and `hangarctl create` both come here: the options are
 * checked one by one (each error names its option), the OS's defaults fill what is
 * not given, an install tree's kernel and initrd are downloaded into the machine's
 * data folder, and the definition is written as libvirt XML and defined like any
 * other. Nothing is left behind when a step fails.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hangar-create.h"
#include "hangar-domain.h"
#include "hangar-download.h"
#include "hangar-error.h"
#include "hangar-media.h"
#include "hangar-os-defaults.h"
#include "hangar-paths.h"

typedef struct
{
  GVariantDict     options;
  char            *uuid;
  char            *name;
  char            *os_id;
  char            *os_family;
  HangarOsDefaults defaults;
  char            *disk_format;
  gboolean         media_is_drive; /* "media" is a host CD/DVD drive, not an ISO image */
  char            *kernel;       /* for "url": the downloaded files */
  char            *initrd;
  char            *kernel_url;
  char            *initrd_url;
  guint            downloads;
  GError          *download_error;
} Create;

static void
create_free (gpointer data)
{
  Create *create = data;

  g_variant_dict_clear (&create->options);
  g_free (create->uuid);
  g_free (create->name);
  g_free (create->os_id);
  g_free (create->os_family);
  g_free (create->disk_format);
  g_free (create->kernel);
  g_free (create->initrd);
  g_free (create->kernel_url);
  g_free (create->initrd_url);
  g_clear_error (&create->download_error);
  g_free (create);
}

static const char *
option (Create     *create,
        const char *key)
{
  const char *value = NULL;

  g_variant_dict_lookup (&create->options, key, "&s", &value);
  return value;
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* ---- the options ------------------------------------------------------------------- */

static gboolean
check_known_options (GVariant  *options,
                     GError   **error)
{
  static const struct { const char *key; const char *type; } known[] = {
    { "name", "s" }, { "title", "s" }, { "os-id", "s" }, { "memory-kib", "t" },
    { "vcpus", "u" }, { "install", "s" }, { "media", "s" }, { "url", "s" },
    { "kernel-args", "s" }, { "kernel", "s" }, { "initrd", "s" }, { "cmdline", "s" },
    { "disk", "s" }, { "firmware", "s" }, { "network", "s" },
  };
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (known); i++)
        if (g_str_equal (known[i].key, key))
          {
            found = TRUE;
            if (!g_variant_is_of_type (value, G_VARIANT_TYPE (known[i].type)))
              return invalid (error, _("The option “%s” must be of type “%s”, not “%s”."),
                              key, known[i].type, g_variant_get_type_string (value));
          }
      if (!found)
        return invalid (error, _("The option “%s” is unknown."), key);
    }
  return TRUE;
}

static gboolean
check_install (Create  *create,
               GError **error)
{
  static const char * const installs[] = { "cdrom", "url", "pxe", "kernel", "import", "none",
                                            NULL };
  const char *install = option (create, "install");
  const char *network = option (create, "network");

  if (install == NULL)
    install = option (create, "disk") ? "import" : "none";
  if (!g_strv_contains (installs, install))
    return invalid (error, _("The option “install” is “%s”; use cdrom, url, pxe, kernel, "
                             "import or none."), install);
  g_variant_dict_insert (&create->options, "install", "s", install);

  if (g_str_equal (install, "cdrom"))
    {
      const char *media = option (create, "media");

      if (media == NULL)
        return invalid (error, _("A CD-ROM install needs the option “media”: an ISO image "
                                 "or a CD/DVD drive."));
      if (!hangar_media_check_readable (media, TRUE, error))
        return FALSE;
      /* Not a file, so a block device: a host drive, which must hold a disc. */
      create->media_is_drive = !g_file_test (media, G_FILE_TEST_IS_REGULAR);
      if (create->media_is_drive && !hangar_media_check_disc (media, error))
        return FALSE;
    }
  if (g_str_equal (install, "url") && option (create, "url") == NULL)
    return invalid (error, _("A network install needs the option “url”: an install tree."));
  if (g_str_equal (install, "kernel") && option (create, "kernel") == NULL)
    return invalid (error, _("A direct kernel boot needs the option “kernel”."));
  if (g_str_equal (install, "import") && option (create, "disk") == NULL)
    return invalid (error, _("An import needs the option “disk”: the existing image."));
  if (g_str_equal (install, "pxe") && g_strcmp0 (network, "none") == 0)
    return invalid (error, _("A network boot (PXE) needs a network; “network” is “none”."));
  if (network != NULL && !g_str_equal (network, "user") && !g_str_equal (network, "none"))
    return invalid (error, _("The option “network” is “%s”; use user or none."), network);
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "kernel" : "initrd";
      const char *path = option (create, key);

      if (path != NULL && !g_str_equal (install, "kernel"))
        return invalid (error, _("The option “%s” is for install “kernel”."), key);
      if (path != NULL && !hangar_media_check_readable (path, FALSE, error))
        return FALSE;
    }
  if (option (create, "media") != NULL && !g_str_equal (install, "cdrom"))
    return invalid (error, _("The option “media” is for install “cdrom”."));
  return TRUE;
}

static gboolean
check_resources (Create                   *create,
                 const HangarCapabilities *caps,
                 GError                  **error)
{
  guint64 memory_kib = create->defaults.memory_kib;
  guint vcpus = create->defaults.vcpus;
  const char *firmware = option (create, "firmware");

  g_variant_dict_lookup (&create->options, "memory-kib", "t", &memory_kib);
  g_variant_dict_lookup (&create->options, "vcpus", "u", &vcpus);
  if (memory_kib < 1024 || memory_kib > caps->host_memory_kib)
    {
      g_autofree char *have = g_format_size_full (caps->host_memory_kib * 1024,
                                                  G_FORMAT_SIZE_IEC_UNITS);
      return invalid (error, _("The option “memory-kib” (%" G_GUINT64_FORMAT ") must be from "
                               "1024 to what the host has (%s)."), memory_kib, have);
    }
  if (vcpus < 1 || vcpus > caps->host_cpus)
    return invalid (error, _("The option “vcpus” (%u) must be from 1 to the host’s %u CPUs."),
                    vcpus, caps->host_cpus);
  create->defaults.memory_kib = memory_kib;
  create->defaults.vcpus = vcpus;

  if (firmware != NULL)
    {
      if (!g_str_equal (firmware, "bios") && !g_str_equal (firmware, "uefi") &&
          !g_str_equal (firmware, "uefi-secure"))
        return invalid (error, _("The option “firmware” is “%s”; use bios, uefi or uefi-secure."),
                        firmware);
      create->defaults.firmware = firmware;
    }
  if (!g_strv_contains ((const char * const *) caps->firmwares, create->defaults.firmware))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_SUPPORTED,
                   _("This host cannot boot “%s” firmware: install the package ovmf."),
                   create->defaults.firmware);
      return FALSE;
    }
  if (!g_str_equal (create->defaults.firmware, "bios"))
    {
      create->defaults.machine = "q35";
      if (g_str_equal (create->defaults.disk_bus, "ide"))
        create->defaults.disk_bus = "sata";
    }
  return TRUE;
}

/* ---- the definition ------------------------------------------------------------------ */

/* @path is an image file, or with @block a host CD/DVD drive (libvirt's <source dev>). */
static void
append_disk (GString    *xml,
             const char *device,
             gboolean    block,
             const char *format,
             const char *path,
             const char *target,
             const char *bus)
{
  g_autofree char *text = g_markup_printf_escaped (
    "    <disk type='%s' device='%s'>\n"
    "      <driver name='qemu' type='%s'/>\n"
    "      <source %s='%s'/>\n"
    "      <target dev='%s' bus='%s'/>\n"
    "%s"
    "    </disk>\n", block ? "block" : "file", device, format, block ? "dev" : "file", path,
    target, bus, g_str_equal (device, "cdrom") ? "      <readonly/>\n" : "");

  g_string_append (xml, text);
}

static char *
build_xml (Create *create)
{
  const HangarOsDefaults *d = &create->defaults;
  const char *install = option (create, "install");
  const char *title = option (create, "title");
  const char *disk = option (create, "disk");
  const char *network = option (create, "network");
  gboolean efi = !g_str_equal (d->firmware, "bios");
  gboolean secure = g_str_equal (d->firmware, "uefi-secure");
  gboolean virtio = g_str_equal (d->disk_bus, "virtio");
  const char *cd_bus = g_str_equal (d->machine, "q35") ? "sata" : "ide";
  const char *phase = g_str_equal (install, "cdrom") ? "cdrom" :
                      g_str_equal (install, "url") ? "kernel" : NULL;
  const char *kernel = create->kernel ? create->kernel : option (create, "kernel");
  const char *initrd = create->initrd ? create->initrd : option (create, "initrd");
  const char *cmdline = g_str_equal (install, "url") ? option (create, "kernel-args") :
                                                       option (create, "cmdline");
  GString *xml = g_string_new (NULL);
  g_autofree char *head = NULL;

  head = g_markup_printf_escaped ("<domain type='kvm'>\n  <name>%s</name>\n  <uuid>%s</uuid>\n",
                                  create->name, create->uuid);
  g_string_append (xml, head);
  if (title != NULL)
    {
      g_autofree char *text = g_markup_printf_escaped ("  <title>%s</title>\n", title);
      g_string_append (xml, text);
    }
  g_string_append (xml, "  <metadata>\n");
  if (!g_str_equal (create->os_id, HANGAR_OSINFO_GENERIC))
    {
      g_autofree char *text = g_markup_printf_escaped (
        "    <libosinfo:libosinfo xmlns:libosinfo='" HANGAR_LIBOSINFO_NS "'>\n"
        "      <libosinfo:os id='%s'/>\n"
        "    </libosinfo:libosinfo>\n", create->os_id);
      g_string_append (xml, text);
    }
  if (phase != NULL)
    g_string_append_printf (xml, "    <hangar:install xmlns:hangar='" HANGAR_METADATA_NS "' "
                                 "phase='%s'/>\n", phase);
  g_string_append (xml, "  </metadata>\n");
  g_string_append_printf (xml, "  <memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>\n"
                               "  <vcpu>%u</vcpu>\n", d->memory_kib, d->vcpus);
  g_string_append_printf (xml, "  <os%s>\n    <type arch='x86_64' machine='%s'>hvm</type>\n",
                          efi ? " firmware='efi'" : "", d->machine);
  if (secure)
    g_string_append (xml, "    <firmware>\n"
                          "      <feature enabled='yes' name='enrolled-keys'/>\n"
                          "      <feature enabled='yes' name='secure-boot'/>\n"
                          "    </firmware>\n");
  if (kernel != NULL)
    {
      g_autofree char *text = g_markup_printf_escaped ("    <kernel>%s</kernel>\n", kernel);
      g_string_append (xml, text);
      if (initrd != NULL)
        {
          g_autofree char *more = g_markup_printf_escaped ("    <initrd>%s</initrd>\n", initrd);
          g_string_append (xml, more);
        }
      if (cmdline != NULL)
        {
          g_autofree char *more = g_markup_printf_escaped ("    <cmdline>%s</cmdline>\n", cmdline);
          g_string_append (xml, more);
        }
    }
  if (g_str_equal (install, "cdrom"))
    g_string_append (xml, "    <boot dev='cdrom'/>\n");
  else if (g_str_equal (install, "pxe"))
    g_string_append (xml, "    <boot dev='network'/>\n");
  g_string_append (xml, "    <boot dev='hd'/>\n  </os>\n");
  g_string_append_printf (xml, "  <features>\n    <acpi/>\n    <apic/>\n%s  </features>\n",
                          secure ? "    <smm state='on'/>\n" : "");
  /* Windows keeps the hardware clock in local time. */
  g_string_append_printf (xml, "  <clock offset='%s'/>\n",
                          g_strcmp0 (create->os_family, "winnt") == 0 ? "localtime" : "utc");
  g_string_append (xml, "  <devices>\n");
  if (disk != NULL)
    append_disk (xml, "disk", FALSE, create->disk_format, disk,
                 virtio ? "vda" : g_str_equal (d->disk_bus, "sata") ? "sda" : "hda", d->disk_bus);
  if (g_str_equal (install, "cdrom"))
    append_disk (xml, "cdrom", create->media_is_drive, "raw", option (create, "media"),
                 g_str_equal (cd_bus, "sata") ? "sdb" : "hdc", cd_bus);
  if (g_strcmp0 (network, "none") != 0)
    g_string_append_printf (xml, "    <interface type='user'>\n"
                                 "      <model type='%s'/>\n"
                                 "    </interface>\n", d->nic_model);
  g_string_append (xml, "    <serial type='pty'/>\n"
                        "    <controller type='usb' model='qemu-xhci'/>\n"
                        "    <input type='tablet' bus='usb'/>\n"
                        "    <graphics type='vnc'/>\n");
  g_string_append_printf (xml, "    <video>\n      <model type='%s'/>\n    </video>\n",
                          virtio ? "virtio" : "vga");
  if (virtio)
    g_string_append (xml, "    <rng model='virtio'>\n"
                          "      <backend model='random'>/dev/urandom</backend>\n"
                          "    </rng>\n"
                          "    <memballoon model='virtio'/>\n");
  else
    g_string_append (xml, "    <memballoon model='none'/>\n");
  g_string_append (xml, "  </devices>\n</domain>\n");
  return g_string_free (xml, FALSE);
}

/* ---- the steps ----------------------------------------------------------------------- */

static void
define (GTask *task)
{
  HangarEngine *engine = g_task_get_source_object (task);
  Create *create = g_task_get_task_data (task);
  g_autofree char *xml = build_xml (create);
  GError *error = NULL;
  HangarMachine *machine;

  g_debug ("Creating “%s”:\n%s", create->name, xml);
  /* Checked at the start, but a machine of the same name may have appeared since. */
  machine = hangar_engine_check_new_name (engine, create->name, &error) ?
            hangar_engine_define (engine, xml, &error) : NULL;
  if (machine == NULL)
    {
      g_autofree char *data_dir = hangar_paths_machine_data_dir (create->uuid);

      hangar_paths_remove_tree (data_dir);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_object_ref (machine), g_object_unref);
}

static void
on_downloaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Create *create = g_task_get_task_data (task);
  GError *error = NULL;

  if (!hangar_download_finish (result, &error))
    {
      if (create->download_error == NULL)
        create->download_error = error;
      else
        g_error_free (error);
    }
  if (--create->downloads > 0)
    return;
  if (create->download_error != NULL)
    {
      g_autofree char *data_dir = hangar_paths_machine_data_dir (create->uuid);

      hangar_paths_remove_tree (data_dir);
      g_task_return_error (task, g_steal_pointer (&create->download_error));
      return;
    }
  define (task);
}

static void
on_tree (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Create *create = g_task_get_task_data (task);
  g_autoptr(GVariant) tree = NULL;
  g_autofree char *data_dir = hangar_paths_machine_data_dir (create->uuid);
  GError *error = NULL;

  tree = hangar_media_identify_tree_finish (HANGAR_OSINFO (object), result, &error);
  if (tree == NULL || !hangar_paths_ensure_dir (data_dir, 0700, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_variant_lookup (tree, "kernel", "s", &create->kernel_url);
  g_variant_lookup (tree, "initrd", "s", &create->initrd_url);
  create->kernel = g_build_filename (data_dir, "installer-kernel", NULL);
  create->initrd = g_build_filename (data_dir, "installer-initrd", NULL);
  create->downloads = 2;
  hangar_download_async (create->kernel_url, create->kernel, NULL, on_downloaded,
                         g_object_ref (task));
  hangar_download_async (create->initrd_url, create->initrd, NULL, on_downloaded,
                         g_object_ref (task));
}

/* The disk's format, as qemu-img sees it: the definition must say it. */
static void
on_disk_info (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Create *create = g_task_get_task_data (task);
  HangarEngine *engine = g_task_get_source_object (task);
  g_autoptr(GVariant) info = NULL;
  GError *error = NULL;

  info = hangar_media_identify_finish (HANGAR_OSINFO (object), result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!g_variant_lookup (info, "format", "s", &create->disk_format) ||
      !g_strv_contains ((const char * const[]) { "qcow2", "raw", "vmdk", "vdi", NULL },
                        create->disk_format))
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                               _("The option “disk” names a %s image; Hangar runs qcow2, raw, "
                                 "vmdk and vdi: convert it with CreateVolume and “source”."),
                               create->disk_format ? create->disk_format : _("non-disk"));
      return;
    }
  if (g_str_equal (option (create, "install"), "url"))
    hangar_media_identify_tree_async (hangar_engine_get_osinfo (engine), option (create, "url"),
                                      on_tree, g_object_ref (task));
  else
    define (task);
}

static void
continue_with_defaults (GTask    *task,
                        OsinfoOs *os)
{
  HangarEngine *engine = g_task_get_source_object (task);
  Create *create = g_task_get_task_data (task);
  const HangarCapabilities *caps = hangar_engine_get_capabilities (engine);
  GError *error = NULL;
  const char *disk = option (create, "disk");

  hangar_os_defaults_compute (os, caps->host_memory_kib, caps->host_cpus, &create->defaults);
  create->os_family = os ? g_strdup (osinfo_os_get_family (os)) : NULL;
  if (!check_resources (create, caps, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (disk != NULL)
    hangar_media_identify_async (hangar_engine_get_osinfo (engine), disk, on_disk_info,
                                 g_object_ref (task));
  else if (g_str_equal (option (create, "install"), "url"))
    hangar_media_identify_tree_async (hangar_engine_get_osinfo (engine), option (create, "url"),
                                      on_tree, g_object_ref (task));
  else
    define (task);
}

static void
on_db (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Create *create = g_task_get_task_data (task);
  g_autoptr(OsinfoDb) db = NULL;
  GError *error = NULL;
  OsinfoOs *os;

  db = hangar_osinfo_load_finish (HANGAR_OSINFO (object), result, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  os = osinfo_db_get_os (db, create->os_id);
  if (os == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                               _("The option “os-id” is “%s”, which the catalogue does not "
                                 "know; see SearchOperatingSystems, or use “generic”."),
                               create->os_id);
      return;
    }
  continue_with_defaults (task, os);
}

/**
 * hangar_create_machine_async:
 * @options: CreateMachine's a{sv}
 *
 * Completes with the new, defined (not started) machine.
 */
void
hangar_create_machine_async (HangarEngine        *engine,
                             GVariant            *options,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, NULL, callback, user_data);
  Create *create = g_new0 (Create, 1);
  const char *os_id;
  GError *error = NULL;

  g_task_set_source_tag (task, hangar_create_machine_async);
  g_task_set_task_data (task, create, create_free);
  g_variant_dict_init (&create->options, options);
  create->uuid = g_uuid_string_random ();

  if (!check_known_options (options, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  create->name = g_strdup (option (create, "name"));
  if (create->name == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                               _("The option “name” is required."));
      return;
    }
  if (!hangar_engine_check_new_name (engine, create->name, &error) ||
      !check_install (create, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  os_id = option (create, "os-id");
  create->os_id = g_strdup (os_id ? os_id : HANGAR_OSINFO_GENERIC);
  if (g_str_equal (create->os_id, HANGAR_OSINFO_GENERIC))
    continue_with_defaults (task, NULL);
  else
    hangar_osinfo_load_async (hangar_engine_get_osinfo (engine), on_db, g_object_ref (task));
}

HangarMachine *
hangar_create_machine_finish (HangarEngine  *engine,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GetOsDefaults ------------------------------------------------------------------ */

static void
on_db_for_defaults (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HangarEngine *engine = g_task_get_source_object (task);
  const HangarCapabilities *caps = hangar_engine_get_capabilities (engine);
  const char *os_id = g_task_get_task_data (task);
  g_autoptr(OsinfoDb) db = NULL;
  g_autofree char *name = NULL;
  HangarOsDefaults defaults;
  GError *error = NULL;
  OsinfoOs *os = NULL;
  const char *short_id = NULL;

  if (!g_str_equal (os_id, HANGAR_OSINFO_GENERIC))
    {
      db = hangar_osinfo_load_finish (HANGAR_OSINFO (object), result, &error);
      if (db == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      os = osinfo_db_get_os (db, os_id);
      if (os == NULL)
        {
          g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                                   _("The catalogue has no operating system “%s”."), os_id);
          return;
        }
      short_id = osinfo_product_get_short_id (OSINFO_PRODUCT (os));
    }
  hangar_os_defaults_compute (os, caps->host_memory_kib, caps->host_cpus, &defaults);
  if (!g_strv_contains ((const char * const *) caps->firmwares, defaults.firmware))
    defaults.firmware = "bios"; /* the best this host can; CreateMachine says why not more */
  name = hangar_engine_free_name (engine, short_id ? short_id : "vm");
  g_task_return_pointer (task,
                         g_variant_ref_sink (hangar_os_defaults_to_variant (
                           &defaults, os_id,
                           os ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : "",
                           short_id ? short_id : HANGAR_OSINFO_GENERIC, name)),
                         (GDestroyNotify) g_variant_unref);
}

void
hangar_create_os_defaults_async (HangarEngine        *engine,
                                 const char          *os_id,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, NULL, callback, user_data);

  g_task_set_source_tag (task, hangar_create_os_defaults_async);
  g_task_set_task_data (task, g_strdup (os_id), g_free);
  if (g_str_equal (os_id, HANGAR_OSINFO_GENERIC))
    on_db_for_defaults (NULL, NULL, g_steal_pointer (&task));
  else
    hangar_osinfo_load_async (hangar_engine_get_osinfo (engine), on_db_for_defaults,
                              g_steal_pointer (&task));
}

GVariant *
hangar_create_os_defaults_finish (HangarEngine  *engine,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
