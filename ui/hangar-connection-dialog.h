/* hangar-connection-dialog.h: the Add Connection dialog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CONNECTION_DIALOG (hangar_connection_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HangarConnectionDialog, hangar_connection_dialog, HANGAR, CONNECTION_DIALOG,
                      AdwWindow)

GtkWidget *hangar_connection_dialog_new (HangarWindow *window);

G_END_DECLS
