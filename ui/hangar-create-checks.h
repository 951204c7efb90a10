/* hangar-create-checks.h: what the create-VM wizard says of a person's choices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure functions, tested without a display (tests/ui/test-create-checks.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HangarCheckLevel:
 * @HANGAR_CHECK_OK: nothing to say
 * @HANGAR_CHECK_WARNING: allowed, but the person should know
 * @HANGAR_CHECK_ERROR: refused: the wizard does not go on
 */
typedef enum
{
  HANGAR_CHECK_OK,
  HANGAR_CHECK_WARNING,
  HANGAR_CHECK_ERROR,
} HangarCheckLevel;

HangarCheckLevel hangar_create_check_memory  (guint64      memory_mib,
                                              guint64      host_memory_kib,
                                              char       **message);
HangarCheckLevel hangar_create_check_vcpus   (guint        vcpus,
                                              guint        host_cpus,
                                              char       **message);
HangarCheckLevel hangar_create_check_path    (const char  *path,
                                              const char  *what,
                                              char       **message);
HangarCheckLevel hangar_create_check_url     (const char  *url,
                                              char       **message);
HangarCheckLevel hangar_create_check_disk_size (double      size_gib,
                                                char      **message);

G_END_DECLS
