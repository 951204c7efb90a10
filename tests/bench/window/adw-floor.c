/* adw-floor.c: the smallest libadwaita application, the floor under Hangar's cold start
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * window.py times it as it times hangar (exec → MapNotify, RSS 1 s later): an
 * AdwApplication with one AdwApplicationWindow holding a header bar and a label.
 * What hangar takes beyond this is Hangar's own; this much every libadwaita
 * application pays on the same machine.
 */
#include <adwaita.h>

static void
on_activate (GtkApplication *application)
{
  GtkWidget *window = adw_application_window_new (application);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 540);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Floor"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application = adw_application_new ("io.github.hangarvm.Floor",
                                                               G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (application, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
