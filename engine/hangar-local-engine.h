/* hangar-local-engine.h: reaching this user's running engine from another process
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

int              hangar_local_engine_connect    (gboolean   activate,
                                                 GError   **error);
GDBusConnection *hangar_local_engine_connection (GError   **error);

G_END_DECLS
