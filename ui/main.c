/* main.c: hangar, the desktop application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hangar-application.h"
#include "hangar-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HangarApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Before GTK reads its environment. */
  if (hangar_renderer_prefer_software ())
    g_debug ("No GPU device: drawing with Cairo");
  app = hangar_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
