/* hangar-connection-row.h: one connection in the window's list of connections
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CONNECTION_ROW (hangar_connection_row_get_type ())
G_DECLARE_FINAL_TYPE (HangarConnectionRow, hangar_connection_row, HANGAR, CONNECTION_ROW,
                      GtkListBoxRow)

GtkWidget        *hangar_connection_row_new            (HangarConnection    *connection);
HangarConnection *hangar_connection_row_get_connection (HangarConnectionRow *self);

G_END_DECLS
