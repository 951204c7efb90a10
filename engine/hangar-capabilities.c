/* hangar-capabilities.c: what this host and its QEMU can do
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "hangar-capabilities.h"
#include "hangar-domain.h"
#include "hangar-error.h"

void
hangar_capabilities_free (HangarCapabilities *caps)
{
  if (caps == NULL)
    return;
  g_free (caps->hostname);
  g_free (caps->qemu_binary);
  g_free (caps->qemu_version);
  g_strfreev (caps->accelerators);
  g_free (caps->default_accel);
  g_strfreev (caps->machine_types);
  g_strfreev (caps->firmwares);
  g_free (caps);
}

static char *
run_qemu (const char  *binary,
          const char  *arg1,
          const char  *arg2,
          GError     **error)
{
  const char *argv[] = { binary, arg1, arg2, NULL };
  g_autofree char *out = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, error) ||
      !g_spawn_check_wait_status (status, error))
    return NULL;
  return g_steal_pointer (&out);
}

/* "QEMU emulator version 7.2.22 (Debian ...)" → "7.2.22" */
static char *
parse_version (const char *text)
{
  const char *marker = strstr (text, "version ");
  const char *end;

  if (marker == NULL)
    return NULL;
  marker += strlen ("version ");
  end = marker;
  while (g_ascii_isdigit (*end) || *end == '.')
    end++;
  return end > marker ? g_strndup (marker, end - marker) : NULL;
}

/* Lines of `-machine help`: "pc-q35-7.2           Standard PC (Q35 + ICH9, 2009)" */
static GStrv
parse_machine_types (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *end = line;

      if (g_str_has_prefix (line, "Supported machines") || *line == '\0' || g_ascii_isspace (*line))
        continue;
      while (*end && !g_ascii_isspace (*end))
        end++;
      {
        g_autofree char *name = g_strndup (line, end - line);
        g_strv_builder_add (builder, name);
      }
    }
  return g_strv_builder_end (builder);
}

static gboolean
kvm_usable (void)
{
  int fd = open ("/dev/kvm", O_RDWR | O_CLOEXEC);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

/**
 * hangar_capabilities_probe:
 *
 * Reads the host and asks QEMU for its version and machine types. The QEMU binary is
 * `$HANGAR_QEMU` or `qemu-system-x86_64` from `$PATH`; the accelerator `$HANGAR_ACCEL`
 * or the best usable one. A missing QEMU is not an error here: the capabilities say
 * so, and starting a machine fails with a message that names the package.
 */
HangarCapabilities *
hangar_capabilities_probe (GError **error)
{
  g_autoptr(HangarCapabilities) caps = g_new0 (HangarCapabilities, 1);
  g_autoptr(GStrvBuilder) accels = g_strv_builder_new ();
  const char *binary = g_getenv ("HANGAR_QEMU");
  const char *accel = g_getenv ("HANGAR_ACCEL");

  caps->hostname = g_strdup (g_get_host_name ());
  caps->host_cpus = g_get_num_processors ();
  caps->host_memory_kib = (guint64) sysconf (_SC_PHYS_PAGES) * sysconf (_SC_PAGESIZE) / 1024;
  {
    g_autoptr(GStrvBuilder) firmwares = g_strv_builder_new ();

    g_strv_builder_add (firmwares, "bios");
    if (access (HANGAR_OVMF_CODE, R_OK) == 0 && access (HANGAR_OVMF_VARS, R_OK) == 0)
      g_strv_builder_add (firmwares, "uefi");
    if (access (HANGAR_OVMF_CODE_SECURE, R_OK) == 0 && access (HANGAR_OVMF_VARS_SECURE, R_OK) == 0)
      g_strv_builder_add (firmwares, "uefi-secure");
    caps->firmwares = g_strv_builder_end (firmwares);
  }

  caps->qemu_binary = g_find_program_in_path (binary && *binary ? binary : "qemu-system-x86_64");
  if (caps->qemu_binary != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *version = run_qemu (caps->qemu_binary, "--version", NULL, &local_error);
      g_autofree char *machines = version ?
                                  run_qemu (caps->qemu_binary, "-machine", "help", &local_error) :
                                  NULL;

      if (machines == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("QEMU (%s) does not run: "), caps->qemu_binary);
          return NULL;
        }
      caps->qemu_version = parse_version (version);
      caps->machine_types = parse_machine_types (machines);
    }
  else
    caps->machine_types = g_new0 (char *, 1);

  if (kvm_usable ())
    g_strv_builder_add (accels, "kvm");
  g_strv_builder_add (accels, "tcg");
  caps->accelerators = g_strv_builder_end (accels);

  if (accel != NULL && *accel != '\0')
    {
      if (!g_str_equal (accel, "kvm") && !g_str_equal (accel, "tcg"))
        {
          g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                       _("HANGAR_ACCEL is “%s”; it must be kvm or tcg."), accel);
          return NULL;
        }
      caps->default_accel = g_strdup (accel);
    }
  else
    caps->default_accel = g_strdup (caps->accelerators[0]);

  return g_steal_pointer (&caps);
}
