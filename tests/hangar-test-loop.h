/* hangar-test-loop.h: a loop device standing in for a host CD/DVD drive
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *hangar_test_loop_attach (const char  *file,
                               GError     **error);
void  hangar_test_loop_detach (const char  *device);

G_END_DECLS
