/* hangar-details-view-devices.c: adding and removing a machine's devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both edit a copy of the definition and send it whole, as a page's Apply does;
 * removing asks first, and says so when the device is the disk a running machine
 * boots from.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"
#include "hangar-details-view-private.h"
#include "hangar-domain-xml.h"

typedef struct
{
  HangarDetailsDone done;
  gpointer          user_data;
  char             *key;
} Adding;

static void
on_device_added (HangarDetailsView  *self,
                 gpointer            user_data,
                 const char * const *applied_live,
                 const char * const *pending,
                 const GError       *error)
{
  Adding *adding = user_data;

  if (error == NULL)
    {
      _hangar_details_view_say_applied_live (self, applied_live);
      if (pending != NULL && pending[0] != NULL)
        {
          g_autofree char *list = g_strjoinv ("; ", (char **) pending);
          /* Translators: %s lists the changes. */
          g_autofree char *text = g_strdup_printf (_("Applies after the next shutdown: %s"), list);

          _hangar_details_view_toast (self, text);
        }
      g_free (self->select_after_load);
      self->select_after_load = g_steal_pointer (&adding->key);
      _hangar_details_view_load (self);
    }
  adding->done (adding->user_data, error);
  g_free (adding->key);
  g_free (adding);
}

/* Adds the device element @fragment to the definition and applies it; @done gets
 * the engine's error or NULL. */
void
_hangar_details_view_add_device (HangarDetailsView *self,
                                 const char        *fragment,
                                 HangarDetailsDone  done,
                                 gpointer           user_data)
{
  g_autoptr(xmlDoc) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  Adding *adding;
  xmlNode *device;

  if (self->doc == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("The definition has not been read yet."));
      done (user_data, error);
      return;
    }
  copy = xmlCopyDoc (self->doc, 1);
  device = hangar_domain_xml_add_device (copy, fragment, &error);
  if (device == NULL)
    {
      done (user_data, error);
      return;
    }
  adding = g_new0 (Adding, 1);
  adding->done = done;
  adding->user_data = user_data;
  adding->key = hangar_domain_xml_device_key (device);
  if (adding->key == NULL)
    adding->key = g_strdup (hangar_domain_xml_group_key (device));
  xml = hangar_domain_xml_to_string (copy);
  _hangar_details_view_send (self, xml, on_device_added, adding);
}

typedef struct
{
  HangarDetailsView *view;
  HangarDetailsPage *page;
  guint              index;   /* the device's place among <devices>' elements */
} Removal;

static void
removal_free (Removal *removal)
{
  g_object_unref (removal->view);
  g_object_unref (removal->page);
  g_free (removal);
}

static guint
device_index (xmlNode *device)
{
  guint index = 0;

  for (xmlNode *n = device->parent->children; n != device; n = n->next)
    if (n->type == XML_ELEMENT_NODE)
      index++;
  return index;
}

static xmlNode *
device_at (xmlDoc *doc,
           guint   index)
{
  xmlNode *devices = hangar_domain_xml_child (xmlDocGetRootElement (doc), "devices");

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && index-- == 0)
      return n;
  return NULL;
}

static void
on_removed (HangarDetailsView  *self,
            gpointer            user_data,
            const char * const *applied_live,
            const char * const *pending,
            const GError       *error)
{
  Removal *removal = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      removal_free (removal);
      return;
    }
  hangar_details_page_set_busy (removal->page, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = _hangar_details_view_remote_message (error);

      hangar_details_page_set_error (removal->page, message);
    }
  else
    {
      _hangar_details_view_say_applied_live (self, applied_live);
      if (pending != NULL && pending[0] != NULL)
        {
          g_autofree char *list = g_strjoinv ("; ", (char **) pending);
          g_autofree char *text = g_strdup_printf (_("Applies after the next shutdown: %s"), list);

          _hangar_details_view_toast (self, text);
        }
      _hangar_details_view_load (self);
    }
  removal_free (removal);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  Removal *removal = user_data;
  HangarDetailsView *self = removal->view;
  g_autoptr(xmlDoc) copy = NULL;
  g_autofree char *xml = NULL;
  xmlNode *device;

  /* One answer per question, however the dialog is closed after it. */
  g_signal_handlers_disconnect_by_func (dialog, on_remove_response, removal);
  if (g_strcmp0 (response, "remove") != 0 || self->doc == NULL)
    {
      removal_free (removal);
      return;
    }
  copy = xmlCopyDoc (self->doc, 1);
  device = device_at (copy, removal->index);
  g_assert (device != NULL);
  xmlUnlinkNode (device);
  xmlFreeNode (device);
  xml = hangar_domain_xml_to_string (copy);
  hangar_details_page_set_error (removal->page, NULL);
  hangar_details_page_set_busy (removal->page, TRUE);
  _hangar_details_view_send (self, xml, on_removed, removal);
}

/* Whether @device is the only hard disk of a running machine that boots from it. */
static gboolean
is_last_boot_disk (HangarDetailsView *self,
                   xmlNode           *device)
{
  g_autofree char *kind = hangar_domain_xml_attr (device, "device");
  g_autoptr(GPtrArray) bootable = NULL;
  const char *state = hangar_dbus_machine1_get_state (self->machine);
  xmlNode *os = hangar_domain_xml_child (xmlDocGetRootElement (self->doc), "os");
  gboolean ordered = FALSE;
  guint disks = 0;

  if (!hangar_domain_xml_is (device, "disk") || g_strcmp0 (kind, "cdrom") == 0 ||
      g_strcmp0 (state, "shut-off") == 0 || g_strcmp0 (state, "crashed") == 0)
    return FALSE;

  bootable = hangar_domain_xml_bootable (self->doc);
  for (guint i = 0; i < bootable->len; i++)
    {
      xmlNode *n = g_ptr_array_index (bootable, i);
      g_autofree char *n_kind = hangar_domain_xml_attr (n, "device");

      if (hangar_domain_xml_is (n, "disk") && g_strcmp0 (n_kind, "cdrom") != 0)
        disks++;
      ordered = ordered || hangar_domain_xml_boot_order (n) > 0;
    }
  if (disks != 1)
    return FALSE;
  if (ordered)
    return hangar_domain_xml_boot_order (device) > 0;
  /* No order on the devices: <os> says, or the disk boots when nothing else is said. */
  if (hangar_domain_xml_child (os, "kernel") != NULL)
    return FALSE;
  for (xmlNode *n = os ? os->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *dev = hangar_domain_xml_is (n, "boot") ?
        hangar_domain_xml_attr (n, "dev") : NULL;

      if (g_strcmp0 (dev, "hd") == 0)
        return TRUE;
      if (dev != NULL)
        ordered = TRUE;
    }
  return !ordered;
}

/* Asks before removing @device (in the view's document) from the definition. */
void
_hangar_details_view_confirm_remove (HangarDetailsView *self,
                                     HangarDetailsPage *page,
                                     xmlNode           *device)
{
  g_autofree char *title = hangar_domain_xml_device_title (device);
  g_autofree char *heading = NULL;
  const char *body;
  Removal *removal;
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Translators: %s is a device, such as “Disk vda” or “Tablet”. */
  heading = g_strdup_printf (_("Remove %s?"), title);

  if (is_last_boot_disk (self, device))
    body = _("The machine is running and boots from this disk, its only one: without it, "
             "the machine cannot start again. The image file is kept.");
  else if (hangar_domain_xml_is (device, "disk"))
    body = _("The machine stops using the disk. Its image file is kept.");
  else
    body = _("The device is removed from the machine's definition.");

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  removal = g_new0 (Removal, 1);
  removal->view = g_object_ref (self);
  removal->page = g_object_ref (page);
  removal->index = device_index (device);
  g_signal_connect (dialog, "response", G_CALLBACK (on_remove_response), removal);
  gtk_window_present (GTK_WINDOW (dialog));
}

