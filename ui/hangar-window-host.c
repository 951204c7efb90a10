/* hangar-window-host.c: the window's way to the host overview and back
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * win.show-host (the connection header's button and menu) shows a HangarHostPage
 * in the main stack, made the first time it is asked for, as the machine's page
 * is; vm.back returns to the list from it too.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include "hangar-host-page.h"
#include "hangar-window-private.h"

static void
show_host_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->host_page == NULL)
    {
      self->host_page = hangar_host_page_new ();
      hangar_host_page_set_connection (HANGAR_HOST_PAGE (self->host_page), self->connection);
      gtk_stack_add_named (self->main_stack, self->host_page, "host");
    }
  gtk_stack_set_visible_child_name (self->main_stack, "host");
  gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);
}

void
_hangar_window_class_host_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-host", NULL, show_host_action);
}
