/* hangar-console-error.c: why a console connection ended
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include "hangar-console-error.h"

G_DEFINE_QUARK (hangar-console-error-quark, hangar_console_error)
