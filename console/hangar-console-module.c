/* hangar-console-module.c: the console module's one entry point
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-console"

#include "config.h"

#include <gmodule.h>

#include "hangar-console-module.h"
#include "hangar-serial-console.h"
#include "hangar-spice-display.h"
#include "hangar-vnc-display.h"

G_MODULE_EXPORT const HangarConsoleModuleTable *hangar_console_module_get_table (void);

static GtkWidget *
spice_new (HangarSpiceFdFunc func,
           gpointer          user_data,
           GDestroyNotify    destroy)
{
  GtkWidget *display = hangar_spice_display_new ();

  hangar_spice_display_set_fd_func (HANGAR_SPICE_DISPLAY (display), func, user_data, destroy);
  return display;
}

static void
open_fd (GtkWidget *console,
         int        fd)
{
  if (HANGAR_IS_SERIAL_CONSOLE (console))
    hangar_serial_console_open_fd (HANGAR_SERIAL_CONSOLE (console), fd);
  else if (HANGAR_IS_SPICE_DISPLAY (console))
    hangar_spice_display_open_fd (HANGAR_SPICE_DISPLAY (console), fd);
  else
    hangar_vnc_display_open_fd (HANGAR_VNC_DISPLAY (console), fd);
}

static gboolean
is_serial (GtkWidget *console)
{
  return HANGAR_IS_SERIAL_CONSOLE (console);
}

static gboolean
serial_is_connected (GtkWidget *serial)
{
  return hangar_serial_console_get_state (HANGAR_SERIAL_CONSOLE (serial)) ==
         HANGAR_SERIAL_CONSOLE_CONNECTED;
}

static const GError *
serial_get_error (GtkWidget *serial)
{
  return hangar_serial_console_get_error (HANGAR_SERIAL_CONSOLE (serial));
}

static GtkWidget *
serial_get_terminal (GtkWidget *serial)
{
  return hangar_serial_console_get_terminal (HANGAR_SERIAL_CONSOLE (serial));
}

static void
serial_send (GtkWidget  *serial,
             const char *text,
             gssize      length)
{
  hangar_serial_console_send (HANGAR_SERIAL_CONSOLE (serial), text, length);
}

static const HangarConsoleModuleTable table = {
  .size = sizeof (HangarConsoleModuleTable),
  .vnc_new = hangar_vnc_display_new,
  .spice_new = spice_new,
  .serial_new = hangar_serial_console_new,
  .open_fd = open_fd,
  .is_serial = is_serial,
  .serial_is_connected = serial_is_connected,
  .serial_get_error = serial_get_error,
  .serial_get_terminal = serial_get_terminal,
  .serial_send = serial_send,
};

const HangarConsoleModuleTable *
hangar_console_module_get_table (void)
{
  return &table;
}
