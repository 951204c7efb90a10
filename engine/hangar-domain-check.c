/* hangar-domain-check.c: rules that span several devices, and checks against the host
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hangar-domain-private.h"
#include "hangar-error.h"
#include "hangar-paths.h"

static gboolean
machine_is_q35 (const HangarDomainDef *def)
{
  return g_str_equal (def->machine, "q35") || g_str_has_prefix (def->machine, "pc-q35-");
}

/* Rules between devices that no single element shows. Pure: reads no file. */
gboolean
hangar_domain_check_devices (const HangarDomainDef  *def,
                             GError                **error)
{
  gboolean device_boot = FALSE;

  for (guint i = 0; i < def->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (def->disks, i);
      /* pc's IDE has two buses of two units, an AHCI controller six ports, and Hangar's
       * virtio-scsi controller one bus of 256 targets; the target name picks the place. */
      guint places = g_str_equal (disk->bus, "ide") ? 4 :
                     g_str_equal (disk->bus, "sata") ? 6 :
                     g_str_equal (disk->bus, "scsi") ? 256 : G_MAXUINT;

      if (disk->index >= places)
        {
          g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG,
                       _("The disk target “%s” is past the end of the %s bus, which has %u "
                         "places (%s to %s); use another target or the virtio bus."),
                       disk->target, disk->bus, places,
                       g_str_equal (disk->bus, "ide") ? "hda" : "sda",
                       g_str_equal (disk->bus, "ide") ? "hdd" :
                       g_str_equal (disk->bus, "sata") ? "sdf" : "sdiv");
          return FALSE;
        }

      if (g_str_equal (disk->bus, "ide") && machine_is_q35 (def))
        {
          g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG,
                       _("The disk “%s” is on the IDE bus, which q35 machines do not have; "
                         "use sata."), disk->target);
          return FALSE;
        }
      device_boot |= disk->boot_order > 0;
    }
  for (guint i = 0; i < def->nets->len; i++)
    device_boot |= ((HangarNetDef *) g_ptr_array_index (def->nets, i))->boot_order > 0;

  if (device_boot && def->boot_order != NULL)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG,
                   _("Boot order is given both in <os><boot dev/> and per device "
                     "<boot order/>; use one of the two."));
      return FALSE;
    }

  for (guint i = 0; i < def->inputs->len; i++)
    {
      HangarInputDef *input = g_ptr_array_index (def->inputs, i);

      if (g_str_equal (input->bus, "usb") && def->usb_model == NULL)
        {
          g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG,
                       _("The USB %s needs a USB controller: add "
                         "<controller type='usb' model='qemu-xhci'/>."), input->type);
          return FALSE;
        }
    }

  for (guint i = 0; i < def->channels->len; i++)
    if (g_array_index (def->channels, HangarChannelKind, i) == HANGAR_CHANNEL_SPICE_AGENT &&
        !def->has_spice)
      {
        g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG,
                     _("The SPICE agent channel needs a SPICE display: add <graphics type='spice'/>."));
        return FALSE;
      }

  if (def->usb_redirdevs > 0 && !def->has_spice)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG,
                   _("USB redirection over SPICE needs a SPICE display: add "
                     "<graphics type='spice'/>."));
      return FALSE;
    }

  return TRUE;
}

/**
 * hangar_domain_check_host:
 * @host_memory_kib: the host's physical memory
 *
 * Checks what the host must be able to give: memory no larger than the host has.
 */
gboolean
hangar_domain_check_host (HangarDomain  *self,
                          guint64        host_memory_kib,
                          GError       **error)
{
  const HangarDomainDef *def = hangar_domain_get_def (self);

  if (host_memory_kib > 0 && def->memory_kib > host_memory_kib)
    {
      g_autofree char *wanted = g_format_size_full (def->memory_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *have = g_format_size_full (host_memory_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG,
                   _("The machine asks for %s of memory, more than this host has (%s)."),
                   wanted, have);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_file (const char  *what,
            const char  *path,
            gboolean     block,
            gboolean     writable,
            GError     **error)
{
  struct stat st;

  if (path == NULL)
    return TRUE;
  if (access (path, F_OK) != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_FOUND, _("The %s “%s” does not exist."), what, path);
  /* stat, never open: opening a FIFO would wait for a writer, and the engine with it. */
  if (block && stat (path, &st) == 0 && !S_ISBLK (st.st_mode))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                               _("The %s “%s” is not a block device."), what, path);
  if (!block && stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The %s “%s” is not a regular file (a device, a FIFO or a socket); "
                   "a host CD/DVD drive goes in as <disk type='block' device='cdrom'>."),
                 what, path);
  if (access (path, writable ? R_OK | W_OK : R_OK) != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_PERMISSION_DENIED,
                 writable ? _("The %s “%s” cannot be read and written: %s.") :
                            _("The %s “%s” cannot be read: %s."),
                 what, path, g_strerror (errno));
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The %s “%s” is a folder."), what, path);
  return TRUE;
}

/* A qcow2 image names its backing file in its header; QEMU would open that file too,
 * whatever it is (/etc/shadow), with the format it guesses. Hangar opens none. */
static gboolean
check_no_backing_file (const char  *path,
                       GError     **error)
{
  guchar header[20];
  char name[1024];
  guint64 offset;
  guint32 length;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  gboolean read_ok;

  if (fd < 0)
    return TRUE; /* QEMU says why it cannot open it */
  read_ok = pread (fd, header, sizeof header, 0) == sizeof header;
  if (!read_ok || memcmp (header, "QFI\xfb", 4) != 0)
    {
      close (fd);
      return TRUE;
    }
  memcpy (&offset, header + 8, sizeof offset);
  memcpy (&length, header + 16, sizeof length);
  offset = GUINT64_FROM_BE (offset);
  length = GUINT32_FROM_BE (length);
  if (offset == 0 || length == 0)
    {
      close (fd);
      return TRUE;
    }
  length = MIN (length, sizeof name - 1);
  read_ok = pread (fd, name, length, (off_t) offset) == (gssize) length;
  close (fd);
  name[read_ok ? length : 0] = '\0';
  if (!g_utf8_validate (name, -1, NULL))
    g_strlcpy (name, "?", sizeof name);
  return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                             _("The disk image “%s” is a qcow2 image on top of the backing file "
                               "“%s”; Hangar opens no backing file. Merge the two into one "
                               "image first (qemu-img convert)."), path, name);
}

/**
 * hangar_domain_check_files:
 *
 * Checks that every file the machine reads exists and can be opened: disks, CD-ROM
 * images, kernel and initrd, and the folders of serial logs.
 */
gboolean
hangar_domain_check_files (HangarDomain  *self,
                           GError       **error)
{
  const HangarDomainDef *def = hangar_domain_get_def (self);

  for (guint i = 0; i < def->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (def->disks, i);
      const char *what = disk->block ? _("CD/DVD drive") :
                         g_str_equal (disk->device, "cdrom") ? _("CD-ROM image") : _("disk image");

      if (!check_file (what, disk->source, disk->block, !disk->readonly, error))
        return FALSE;
      if (disk->source != NULL && !disk->block && g_str_equal (disk->format, "qcow2") &&
          !check_no_backing_file (disk->source, error))
        return FALSE;
    }
  if (def->loader != NULL && !g_file_test (def->loader, G_FILE_TEST_EXISTS))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The UEFI firmware “%s” is not installed: install the package ovmf."),
                 def->loader);
  if (!check_file (_("kernel"), def->kernel, FALSE, FALSE, error) ||
      !check_file (_("initrd"), def->initrd, FALSE, FALSE, error))
    return FALSE;
  for (guint i = 0; i < def->serials->len; i++)
    {
      HangarSerialDef *serial = g_ptr_array_index (def->serials, i);
      g_autofree char *dir = serial->log_path ? g_path_get_dirname (serial->log_path) : NULL;

      if (dir != NULL && !g_file_test (dir, G_FILE_TEST_IS_DIR))
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_FOUND,
                     _("The folder “%s” for the serial log does not exist."), dir);
    }
  return TRUE;
}

/**
 * hangar_domain_prepare_nvram:
 *
 * Gives a UEFI machine its own variable store, a copy of the template, unless it has
 * one: the file <nvram> names, or else the one in the machine's data folder.
 */
gboolean
hangar_domain_prepare_nvram (HangarDomain  *self,
                             GError       **error)
{
  const HangarDomainDef *def = hangar_domain_get_def (self);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) local_error = NULL;

  if (def->loader == NULL)
    return TRUE;
  path = def->nvram ? g_strdup (def->nvram) : hangar_paths_nvram (def->uuid);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  dir = g_path_get_dirname (path);
  if (!hangar_paths_ensure_dir (dir, 0700, &local_error) ||
      !hangar_paths_copy_file (def->nvram_template, path, 0600, &local_error))
    return hangar_domain_fail (error, g_error_matches (local_error, G_FILE_ERROR,
                                                       G_FILE_ERROR_NOENT) ?
                                      HANGAR_ERROR_NOT_FOUND : HANGAR_ERROR_FAILED,
                               _("Could not make the UEFI variable store “%s” from “%s”: %s"),
                               path, def->nvram_template, local_error->message);
  return TRUE;
}
