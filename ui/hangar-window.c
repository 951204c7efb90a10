/* hangar-window.c: the main window, listing an engine's machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The window shows one HangarConnection at a time: its machines, or why there are
 * none; with remote hosts, a sidebar lists every connection and picks the one shown
 * (hangar-window-connections.c). Which
 * page shows and what every label says is bound in the template. This file holds the
 * list's models (search filter, sort, selection), the search bar and the context
 * menu; the vm.* actions and their dialogs live in hangar-window-actions.c.
 *
 * Models: the connection's HangarMachineList (sorted by name, updated item by item)
 * → GtkFilterListModel (search) → GtkSortListModel (no sorter when sorting by name:
 * the list already is in that order; a state sorter otherwise) → GtkSingleSelection.
 * Nothing is ever rebuilt whole.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-usb-list.h"
#include "hangar-format.h"
#include "hangar-machine-list.h"
#include "hangar-host-page.h"
#include "hangar-machine-page.h"
#include "hangar-machine-row.h"
#include "hangar-window-private.h"

G_DEFINE_FINAL_TYPE (HangarWindow, hangar_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_SORT_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- search ------------------------------------------------------------------ */

static gboolean
text_matches (const char *text,
              const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, folded_needle) != NULL;
}

static gboolean
search_filter_func (gpointer item,
                    gpointer user_data)
{
  HangarWindow *self = user_data;
  HangarDBusMachine1 *machine = item;

  if (self->search_text == NULL)
    return TRUE;

  return text_matches (hangar_dbus_machine1_get_name (machine), self->search_text) ||
         text_matches (hangar_dbus_machine1_get_title (machine), self->search_text);
}

static void
on_search_changed (HangarWindow   *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *old = g_steal_pointer (&self->search_text);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (text[0] != '\0')
    self->search_text = g_utf8_casefold (text, -1);

  /* Typing on narrows what shows; only a changed or shorter text must look again. */
  if (old == NULL && self->search_text == NULL)
    return;
  if (old == NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->search_text == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (strstr (self->search_text, old) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (old, self->search_text) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  gtk_filter_changed (GTK_FILTER (self->search_filter), change);
}

/* Enter in the search entry opens the first match. */
static void
on_search_activate (HangarWindow   *self,
                    GtkSearchEntry *entry)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  gtk_widget_activate_action (GTK_WIDGET (self), "vm.open", NULL);
}

static void
start_search (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  /* A search is of the list: from a machine's page, go back to it. */
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "list"))
    gtk_widget_activate_action (widget, "vm.back", NULL);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
update_list_page (HangarWindow *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  gtk_stack_set_visible_child_name (self->list_stack,
                                    shown == 0 && self->search_text != NULL
                                    ? "no-results" : "list");
}

/* The machine buttons only where there are machines to act on. */
static void
on_page_changed (HangarWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_widget_set_visible (self->machine_buttons, g_strcmp0 (page, "machines") == 0);

  /* The first page after "connecting" appears at once: a fade there would only
   * repaint the whole window a dozen times while it starts. Later changes
   * (an engine lost, the last machine deleted) fade. */
  if (g_strcmp0 (page, "connecting") != 0)
    gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
}

/* ---- sorting ----------------------------------------------------------------- */

/* Running machines first, then those that need a look, then the idle ones. */
static int
state_rank (const char *state)
{
  static const char * const order[] = {
    "running", "starting", "paused", "shutting-down", "crashed", "shut-off",
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (state, order[i]) == 0)
      return i;
  return G_N_ELEMENTS (order);
}

static int
compare_by_state (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  int rank_a = state_rank (hangar_dbus_machine1_get_state ((HangarDBusMachine1 *) a));
  int rank_b = state_rank (hangar_dbus_machine1_get_state ((HangarDBusMachine1 *) b));

  /* Ties keep the list's own (name) order: the sort is stable. */
  return (rank_a > rank_b) - (rank_a < rank_b);
}

static void
hangar_window_set_sort_column (HangarWindow *self,
                               const char   *column)
{
  g_autoptr(GtkSorter) sorter = NULL;

  if (g_strcmp0 (column, "state") != 0)
    column = "name";
  if (g_strcmp0 (self->sort_column, column) == 0)
    return;

  g_free (self->sort_column);
  self->sort_column = g_strdup (column);

  if (g_str_equal (column, "state"))
    sorter = GTK_SORTER (gtk_custom_sorter_new (compare_by_state, NULL, NULL));
  gtk_sort_list_model_set_sorter (self->sort_model, sorter);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_COLUMN]);
}

static void
on_machine_state_changed (HangarWindow       *self,
                          HangarDBusMachine1 *machine,
                          HangarMachineList  *list)
{
  GtkSorter *sorter = gtk_sort_list_model_get_sorter (self->sort_model);

  /* The sort list model does not watch its items. */
  if (sorter != NULL)
    gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

/* ---- selection, activation, context menu ---------------------------------------- */

HangarDBusMachine1 *
_hangar_window_get_selected_machine (HangarWindow *self)
{
  gpointer item = gtk_single_selection_get_selected_item (self->selection);

  return item != NULL ? HANGAR_DBUS_MACHINE1 (item) : NULL;
}

static void
on_selected_item_changed (HangarWindow *self)
{
  g_signal_group_set_target (self->selected_signals,
                             _hangar_window_get_selected_machine (self));
  _hangar_window_update_actions (self);
}

static void
on_machine_activated (HangarWindow *self,
                      guint         position,
                      GtkListView  *view)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "vm.open", NULL);
}

static HangarMachineRow *
row_at (GtkWidget *view,
        double     x,
        double     y)
{
  GtkWidget *widget = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);

  while (widget != NULL && widget != view && !HANGAR_IS_MACHINE_ROW (widget))
    widget = gtk_widget_get_parent (widget);
  return widget != NULL && HANGAR_IS_MACHINE_ROW (widget) ? HANGAR_MACHINE_ROW (widget) : NULL;
}

static gboolean
select_machine (HangarWindow *self,
                GObject      *machine)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (item == machine)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
_hangar_window_show_context_menu (HangarWindow *self,
                                  double        x,
                                  double        y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  self->context_rect = rect;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* The context menu's "USB Devices…": the selected machine's switches, where the menu was. */
static void
show_usb_devices (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  HangarUsbList *list = HANGAR_USB_LIST (self->context_usb);

  hangar_usb_list_set_host (list, self->connection ? hangar_connection_get_host (self->connection)
                                                   : NULL);
  hangar_usb_list_set_machine (list, _hangar_window_get_selected_machine (self));
  hangar_usb_list_refresh (list);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->usb_popover), &self->context_rect);
  gtk_popover_popup (GTK_POPOVER (self->usb_popover));
}

/* A click at (@x, @y) of the list view: select the row there and show its menu. */
static void
context_menu_at (HangarWindow *self,
                 double        x,
                 double        y)
{
  GtkWidget *view = GTK_WIDGET (self->machine_view);
  HangarMachineRow *row = row_at (view, x, y);
  graphene_point_t point;

  if (row == NULL || !select_machine (self, hangar_machine_row_get_machine (row)))
    return;

  if (!gtk_widget_compute_point (view, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  _hangar_window_show_context_menu (self, point.x, point.y);
}

static void
on_secondary_click (HangarWindow    *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  context_menu_at (self, x, y);
}

static void
on_long_press (HangarWindow        *self,
               double               x,
               double               y,
               GtkGestureLongPress *gesture)
{
  context_menu_at (self, x, y);
}

static HangarMachineRow *
find_row_of (GtkWidget *widget,
             GObject   *machine)
{
  if (HANGAR_IS_MACHINE_ROW (widget))
    return hangar_machine_row_get_machine (HANGAR_MACHINE_ROW (widget)) == machine
           ? HANGAR_MACHINE_ROW (widget) : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      HangarMachineRow *row = find_row_of (child, machine);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* Menu or Shift+F10: the selected row's menu, under the row's title. */
static void
show_menu_for_selection (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  HangarDBusMachine1 *machine = _hangar_window_get_selected_machine (self);
  HangarMachineRow *row;
  graphene_point_t point;

  if (machine == NULL || !g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "list"))
    return;

  row = find_row_of (GTK_WIDGET (self->machine_view), G_OBJECT (machine));
  if (row == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (48, gtk_widget_get_height (GTK_WIDGET (row))),
                                 &point))
    return;
  _hangar_window_show_context_menu (self, point.x, point.y);
}

/* Whether the engine answers: its objects also go when it merely stops. */
static gboolean
engine_present (GListModel *machines)
{
  GDBusObjectManager *manager = hangar_machine_list_get_manager (HANGAR_MACHINE_LIST (machines));
  g_autofree char *owner = NULL;

  GDBusConnection *connection;

  if (manager == NULL)
    return FALSE;
  /* Peer to peer (a remote host), there is no name: the connection is the engine. */
  connection = g_dbus_object_manager_client_get_connection (G_DBUS_OBJECT_MANAGER_CLIENT (manager));
  if (g_dbus_connection_get_unique_name (connection) == NULL)
    return !g_dbus_connection_is_closed (connection);
  owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (manager));
  return owner != NULL;
}

/* A machine's page closes when the machine is deleted. When its engine stops, the
 * page stays (QEMU runs on, and so does a console connected to it), and takes the
 * new engine's object for the machine when the engine is back. */
static void
on_machines_changed (HangarWindow *self,
                     guint         position,
                     guint         removed,
                     guint         added,
                     GListModel   *machines)
{
  HangarDBusMachine1 *shown;
  const char *shown_path;
  guint n_items;

  /* main_stack is NULL once the window is taken apart; its connection may outlive it. */
  if (self->details == NULL || self->main_stack == NULL ||
      !g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "details"))
    return;
  shown = hangar_machine_page_get_machine (HANGAR_MACHINE_PAGE (self->details));
  if (shown == NULL)
    return;

  shown_path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (shown));
  n_items = g_list_model_get_n_items (machines);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HangarDBusMachine1) item = g_list_model_get_item (machines, i);

      if (item == shown)
        return;
      if (g_str_equal (g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)), shown_path))
        {
          hangar_machine_page_set_machine (HANGAR_MACHINE_PAGE (self->details), item);
          return;
        }
    }

  if (removed == 0 || !engine_present (machines))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "vm.back", NULL);
  hangar_machine_page_set_machine (HANGAR_MACHINE_PAGE (self->details), NULL);
}

/* ---- the machine's page ------------------------------------------------------- */

/* Made the first time a machine is opened: its tabs cost a tenth of a cold start. */
HangarMachinePage *
_hangar_window_get_details (HangarWindow *self)
{
  if (self->details == NULL)
    {
      self->details = hangar_machine_page_new ();
      hangar_machine_page_set_connection (HANGAR_MACHINE_PAGE (self->details), self->connection);
      gtk_stack_add_named (self->main_stack, self->details, "details");
    }
  return HANGAR_MACHINE_PAGE (self->details);
}

/* ---- connection --------------------------------------------------------------- */

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->connection != NULL)
    hangar_connection_connect (self->connection);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->connection != NULL)
    hangar_connection_disconnect (self->connection);
}

static void
hangar_window_set_connection (HangarWindow     *self,
                              HangarConnection *connection)
{
  HangarMachineList *machines;

  if (connection == NULL || connection == self->connection)
    return;

  /* Another connection: what was open of the last one's machines closes. */
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      g_signal_handlers_disconnect_by_data (hangar_connection_get_machines (self->connection),
                                            self);
      g_clear_object (&self->connection);
      if (self->main_stack != NULL)
        gtk_stack_set_visible_child_name (self->main_stack, "list");
      if (self->details != NULL)
        hangar_machine_page_set_machine (HANGAR_MACHINE_PAGE (self->details), NULL);
    }

  self->connection = g_object_ref (connection);
  g_signal_connect_object (connection, "notify::status",
                           G_CALLBACK (_hangar_window_update_actions), self, G_CONNECT_SWAPPED);

  machines = hangar_connection_get_machines (connection);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (machines));
  g_signal_connect_object (machines, "machine-state-changed",
                           G_CALLBACK (on_machine_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (machines, "items-changed",
                           G_CALLBACK (on_machines_changed), self, G_CONNECT_SWAPPED);

  if (self->details != NULL)
    hangar_machine_page_set_connection (HANGAR_MACHINE_PAGE (self->details), connection);
  if (self->host_page != NULL)
    hangar_host_page_set_connection (HANGAR_HOST_PAGE (self->host_page), connection);
  g_settings_bind (self->settings, "statistics-interval", connection, "statistics-interval",
                   G_SETTINGS_BIND_GET);
  _hangar_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
  _hangar_window_connections_select (self);
}

/**
 * hangar_window_show_connection:
 *
 * Shows another connection's machines (one of the sidebar's).
 */
void
hangar_window_show_connection (HangarWindow     *self,
                               HangarConnection *connection)
{
  g_return_if_fail (HANGAR_IS_WINDOW (self));
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  hangar_window_set_connection (self, connection);
}

/* ---- window size ---------------------------------------------------------------- */

static gboolean
hangar_window_close_request (GtkWindow *window)
{
  HangarWindow *self = HANGAR_WINDOW (window);
  int width;
  int height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (hangar_window_parent_class)->close_request (window);
}

/* ---- GObject -------------------------------------------------------------------- */

static void
hangar_window_dispose (GObject *object)
{
  HangarWindow *self = HANGAR_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->selected_signals != NULL)
    g_signal_group_set_target (self->selected_signals, NULL);
  if (self->usb_popover != NULL)
    gtk_widget_unparent (g_steal_pointer (&self->usb_popover));
  self->context_usb = NULL;  /* went with its popover */
  if (self->context_menu != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->context_menu));
  if (self->machine_view != NULL)
    gtk_list_view_set_model (self->machine_view, NULL);

  _hangar_window_connections_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->search_filter);
  g_clear_object (&self->selected_signals);
  g_clear_object (&self->connection);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hangar_window_parent_class)->dispose (object);
}

static void
hangar_window_finalize (GObject *object)
{
  HangarWindow *self = HANGAR_WINDOW (object);

  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->sort_column, g_free);

  G_OBJECT_CLASS (hangar_window_parent_class)->finalize (object);
}

static void
hangar_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HangarWindow *self = HANGAR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_SORT_COLUMN:
      g_value_set_string (value, self->sort_column);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HangarWindow *self = HANGAR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      hangar_window_set_connection (self, g_value_get_object (value));
      break;

    case PROP_SORT_COLUMN:
      hangar_window_set_sort_column (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_window_class_init (HangarWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hangar_window_dispose;
  object_class->finalize = hangar_window_finalize;
  object_class->get_property = hangar_window_get_property;
  object_class->set_property = hangar_window_set_property;
  window_class->close_request = hangar_window_close_request;

  /**
   * HangarWindow:connection:
   *
   * The engine whose machines the window shows. The one given at construction is
   * the window's local engine, first in the sidebar.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         HANGAR_TYPE_CONNECTION,
                         /* CONSTRUCT: set before "application" adds the window, so that
                          * a window has its connection by the time anyone sees it. */
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * HangarWindow:sort-column:
   *
   * "name" or "state", bound to the GSettings key sort-column.
   */
  properties[PROP_SORT_COLUMN] =
    g_param_spec_string ("sort-column", NULL, NULL,
                         "name",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template and its list item factory name these types. */
  g_type_ensure (HANGAR_TYPE_CONNECTION);
  g_type_ensure (HANGAR_TYPE_MACHINE_LIST);
  g_type_ensure (HANGAR_TYPE_MACHINE_ROW);
  g_type_ensure (HANGAR_DBUS_TYPE_HOST1);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, machine_view);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, machine_buttons);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, context_menu);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, connection_sidebar);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, connection_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_machine_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_secondary_click);
  gtk_widget_class_bind_template_callback (widget_class, on_long_press);
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_window_page",
                                                G_CALLBACK (hangar_format_window_page));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_is_connecting",
                                                G_CALLBACK (hangar_format_is_connecting));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_connection_subtitle",
                                                G_CALLBACK (hangar_format_connection_subtitle));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_escape_markup",
                                                G_CALLBACK (hangar_format_escape_markup));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_connection_title",
                                                G_CALLBACK (hangar_format_connection_title));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_connection_icon",
                                                G_CALLBACK (hangar_format_connection_icon));

  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, start_search);
  gtk_widget_class_install_action (widget_class, "win.context-menu", NULL,
                                   show_menu_for_selection);
  gtk_widget_class_install_action (widget_class, "win.usb-devices", NULL, show_usb_devices);
  gtk_widget_class_install_property_action (widget_class, "win.sort-column", "sort-column");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0,
                                       "win.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "win.context-menu", NULL);

  _hangar_window_class_actions_init (widget_class);
  _hangar_window_class_create_init (widget_class);
  _hangar_window_class_host_init (widget_class);
  _hangar_window_class_connections_init (widget_class);
}

static void
hangar_window_init (HangarWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);

  /* An interface type has no notify signal to look up: any object will do. */
  self->selected_signals = g_signal_group_new (G_TYPE_OBJECT);
  g_signal_group_connect_swapped (self->selected_signals, "notify::state",
                                  G_CALLBACK (_hangar_window_update_actions), self);

  self->search_filter = gtk_custom_filter_new (search_filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->search_filter)));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)), NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  self->sort_column = g_strdup ("name");
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selected_item_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (update_list_page), self, G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_view_set_model (self->machine_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (on_page_changed), self, G_CONNECT_SWAPPED);
  on_page_changed (self);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self));
  self->context_usb = hangar_usb_list_new ();
  self->usb_popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->usb_popover), self->context_usb);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->usb_popover), FALSE);
  gtk_widget_set_halign (self->usb_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->usb_popover, GTK_WIDGET (self));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_settings_bind (self->settings, "sort-column", self, "sort-column", G_SETTINGS_BIND_DEFAULT);

  _hangar_window_update_actions (self);
}

/**
 * hangar_window_new:
 * @connection: the engine to show
 */
HangarWindow *
hangar_window_new (HangarApplication *application,
                   HangarConnection  *connection)
{
  HangarWindow *self;

  g_return_val_if_fail (HANGAR_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), NULL);

  self = g_object_new (HANGAR_TYPE_WINDOW,
                       "application", application,
                       "connection", connection,
                       NULL);
  _hangar_window_connections_init (self, application);
  return self;
}

/**
 * hangar_window_get_connection:
 *
 * Returns: (transfer none): the connection shown
 */
HangarConnection *
hangar_window_get_connection (HangarWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_WINDOW (self), NULL);

  return self->connection;
}

/**
 * hangar_window_get_selection:
 *
 * Returns: (transfer none): the list's selection: the machines as shown (searched
 *   and sorted), the selected one being the one vm.* actions act on
 */
GtkSingleSelection *
hangar_window_get_selection (HangarWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_WINDOW (self), NULL);

  return self->selection;
}
