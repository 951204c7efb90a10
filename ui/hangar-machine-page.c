/* hangar-machine-page.c: one machine's page: console, details, performance
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Shown in the main window when a machine is opened, with a back button (vm.back)
 * and a view switcher. Details is the hardware pane (HangarDetailsView): what the
 * machine is, edited page by page; Performance is a HangarPerformanceView. Console is
 * HangarConsoleView.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-console-view.h"
#include "hangar-details-view.h"
#include "hangar-format.h"
#include "hangar-machine-history.h"
#include "hangar-machine-page.h"
#include "hangar-performance-view.h"

struct _HangarMachinePage
{
  AdwBin                parent_instance;

  HangarDBusMachine1   *machine;
  HangarMachineHistory *history;
  HangarConnection     *connection;
  GCancellable         *cancellable;

  /* Template widgets */
  AdwViewStack         *view_stack;
  HangarConsoleView    *console_view;
  GtkWidget            *header_bar;
  GtkWidget            *switcher_bar;
  GtkWindow            *window;        /* followed for notify::fullscreened */
  HangarDetailsView    *details_view;
  HangarPerformanceView *performance_view;
};

G_DEFINE_FINAL_TYPE (HangarMachinePage, hangar_machine_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MACHINE,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hangar_machine_page_dispose (GObject *object)
{
  HangarMachinePage *self = HANGAR_MACHINE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_MACHINE_PAGE);
  g_clear_object (&self->machine);
  g_clear_object (&self->history);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hangar_machine_page_parent_class)->dispose (object);
}

static void
hangar_machine_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HangarMachinePage *self = HANGAR_MACHINE_PAGE (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Fullscreen is for the guest's screen: the page's bars make room for it. */
static void
on_fullscreened (HangarMachinePage *self)
{
  gboolean fullscreen = self->window != NULL && gtk_window_is_fullscreen (self->window);

  gtk_widget_set_visible (self->header_bar, !fullscreen);
  gtk_widget_set_visible (self->switcher_bar, !fullscreen);
}

static void
hangar_machine_page_root (GtkWidget *widget)
{
  HangarMachinePage *self = HANGAR_MACHINE_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (hangar_machine_page_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->window = GTK_WINDOW (root);
      g_signal_connect_object (root, "notify::fullscreened", G_CALLBACK (on_fullscreened), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
hangar_machine_page_unroot (GtkWidget *widget)
{
  HangarMachinePage *self = HANGAR_MACHINE_PAGE (widget);

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = NULL;

  GTK_WIDGET_CLASS (hangar_machine_page_parent_class)->unroot (widget);
}

static void
hangar_machine_page_class_init (HangarMachinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_machine_page_dispose;
  object_class->get_property = hangar_machine_page_get_property;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL,
                         HANGAR_DBUS_TYPE_MACHINE1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         HANGAR_TYPE_MACHINE_HISTORY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HANGAR_DBUS_TYPE_MACHINE1);
  g_type_ensure (HANGAR_TYPE_MACHINE_HISTORY);
  g_type_ensure (HANGAR_TYPE_CONSOLE_VIEW);
  g_type_ensure (HANGAR_TYPE_DETAILS_VIEW);
  g_type_ensure (HANGAR_TYPE_PERFORMANCE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-machine-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarMachinePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarMachinePage, console_view);
  gtk_widget_class_bind_template_child (widget_class, HangarMachinePage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, HangarMachinePage, switcher_bar);
  widget_class->root = hangar_machine_page_root;
  widget_class->unroot = hangar_machine_page_unroot;
  gtk_widget_class_bind_template_child (widget_class, HangarMachinePage, details_view);
  gtk_widget_class_bind_template_child (widget_class, HangarMachinePage, performance_view);
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_machine_title",
                                                G_CALLBACK (hangar_format_machine_title));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_state_with_reason",
                                                G_CALLBACK (hangar_format_state_with_reason));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_memory",
                                                G_CALLBACK (hangar_format_memory));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_lines",
                                                G_CALLBACK (hangar_format_lines));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_escape_markup",
                                                G_CALLBACK (hangar_format_escape_markup));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_os_name",
                                                G_CALLBACK (hangar_format_os_name));
}

static void
hangar_machine_page_init (HangarMachinePage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hangar_machine_page_new (void)
{
  return g_object_new (HANGAR_TYPE_MACHINE_PAGE, NULL);
}

HangarDBusMachine1 *
hangar_machine_page_get_machine (HangarMachinePage *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_PAGE (self), NULL);

  return self->machine;
}

/**
 * hangar_machine_page_set_machine:
 * @machine: (nullable): the machine to show
 */
void
hangar_machine_page_set_machine (HangarMachinePage  *self,
                                 HangarDBusMachine1 *machine)
{
  g_return_if_fail (HANGAR_IS_MACHINE_PAGE (self));
  g_return_if_fail (machine == NULL || HANGAR_DBUS_IS_MACHINE1 (machine));

  if (!g_set_object (&self->machine, machine))
    return;

  g_set_object (&self->history,
                (machine != NULL ? hangar_machine_history_get_for (machine) : NULL));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

/**
 * hangar_machine_page_set_tab:
 * @tab: "console", "details" or "performance"
 *
 * Shows one of the page's tabs.
 */
void
hangar_machine_page_set_tab (HangarMachinePage *self,
                             const char        *tab)
{
  g_return_if_fail (HANGAR_IS_MACHINE_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, tab);
}

/**
 * hangar_machine_page_set_connection:
 *
 * The engine the machines shown belong to.
 */
void
hangar_machine_page_set_connection (HangarMachinePage *self,
                                    HangarConnection  *connection)
{
  g_return_if_fail (HANGAR_IS_MACHINE_PAGE (self));

  g_set_object (&self->connection, connection);
  hangar_details_view_set_connection (self->details_view, connection);
  hangar_console_view_set_usb_host (self->console_view,
                                    connection ? hangar_connection_get_host (connection) : NULL);
  hangar_performance_view_set_connection (self->performance_view, connection);
}
