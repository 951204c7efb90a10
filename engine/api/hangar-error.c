/* hangar-error.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-api"

#include "config.h"

#include <gio/gio.h>

#include "hangar-error.h"

static const GDBusErrorEntry hangar_error_entries[] = {
  { HANGAR_ERROR_FAILED, "io.github.hangarvm.Hangar.Error.Failed" },
  { HANGAR_ERROR_INVALID_CONFIG, "io.github.hangarvm.Hangar.Error.InvalidConfig" },
  { HANGAR_ERROR_NOT_FOUND, "io.github.hangarvm.Hangar.Error.NotFound" },
  { HANGAR_ERROR_INVALID_STATE, "io.github.hangarvm.Hangar.Error.InvalidState" },
  { HANGAR_ERROR_IN_USE, "io.github.hangarvm.Hangar.Error.InUse" },
  { HANGAR_ERROR_ALREADY_EXISTS, "io.github.hangarvm.Hangar.Error.AlreadyExists" },
  { HANGAR_ERROR_PERMISSION_DENIED, "io.github.hangarvm.Hangar.Error.PermissionDenied" },
  { HANGAR_ERROR_QEMU_FAILED, "io.github.hangarvm.Hangar.Error.QemuFailed" },
  { HANGAR_ERROR_NOT_SUPPORTED, "io.github.hangarvm.Hangar.Error.NotSupported" },
  { HANGAR_ERROR_INVALID_ARGUMENT, "io.github.hangarvm.Hangar.Error.InvalidArgument" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (hangar_error_entries) == HANGAR_ERROR_INVALID_ARGUMENT + 1);

GQuark
hangar_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("hangar-error-quark",
                                      &quark,
                                      hangar_error_entries,
                                      G_N_ELEMENTS (hangar_error_entries));
  return (GQuark) quark;
}

/**
 * hangar_error_to_name:
 * @code: a #HangarError
 *
 * Returns: the short name of @code ("InvalidConfig"), as the D-Bus error ends.
 */
const char *
hangar_error_to_name (HangarError code)
{
  const char *full;

  if ((guint) code >= G_N_ELEMENTS (hangar_error_entries))
    code = HANGAR_ERROR_FAILED;
  full = hangar_error_entries[code].dbus_error_name;
  return strrchr (full, '.') + 1;
}
