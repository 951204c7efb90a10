/* hangar-serial-console.h: a guest's serial console in a terminal
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  HANGAR_SERIAL_CONSOLE_CONNECTED,
  HANGAR_SERIAL_CONSOLE_DISCONNECTED,
} HangarSerialConsoleState;

#define HANGAR_TYPE_SERIAL_CONSOLE (hangar_serial_console_get_type ())
G_DECLARE_FINAL_TYPE (HangarSerialConsole, hangar_serial_console, HANGAR, SERIAL_CONSOLE, GtkWidget)

GtkWidget                *hangar_serial_console_new       (void);
void                      hangar_serial_console_open_fd   (HangarSerialConsole *self,
                                                           int                  fd);
HangarSerialConsoleState  hangar_serial_console_get_state (HangarSerialConsole *self);
const GError             *hangar_serial_console_get_error (HangarSerialConsole *self);
GtkWidget                *hangar_serial_console_get_terminal (HangarSerialConsole *self);
void                      hangar_serial_console_send      (HangarSerialConsole *self,
                                                           const char          *text,
                                                           gssize               length);

G_END_DECLS
