/* hangar-window-private.h: what the window's sibling files share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-dbus.h"

#include "hangar-window.h"

G_BEGIN_DECLS

struct _HangarWindow
{
  AdwApplicationWindow  parent_instance;

  HangarConnection     *connection;
  GSettings            *settings;
  GCancellable         *cancellable;

  /* connection's machines → filter (search) → sort → selection */
  GtkFilterListModel   *filter_model;
  GtkSortListModel     *sort_model;
  GtkSingleSelection   *selection;
  GtkCustomFilter      *search_filter;
  char                 *search_text;    /* casefolded, NULL when not searching */
  char                 *sort_column;    /* "name" or "state" */

  /* The selected machine, followed for _update_actions () (STYLE 17). */
  GSignalGroup         *selected_signals;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkStack             *stack;
  GtkStack             *list_stack;
  GtkListView          *machine_view;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkWidget            *machine_buttons;
  GtkButton            *pause_button;
  GtkButton            *resume_button;
  GtkPopoverMenu       *context_menu;
  GtkWidget            *context_usb;  /* HangarUsbList in usb_popover */
  GtkWidget            *usb_popover;  /* opened from the context menu, where it was */
  GdkRectangle          context_rect; /* where the context menu last pointed */
  GtkWidget            *details;        /* NULL until a machine is first opened */
  GtkWidget            *host_page;      /* NULL until the host is first shown */
  GtkWidget            *connection_sidebar;
  GtkListBox           *connection_list;

  /* The local connection (the one given at construction), then the remote hosts. */
  GListStore           *connection_sources;
  GtkFlattenListModel  *connections;
};

HangarDBusMachine1 *_hangar_window_get_selected_machine (HangarWindow *self);
void                _hangar_window_update_actions       (HangarWindow *self);
void                _hangar_window_show_context_menu    (HangarWindow *self,
                                                         double        x,
                                                         double        y);
void                _hangar_window_add_toast            (HangarWindow *self,
                                                         const char   *title);
HangarMachinePage  *_hangar_window_get_details          (HangarWindow *self);
void                _hangar_window_class_actions_init   (GtkWidgetClass *widget_class);
void                _hangar_window_class_create_init    (GtkWidgetClass *widget_class);
void                _hangar_window_class_host_init      (GtkWidgetClass *widget_class);
void                _hangar_window_class_connections_init (GtkWidgetClass *widget_class);
void                _hangar_window_connections_init     (HangarWindow      *self,
                                                         HangarApplication *application);
void                _hangar_window_connections_select   (HangarWindow *self);
void                _hangar_window_connections_dispose  (HangarWindow *self);
void                _hangar_window_open_machine         (HangarWindow       *self,
                                                         HangarDBusMachine1 *machine,
                                                         const char         *tab);

G_END_DECLS
