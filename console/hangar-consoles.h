/* hangar-consoles.h: the console widgets, loaded when the first one is needed
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-spice-connection.h"

G_BEGIN_DECLS

gboolean      hangar_consoles_load                (GError            **error);
GtkWidget    *hangar_consoles_new                 (const char         *kind,
                                                   HangarSpiceFdFunc   spice_fd_func,
                                                   gpointer            user_data,
                                                   GDestroyNotify      destroy,
                                                   GError            **error);
void          hangar_consoles_open_fd             (GtkWidget          *console,
                                                   int                 fd);
gboolean      hangar_consoles_is_serial           (GtkWidget          *console);
gboolean      hangar_consoles_serial_is_connected (GtkWidget          *serial);
const GError *hangar_consoles_serial_get_error    (GtkWidget          *serial);
GtkWidget    *hangar_consoles_serial_get_terminal (GtkWidget          *serial);
void          hangar_consoles_serial_send         (GtkWidget          *serial,
                                                   const char         *text,
                                                   gssize              length);

G_END_DECLS
