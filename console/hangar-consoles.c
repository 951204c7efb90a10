/* hangar-consoles.c: the console widgets, loaded when the first one is needed
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libvncclient, spice-client-glib (with GStreamer, libsoup, NSS) and VTE cost a
 * start ~10 MiB of memory and their relocations before any window shows, and most
 * starts never open a console. They are linked into the console module instead
 * (hangar-console-module.h), which this file opens the first time a console is
 * made, from $HANGAR_CONSOLE_MODULE when set (uninstalled builds and tests) or from
 * where it is installed. The module resolves the display base class and the key map
 * from the program, which exports them (export_dynamic).
 */
#define G_LOG_DOMAIN "hangar-console"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "hangar-console-error.h"
#include "hangar-console-module.h"
#include "hangar-consoles.h"

static const HangarConsoleModuleTable *table;

/**
 * hangar_consoles_load:
 *
 * Opens the console module unless it is open already. Main thread only.
 *
 * Returns: whether the console widgets can be made; @error says why not
 *   (%HANGAR_CONSOLE_ERROR_NOT_INSTALLED)
 */
gboolean
hangar_consoles_load (GError **error)
{
  const char *path = g_getenv ("HANGAR_CONSOLE_MODULE");
  HangarConsoleModuleGetTable get_table = NULL;
  GModule *module;

  if (table != NULL)
    return TRUE;
  if (path == NULL || path[0] == '\0')
    path = CONSOLE_MODULE_PATH;

  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_NOT_INSTALLED,
                   /* Translators: %s is the dynamic loader's message, naming the file. */
                   _("Hangar’s console module could not be loaded (%s). Reinstall Hangar."),
                   g_module_error ());
      return FALSE;
    }
  if (!g_module_symbol (module, HANGAR_CONSOLE_MODULE_SYMBOL, (gpointer *) &get_table) ||
      get_table == NULL || get_table ()->size != sizeof (HangarConsoleModuleTable))
    {
      g_set_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_NOT_INSTALLED,
                   /* Translators: %s is a file name. */
                   _("“%s” is not the console module of this Hangar. Reinstall Hangar."), path);
      g_module_close (module);
      return FALSE;
    }
  /* Its types are registered for good: it must never be unloaded. */
  g_module_make_resident (module);
  table = get_table ();
  g_debug ("Console module loaded from %s", path);
  return TRUE;
}

/**
 * hangar_consoles_new:
 * @kind: "vnc", "spice" or "serial"
 * @spice_fd_func: (nullable): for SPICE, how a further channel gets its socket
 *
 * Returns: (transfer floating) (nullable): a #HangarDisplay for "vnc" and "spice",
 *   a serial terminal for "serial"; %NULL with @error when the module is missing
 */
GtkWidget *
hangar_consoles_new (const char        *kind,
                     HangarSpiceFdFunc  spice_fd_func,
                     gpointer           user_data,
                     GDestroyNotify     destroy,
                     GError           **error)
{
  g_return_val_if_fail (kind != NULL, NULL);

  if (!hangar_consoles_load (error))
    {
      if (destroy != NULL)
        destroy (user_data);
      return NULL;
    }
  if (g_str_equal (kind, "spice"))
    return table->spice_new (spice_fd_func, user_data, destroy);
  if (destroy != NULL)
    destroy (user_data);
  if (g_str_equal (kind, "serial"))
    return table->serial_new ();
  g_return_val_if_fail (g_str_equal (kind, "vnc"), NULL);
  return table->vnc_new ();
}

/* Hands the console its connected socket, which it owns from then on. */
void
hangar_consoles_open_fd (GtkWidget *console,
                         int        fd)
{
  g_return_if_fail (table != NULL);

  table->open_fd (console, fd);
}

gboolean
hangar_consoles_is_serial (GtkWidget *console)
{
  return table != NULL && console != NULL && table->is_serial (console);
}

gboolean
hangar_consoles_serial_is_connected (GtkWidget *serial)
{
  g_return_val_if_fail (hangar_consoles_is_serial (serial), FALSE);

  return table->serial_is_connected (serial);
}

const GError *
hangar_consoles_serial_get_error (GtkWidget *serial)
{
  g_return_val_if_fail (hangar_consoles_is_serial (serial), NULL);

  return table->serial_get_error (serial);
}

/**
 * hangar_consoles_serial_get_terminal:
 *
 * Returns: (transfer none): the serial console's VteTerminal
 */
GtkWidget *
hangar_consoles_serial_get_terminal (GtkWidget *serial)
{
  g_return_val_if_fail (hangar_consoles_is_serial (serial), NULL);

  return table->serial_get_terminal (serial);
}

void
hangar_consoles_serial_send (GtkWidget  *serial,
                             const char *text,
                             gssize      length)
{
  g_return_if_fail (hangar_consoles_is_serial (serial));

  table->serial_send (serial, text, length);
}
