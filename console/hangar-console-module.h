/* hangar-console-module.h: what the console module gives the program that loads it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The protocol widgets (VNC, SPICE, the serial terminal) and the libraries under them
 * (libvncclient, spice-client-glib with GStreamer, VTE) live in a module that the
 * application loads when it first shows a console (hangar-consoles.c); the display
 * base class stays in the program. One exported function returns this table.
 * Private to console/: a module and a program of the same build go together.
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-spice-connection.h"

G_BEGIN_DECLS

#define HANGAR_CONSOLE_MODULE_SYMBOL "hangar_console_module_get_table"

typedef struct
{
  gsize          size;      /* sizeof (HangarConsoleModuleTable) when built */

  GtkWidget     *(*vnc_new)             (void);
  GtkWidget     *(*spice_new)           (HangarSpiceFdFunc  func,
                                         gpointer           user_data,
                                         GDestroyNotify     destroy);
  GtkWidget     *(*serial_new)          (void);
  void           (*open_fd)             (GtkWidget         *console,
                                         int                fd);
  gboolean       (*is_serial)           (GtkWidget         *console);
  gboolean       (*serial_is_connected) (GtkWidget         *serial);
  const GError  *(*serial_get_error)    (GtkWidget         *serial);
  GtkWidget     *(*serial_get_terminal) (GtkWidget         *serial);
  void           (*serial_send)         (GtkWidget         *serial,
                                         const char        *text,
                                         gssize             length);
} HangarConsoleModuleTable;

typedef const HangarConsoleModuleTable *(*HangarConsoleModuleGetTable) (void);

G_END_DECLS
