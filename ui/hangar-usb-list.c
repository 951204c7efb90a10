/* hangar-usb-list.c: the host's USB devices, each with a switch for one machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Shown in the console toolbar's USB menu and in a machine's context menu. One row
 * per device of the machine's host (Host1.ListUsbDevices, kept current by
 * UsbDevicesChanged), with who holds it: this machine (switch on), another machine
 * (switch off and insensitive: that machine must let go first), or nobody. Turning
 * the switch calls Machine1.AttachUsb or DetachUsb; a refusal is a toast with the
 * engine's message, and the switch shows what is true again.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-usb-list.h"

struct _HangarUsbList
{
  GtkWidget           parent_instance;

  HangarDBusHost1    *host;
  HangarDBusMachine1 *machine;
  GCancellable       *cancellable;
  GVariant           *devices;     /* the last list, aa{sv} */

  /* Template widgets */
  GtkStack           *stack;
  GtkListBox         *list_box;
  AdwStatusPage      *message_page;
};

G_DEFINE_FINAL_TYPE (HangarUsbList, hangar_usb_list, GTK_TYPE_WIDGET)

static void     rebuild      (HangarUsbList *self);
static gboolean on_state_set (GtkSwitch     *toggle,
                              gboolean       state,
                              HangarUsbList *self);

/**
 * hangar_usb_list_holder_text:
 *
 * Returns: what a device's row says of who holds it, for the machine @machine_uuid.
 */
char *
hangar_usb_list_holder_text (const char *holder_uuid,
                             const char *holder_name,
                             const char *machine_uuid)
{
  if (holder_uuid == NULL || *holder_uuid == '\0')
    return g_strdup (_("Free"));
  if (g_strcmp0 (holder_uuid, machine_uuid) == 0)
    return g_strdup (_("Attached to this machine"));
  return g_strdup_printf (_("Attached to “%s”"), holder_name ? holder_name : holder_uuid);
}

static void
toast (HangarUsbList *self,
       const char    *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *markup = g_markup_escape_text (text, -1);

  /* A context menu's popover hangs from the window, outside its toast overlay. */
  if (overlay == NULL && ADW_IS_APPLICATION_WINDOW (root))
    overlay = adw_application_window_get_content (ADW_APPLICATION_WINDOW (root));
  if (overlay != NULL && ADW_IS_TOAST_OVERLAY (overlay))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (markup));
  else
    g_debug ("No toast overlay for: %s", text);
}

static void
show_message (HangarUsbList *self,
              const char    *title,
              const char    *description)
{
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

typedef struct
{
  HangarUsbList *self;
  GtkSwitch     *toggle;
  char          *place;
} Toggle;

static void
toggle_free (Toggle *t)
{
  g_object_unref (t->self);
  g_object_unref (t->toggle);
  g_free (t->place);
  g_free (t);
}

static void
on_toggled (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Toggle *t = user_data;
  HangarDBusMachine1 *machine = HANGAR_DBUS_MACHINE1 (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean attaching = gtk_switch_get_active (t->toggle);
  gboolean ok;

  ok = attaching ? hangar_dbus_machine1_call_attach_usb_finish (machine, &id, result, &error)
                 : hangar_dbus_machine1_call_detach_usb_finish (machine, result, &error);
  gtk_widget_set_sensitive (GTK_WIDGET (t->toggle), TRUE);
  if (ok)
    gtk_switch_set_state (t->toggle, attaching);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_dbus_error_strip_remote_error (error);
      /* What is true again (a row the engine's news rebuilt meanwhile is gone already). */
      g_signal_handlers_block_by_func (t->toggle, on_state_set, t->self);
      gtk_switch_set_active (t->toggle, !attaching);
      gtk_switch_set_state (t->toggle, !attaching);
      g_signal_handlers_unblock_by_func (t->toggle, on_state_set, t->self);
      toast (t->self, error->message);
    }
  toggle_free (t);
}

static gboolean
on_state_set (GtkSwitch     *toggle,
              gboolean       state,
              HangarUsbList *self)
{
  Toggle *t;

  if (self->machine == NULL)
    return TRUE;
  t = g_new0 (Toggle, 1);
  t->self = g_object_ref (self);
  t->toggle = g_object_ref (toggle);
  t->place = g_strdup (g_object_get_data (G_OBJECT (toggle), "place"));
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  if (state)
    hangar_dbus_machine1_call_attach_usb (self->machine, t->place, "redir", self->cancellable,
                                          on_toggled, t);
  else
    hangar_dbus_machine1_call_detach_usb (self->machine, t->place, self->cancellable,
                                          on_toggled, t);
  return TRUE;  /* the state follows the engine's answer */
}

static GtkWidget *
device_row (HangarUsbList *self,
            GVariant      *device)
{
  const char *label = "", *holder = "", *holder_name = "", *product = "", *manufacturer = "";
  const char *machine_uuid = self->machine ? hangar_dbus_machine1_get_uuid (self->machine) : "";
  guint bus = 0, address = 0;
  guint16 vendor = 0, product_id = 0;
  g_autofree char *title = NULL, *holder_text = NULL, *subtitle = NULL, *place = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  gboolean mine;

  g_variant_lookup (device, "label", "&s", &label);
  g_variant_lookup (device, "product", "&s", &product);
  g_variant_lookup (device, "manufacturer", "&s", &manufacturer);
  g_variant_lookup (device, "machine", "&s", &holder);
  g_variant_lookup (device, "machine-name", "&s", &holder_name);
  g_variant_lookup (device, "bus", "u", &bus);
  g_variant_lookup (device, "address", "u", &address);
  g_variant_lookup (device, "vendor-id", "q", &vendor);
  g_variant_lookup (device, "product-id", "q", &product_id);

  mine = *holder != '\0' && g_strcmp0 (holder, machine_uuid) == 0;
  holder_text = hangar_usb_list_holder_text (holder, holder_name, machine_uuid);
  /* Translators: the device's ids, its place on the host, and who holds it */
  subtitle = g_strdup_printf (_("%04x:%04x on bus %u, device %u · %s"), vendor, product_id, bus,
                              address, holder_text);
  title = g_markup_escape_text (*product ? product : *manufacturer ? manufacturer : label, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (*product && *manufacturer)
    {
      g_autofree char *tooltip = g_strdup_printf ("%s %s", manufacturer, product);
      gtk_widget_set_tooltip_text (row, tooltip);
    }

  place = g_strdup_printf ("%u.%u", bus, address);
  g_object_set_data_full (G_OBJECT (toggle), "place", g_steal_pointer (&place), g_free);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), mine);
  gtk_switch_set_state (GTK_SWITCH (toggle), mine);
  gtk_widget_set_sensitive (toggle, *holder == '\0' || mine);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  g_signal_connect (toggle, "state-set", G_CALLBACK (on_state_set), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}

static void
rebuild (HangarUsbList *self)
{
  GtkWidget *child;
  const char *state = self->machine ? hangar_dbus_machine1_get_state (self->machine) : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  if (g_strcmp0 (state, "running") != 0 && g_strcmp0 (state, "paused") != 0)
    {
      show_message (self, _("The Machine Is Off"),
                    _("Run it to give it USB devices of this host"));
      return;
    }
  if (self->devices == NULL || g_variant_n_children (self->devices) == 0)
    {
      show_message (self, _("No USB Devices"),
                    _("Devices plugged into this host appear here"));
      return;
    }
  for (gsize i = 0; i < g_variant_n_children (self->devices); i++)
    {
      g_autoptr(GVariant) device = g_variant_get_child_value (self->devices, i);

      gtk_list_box_append (self->list_box, device_row (self, device));
    }
  gtk_stack_set_visible_child_name (self->stack, "devices");
}

static void
set_devices (HangarUsbList *self,
             GVariant      *devices)
{
  g_clear_pointer (&self->devices, g_variant_unref);
  self->devices = devices ? g_variant_ref (devices) : NULL;
  rebuild (self);
}

static void
on_listed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HangarUsbList) self = user_data;
  g_autoptr(GVariant) devices = NULL;
  g_autoptr(GError) error = NULL;

  if (!hangar_dbus_host1_call_list_usb_devices_finish (HANGAR_DBUS_HOST1 (object), &devices,
                                                       result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      show_message (self, _("Could Not List USB Devices"), error->message);
      return;
    }
  set_devices (self, devices);
}

/* Asks the engine again: called when the list is about to show. */
void
hangar_usb_list_refresh (HangarUsbList *self)
{
  g_return_if_fail (HANGAR_IS_USB_LIST (self));

  if (self->host == NULL)
    {
      rebuild (self);
      return;
    }
  hangar_dbus_host1_call_list_usb_devices (self->host, self->cancellable, on_listed,
                                           g_object_ref (self));
}

static void
on_usb_devices_changed (HangarDBusHost1 *host,
                        GVariant        *devices,
                        HangarUsbList   *self)
{
  set_devices (self, devices);
}

static void
on_machine_state (HangarUsbList *self)
{
  rebuild (self);
}

void
hangar_usb_list_set_host (HangarUsbList   *self,
                          HangarDBusHost1 *host)
{
  g_return_if_fail (HANGAR_IS_USB_LIST (self));

  if (self->host == host)
    return;
  if (self->host != NULL)
    g_signal_handlers_disconnect_by_data (self->host, self);
  g_set_object (&self->host, host);
  if (host != NULL)
    g_signal_connect (host, "usb-devices-changed", G_CALLBACK (on_usb_devices_changed), self);
  set_devices (self, NULL);
}

void
hangar_usb_list_set_machine (HangarUsbList      *self,
                             HangarDBusMachine1 *machine)
{
  g_return_if_fail (HANGAR_IS_USB_LIST (self));

  if (self->machine == machine)
    return;
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_set_object (&self->machine, machine);
  if (machine != NULL)
    g_signal_connect_swapped (machine, "notify::state", G_CALLBACK (on_machine_state), self);
  rebuild (self);
}

static void
hangar_usb_list_dispose (GObject *object)
{
  HangarUsbList *self = HANGAR_USB_LIST (object);

  g_cancellable_cancel (self->cancellable);
  if (self->host != NULL)
    g_signal_handlers_disconnect_by_data (self->host, self);
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_USB_LIST);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->host);
  g_clear_object (&self->machine);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->devices, g_variant_unref);
  G_OBJECT_CLASS (hangar_usb_list_parent_class)->dispose (object);
}

static void
hangar_usb_list_class_init (HangarUsbListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_usb_list_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-usb-list.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarUsbList, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarUsbList, list_box);
  gtk_widget_class_bind_template_child (widget_class, HangarUsbList, message_page);
}

static void
hangar_usb_list_init (HangarUsbList *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  rebuild (self);
}

GtkWidget *
hangar_usb_list_new (void)
{
  return g_object_new (HANGAR_TYPE_USB_LIST, NULL);
}
