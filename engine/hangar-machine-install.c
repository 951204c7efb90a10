/* hangar-machine-install.c: the end of an OS install, at the guest's first reboot
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A machine made to install an OS carries its install phase in <metadata>, and QEMU
 * runs it with -action reboot=shutdown: the guest's first reboot stops it instead of
 * resetting it. The engine then rewrites the definition as it is once installed
 * (hangar_domain_finish_install()) and carries on:
 *
 *   cdrom:  the CD-ROM is ejected over QMP, and the same QEMU resets and boots the
 *           disk: the console stays open, as when a person takes the disc out;
 *   kernel: the installer's kernel and initrd (downloaded into the machine's data
 *           folder) go; QEMU, which loads a kernel at every reset, is restarted.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hangar-machine-private.h"
#include "hangar-paths.h"
#include "hangar-store.h"

static void
eject_cdroms (HangarMachine         *self,
              const HangarDomainDef *live)
{
  for (guint i = 0; i < live->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (live->disks, i);
      g_autoptr(JsonObject) arguments = NULL;
      g_autofree char *id = NULL;

      if (!g_str_equal (disk->device, "cdrom") || disk->source == NULL)
        continue;
      /* The device ids are the argv builder's: disk<index in the definition>. */
      id = g_strdup_printf ("disk%u", i);
      arguments = json_object_new ();
      json_object_set_string_member (arguments, "id", id);
      json_object_set_boolean_member (arguments, "force", TRUE);
      _hangar_machine_qmp_command (self, "eject", arguments);
    }
}

/* Removes what the installer downloaded into the machine's own folder. */
static void
remove_installer_files (HangarMachine         *self,
                        const HangarDomainDef *live)
{
  g_autofree char *data_dir = hangar_paths_machine_data_dir (hangar_machine_get_uuid (self));
  g_autofree char *prefix = g_strconcat (data_dir, G_DIR_SEPARATOR_S, NULL);

  if (live->kernel != NULL && g_str_has_prefix (live->kernel, prefix))
    g_unlink (live->kernel);
  if (live->initrd != NULL && g_str_has_prefix (live->initrd, prefix))
    g_unlink (live->initrd);
}

/**
 * _hangar_machine_finish_install:
 *
 * The guest of a machine still installing has asked for its first reboot and QEMU
 * holds it stopped. Returns FALSE when the machine was not installing (the caller
 * resets it as any reboot).
 */
gboolean
_hangar_machine_finish_install (HangarMachine *self)
{
  const HangarDomainDef *live = hangar_domain_get_def (self->live_domain);
  g_autoptr(HangarDomain) installed = NULL;
  g_autoptr(GError) error = NULL;

  if (live->install_phase == NULL)
    return FALSE;

  /* The definition may have been changed meanwhile: finish what it says now. */
  if (hangar_domain_get_def (self->domain)->install_phase != NULL)
    {
      installed = hangar_domain_finish_install (self->domain, &error);
      if (installed == NULL || !hangar_store_save (installed, &error))
        g_message ("“%s”: could not record the end of its install: %s",
                   hangar_machine_get_name (self), error->message);
      else
        hangar_machine_set_domain (self, installed);
    }
  g_debug ("%s: first reboot of the %s install", hangar_machine_get_name (self),
           live->install_phase);

  if (g_str_equal (live->install_phase, "cdrom"))
    {
      g_autoptr(HangarDomain) live_installed = hangar_domain_finish_install (self->live_domain,
                                                                             NULL);

      g_autoptr(JsonObject) action = json_object_new ();

      eject_cdroms (self, live);
      /* From now on a reset is a reset: ours below, and the guest's later reboots. */
      json_object_set_string_member (action, "reboot", "reset");
      _hangar_machine_qmp_command (self, "set-action", action);
      /* What runs now: no disc. live.xml says so too, or an engine restarted later
       * would take the machine for one still installing. */
      if (live_installed != NULL)
        {
          g_autofree char *live_path = g_build_filename (self->runtime_dir, "live.xml", NULL);
          g_autofree char *live_xml = hangar_domain_to_xml (live_installed);
          g_autoptr(GError) write_error = NULL;

          g_clear_pointer (&self->live_domain, hangar_domain_unref);
          self->live_domain = g_steal_pointer (&live_installed);
          if (!g_file_set_contents (live_path, live_xml, -1, &write_error))
            g_debug ("%s: %s", hangar_machine_get_name (self), write_error->message);
        }
      _hangar_machine_qmp_simple (self, "system_reset");
      _hangar_machine_qmp_simple (self, "cont");
      return TRUE;
    }

  remove_installer_files (self, live);
  self->install_restart = TRUE;
  self->guest_shut_down = TRUE;
  _hangar_machine_set_state (self, HANGAR_MACHINE_SHUTTING_DOWN, "installed");
  _hangar_machine_qmp_simple (self, "quit");
  return TRUE;
}
