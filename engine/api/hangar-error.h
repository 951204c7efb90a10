/* hangar-error.h: the one error domain of the engine API, mapped to named D-Bus errors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HANGAR_ERROR (hangar_error_quark ())

/* Each code travels over D-Bus as io.github.hangarvm.Hangar.Error.<Name>. */
typedef enum
{
  HANGAR_ERROR_FAILED,            /* .Failed */
  HANGAR_ERROR_INVALID_CONFIG,    /* .InvalidConfig: a definition that cannot be used */
  HANGAR_ERROR_NOT_FOUND,         /* .NotFound: a machine, file or device that is not there */
  HANGAR_ERROR_INVALID_STATE,     /* .InvalidState: the machine is in the wrong state */
  HANGAR_ERROR_IN_USE,            /* .InUse */
  HANGAR_ERROR_ALREADY_EXISTS,    /* .AlreadyExists */
  HANGAR_ERROR_PERMISSION_DENIED, /* .PermissionDenied */
  HANGAR_ERROR_QEMU_FAILED,       /* .QemuFailed: QEMU refused or ended */
  HANGAR_ERROR_NOT_SUPPORTED,     /* .NotSupported: valid libvirt XML Hangar cannot run */
  HANGAR_ERROR_INVALID_ARGUMENT,  /* .InvalidArgument */
} HangarError;

GQuark       hangar_error_quark   (void);
const char  *hangar_error_to_name (HangarError code);

G_END_DECLS
