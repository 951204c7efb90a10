/* hangar-console-error.h: why a console connection ended
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HANGAR_CONSOLE_ERROR (hangar_console_error_quark ())

typedef enum
{
  HANGAR_CONSOLE_ERROR_FAILED,            /* anything not below */
  HANGAR_CONSOLE_ERROR_CLOSED,            /* the other end closed the connection */
  HANGAR_CONSOLE_ERROR_PROTOCOL,          /* the server sent what the protocol does not allow */
  HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE,  /* a screen larger than Hangar draws */
  HANGAR_CONSOLE_ERROR_SCREEN_EMPTY,      /* a screen with no pixels (0 wide or high) */
  HANGAR_CONSOLE_ERROR_TIMED_OUT,         /* the server stopped in the middle of a message */
  HANGAR_CONSOLE_ERROR_NOT_SUPPORTED,     /* a password, encryption or pixel format we lack */
  HANGAR_CONSOLE_ERROR_NOT_INSTALLED,     /* the console module is missing or unusable */
} HangarConsoleError;

GQuark hangar_console_error_quark (void);

G_END_DECLS
