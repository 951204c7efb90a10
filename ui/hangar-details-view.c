/* hangar-details-view.c: a machine's hardware, seen and edited
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The Details tab: a sidebar of the machine's hardware and the selected item's
 * page. The view keeps the definition (Machine1.GetXml) as an xmlDoc, read again
 * whenever the machine's properties change and after every Apply; pages show it
 * unless a person is editing them. Apply sends the whole definition with
 * Machine1.UpdateConfig: the engine decides what the running guest gets now and
 * what waits for the next start; the view only says so (a toast for what applied
 * live, a note on the page for what is pending). See hangar-details-private.h for
 * how the pages are split.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-details-private.h"

struct _HangarDetailsView
{
  GtkWidget           parent_instance;

  HangarDBusMachine1 *machine;
  HangarConnection   *connection;
  GCancellable       *cancellable;      /* the machine's calls; cancelled on a new machine */
  xmlDoc             *doc;              /* the definition as last read; NULL before */
  char               *xml;              /* GetXml's text of it; NULL after an Apply */
  GHashTable         *pages;            /* key → HangarDetailsPage, owned by the stack */
  GPtrArray          *keys;             /* the sidebar's keys, in order */
  char               *select_after_load; /* a new device's key */
  gboolean            loading;          /* a GetXml call is pending */
  gboolean            reload;           /* read again when it returns */

  /* Template widgets */
  GtkStack           *state_stack;
  AdwStatusPage      *error_page;
  GtkListBox         *sidebar;
  GtkStack           *stack;
  GtkWidget          *add_button;
};

G_DEFINE_FINAL_TYPE (HangarDetailsView, hangar_details_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_definition (HangarDetailsView *self);

static const HangarDetailsEditor *
editor_for_kind (const char *kind)
{
  static const struct
  {
    const char                *kind;
    const HangarDetailsEditor *editor;
  } editors[] = {
    { "overview", &hangar_details_overview_editor },
    { "cpus",     &hangar_details_cpus_editor },
    { "memory",   &hangar_details_memory_editor },
    { "boot",     &hangar_details_boot_editor },
    { "disk",     &hangar_details_disk_editor },
    { "nic",      &hangar_details_nic_editor },
    { "display",  &hangar_details_display_editor },
    { "video",    &hangar_details_video_editor },
    { "sound",    &hangar_details_sound_editor },
    { "input",    &hangar_details_input_editor },
    { "serial",   &hangar_details_serial_editor },
    { "channels", &hangar_details_channels_editor },
    { "usb",      &hangar_details_usb_editor },
    { "rng",      &hangar_details_rng_editor },
    { "watchdog", &hangar_details_watchdog_editor },
    { "xml",      &hangar_details_xml_editor },
  };

  for (guint i = 0; i < G_N_ELEMENTS (editors); i++)
    if (g_strcmp0 (editors[i].kind, kind) == 0)
      return editors[i].editor;
  g_assert_not_reached ();
}

static char *
remote_message (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  g_dbus_error_strip_remote_error (copy);
  return g_strdup (copy->message);
}

void
_hangar_details_view_toast (HangarDetailsView *self,
                            const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *markup = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (markup));
}

HangarDBusHost1 *
_hangar_details_view_get_host (HangarDetailsView *self)
{
  return self->connection != NULL ? hangar_connection_get_host (self->connection) : NULL;
}

xmlDoc *
_hangar_details_view_get_doc (HangarDetailsView *self)
{
  return self->doc;
}

/* ---- the sidebar ------------------------------------------------------------------ */

static GtkWidget *
sidebar_row_new (HangarDomainItem *item)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (item->icon);
  GtkWidget *label = gtk_label_new (item->title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "hangar-key", g_strdup (item->key), g_free);
  return row;
}

static const char *
row_key (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "hangar-key") : NULL;
}

static void
on_row_selected (HangarDetailsView *self,
                 GtkListBoxRow     *row)
{
  const char *key = row_key (row);

  if (key != NULL && gtk_stack_get_child_by_name (self->stack, key) != NULL)
    gtk_stack_set_visible_child_name (self->stack, key);
}

gboolean
hangar_details_view_select (HangarDetailsView *self,
                            const char        *key)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (row_key (GTK_LIST_BOX_ROW (row)), key) == 0)
        {
          gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
          /* Its scrolled window brings the focused row into view. */
          if (gtk_widget_get_mapped (row))
            gtk_widget_grab_focus (row);
          return TRUE;
        }
    }
  return FALSE;
}

GtkWidget *
hangar_details_view_get_page (HangarDetailsView *self,
                              const char        *key)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), NULL);

  return g_hash_table_lookup (self->pages, key);
}

/* Whether the definition was read and the pages show it. */
gboolean
hangar_details_view_is_loaded (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), FALSE);

  return self->doc != NULL && !self->loading;
}

static void
remove_pages (HangarDetailsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))) != NULL)
    gtk_list_box_remove (self->sidebar, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stack))) != NULL)
    gtk_stack_remove (self->stack, child);
  g_hash_table_remove_all (self->pages);
  g_ptr_array_set_size (self->keys, 0);
}

/* Makes the sidebar and pages follow @doc: a page for each new item, none for items
 * gone; the selection stays on its key, or on the item at its place. */
static void
show_items (HangarDetailsView *self)
{
  g_autoptr(GPtrArray) items = hangar_domain_xml_items (self->doc);
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->sidebar);
  g_autofree char *selected_key = g_strdup (row_key (selected));
  int selected_index = selected != NULL ? gtk_list_box_row_get_index (selected) : 0;
  gboolean same = items->len == self->keys->len;
  GHashTableIter iter;
  gpointer key;
  gpointer page;

  for (guint i = 0; same && i < items->len; i++)
    same = g_str_equal (((HangarDomainItem *) g_ptr_array_index (items, i))->key,
                        g_ptr_array_index (self->keys, i));

  if (!same)
    {
      GtkWidget *child;

      /* Rows go; pages stay while their item does. */
      g_signal_handlers_block_by_func (self->sidebar, on_row_selected, self);
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))) != NULL)
        gtk_list_box_remove (self->sidebar, child);
      g_signal_handlers_unblock_by_func (self->sidebar, on_row_selected, self);
      g_ptr_array_set_size (self->keys, 0);

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &page))
        {
          gboolean kept = FALSE;

          for (guint i = 0; i < items->len && !kept; i++)
            kept = g_str_equal (((HangarDomainItem *) g_ptr_array_index (items, i))->key, key);
          if (!kept)
            {
              gtk_stack_remove (self->stack, page);
              g_hash_table_iter_remove (&iter);
            }
        }

      for (guint i = 0; i < items->len; i++)
        {
          HangarDomainItem *item = g_ptr_array_index (items, i);

          g_ptr_array_add (self->keys, g_strdup (item->key));
          if (!g_hash_table_contains (self->pages, item->key))
            {
              HangarDetailsPage *new_page = hangar_details_page_new (self,
                                                                      editor_for_kind (item->kind),
                                                                      item->key);

              gtk_stack_add_named (self->stack, GTK_WIDGET (new_page), item->key);
              g_hash_table_insert (self->pages, g_strdup (item->key), new_page);
            }
          gtk_list_box_append (self->sidebar, sidebar_row_new (item));
        }

      /* A device just added, else what was shown, else the item at its place. */
      if ((self->select_after_load == NULL ||
           !hangar_details_view_select (self, self->select_after_load)) &&
          (selected_key == NULL || !hangar_details_view_select (self, selected_key)))
        gtk_list_box_select_row (self->sidebar,
                                 gtk_list_box_get_row_at_index (self->sidebar,
                                                                MIN (selected_index,
                                                                     (int) items->len - 1)));
    }
  else if (self->select_after_load != NULL)
    hangar_details_view_select (self, self->select_after_load);
  g_clear_pointer (&self->select_after_load, g_free);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &page))
    hangar_details_page_load (page, self->doc, FALSE);
}

/* ---- reading the definition ---------------------------------------------------------- */

static void
on_xml (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HangarDetailsView) self = user_data;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  if (!hangar_dbus_machine1_call_get_xml_finish (HANGAR_DBUS_MACHINE1 (source), &xml, result,
                                                 &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
    }
  else
    doc = hangar_domain_xml_parse (xml, &error);

  /* A reply for a machine no longer shown: its successor's read is its own. */
  if (HANGAR_DBUS_MACHINE1 (source) != self->machine)
    return;
  self->loading = FALSE;
  if (self->reload)
    {
      load_definition (self);
      return;
    }

  if (doc == NULL)
    {
      g_autofree char *message = remote_message (error);

      /* A definition shown before stays; the first read failing says why. */
      if (self->doc == NULL)
        {
          adw_status_page_set_description (self->error_page, message);
          gtk_stack_set_visible_child_name (self->state_stack, "error");
        }
      else
        g_debug ("Could not read the definition again: %s", message);
      return;
    }

  /* The same text as before (a property changed, not the definition): the pages
   * stay as they are, rows and focus included. */
  if (g_strcmp0 (xml, self->xml) == 0 && self->doc != NULL)
    return;
  g_free (self->xml);
  self->xml = g_steal_pointer (&xml);
  g_clear_pointer (&self->doc, xmlFreeDoc);
  self->doc = g_steal_pointer (&doc);
  show_items (self);
  gtk_stack_set_visible_child_name (self->state_stack, "details");
}

static void
load_definition (HangarDetailsView *self)
{
  self->reload = self->loading;
  if (self->loading || self->machine == NULL)
    return;
  self->loading = TRUE;
  hangar_dbus_machine1_call_get_xml (self->machine, self->cancellable, on_xml,
                                     g_object_ref (self));
}

static void
on_machine_properties_changed (HangarDetailsView *self)
{
  const char * const *pending = hangar_dbus_machine1_get_pending_changes (self->machine);
  gboolean none_pending = pending == NULL || pending[0] == NULL;
  GHashTableIter iter;
  gpointer page;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &page))
    {
      /* The machine restarted or stopped: what a page said was pending is not. */
      if (none_pending)
        hangar_details_page_set_note (page, NULL);
      hangar_details_page_sync (page);
    }
  load_definition (self);
}

/* ---- sending it ------------------------------------------------------------------ */

typedef void (*SentCallback) (HangarDetailsView  *self,
                              gpointer            user_data,
                              const char * const *applied_live,
                              const char * const *pending,
                              const GError       *error);

typedef struct
{
  HangarDetailsView *view;
  char              *xml;
  GStrv              pending_before;  /* PendingChanges when it was sent */
  SentCallback       callback;
  gpointer           user_data;
} Send;

static void
send_free (Send *send)
{
  g_object_unref (send->view);
  g_free (send->xml);
  g_strfreev (send->pending_before);
  g_free (send);
}

/* The engine took @xml: it is the definition now, even before GetXml says so, so
 * that the next Apply (of any page) starts from it. */
static void
take_sent (HangarDetailsView *self,
           const char        *xml)
{
  xmlDoc *doc = hangar_domain_xml_parse (xml, NULL);

  if (doc == NULL)
    return;
  g_clear_pointer (&self->doc, xmlFreeDoc);
  self->doc = doc;
  /* The next GetXml shows the pages what the engine made of it, even if unchanged. */
  g_clear_pointer (&self->xml, g_free);
}

static void
on_config_updated (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) applied_live = NULL;
  g_auto(GStrv) pending = NULL;

  if (hangar_dbus_machine1_call_update_config_finish (HANGAR_DBUS_MACHINE1 (source),
                                                      &applied_live, &pending, result, &error))
    {
      /* The engine lists everything pending; the page speaks of what it changed. */
      g_autoptr(GStrvBuilder) new_pending = g_strv_builder_new ();
      g_auto(GStrv) pending_now = NULL;

      for (guint i = 0; pending != NULL && pending[i] != NULL; i++)
        if (send->pending_before == NULL ||
            !g_strv_contains ((const char * const *) send->pending_before, pending[i]))
          g_strv_builder_add (new_pending, pending[i]);
      pending_now = g_strv_builder_end (new_pending);

      take_sent (send->view, send->xml);
      send->callback (send->view, send->user_data, (const char * const *) applied_live,
                      (const char * const *) pending_now, NULL);
      send_free (send);
      return;
    }

  /* Also when cancelled: the callback owns what it was given. */
  send->callback (send->view, send->user_data, NULL, NULL, error);
  send_free (send);
}

/* Sends the whole definition @xml: the one place the view changes the machine.
 * @callback gets what applied live and what this change made pending, or the error
 * (G_IO_ERROR_CANCELLED when the view went away first). */
static void
send_definition (HangarDetailsView *self,
                 const char        *xml,
                 SentCallback       callback,
                 gpointer           user_data)
{
  Send *send = g_new0 (Send, 1);

  send->view = g_object_ref (self);
  send->xml = g_strdup (xml);
  send->pending_before =
    g_strdupv ((char **) hangar_dbus_machine1_get_pending_changes (self->machine));
  send->callback = callback;
  send->user_data = user_data;
  hangar_dbus_machine1_call_update_config (self->machine, xml, 0, self->cancellable,
                                           on_config_updated, send);
}

static void
say_applied_live (HangarDetailsView  *self,
                  const char * const *applied_live)
{
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  if (applied_live == NULL || applied_live[0] == NULL)
    return;
  list = g_strjoinv ("; ", (char **) applied_live);
  /* Translators: %s lists what the running machine has now. */
  text = g_strdup_printf (_("Applied now: %s"), list);
  _hangar_details_view_toast (self, text);
}

static void
on_page_sent (HangarDetailsView  *self,
              gpointer            user_data,
              const char * const *applied_live,
              const char * const *pending,
              const GError       *error)
{
  g_autoptr(HangarDetailsPage) page = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  hangar_details_page_set_busy (page, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = remote_message (error);

      hangar_details_page_set_error (page, message);
      return;
    }
  hangar_details_page_applied (page, pending);
  say_applied_live (self, applied_live);
  load_definition (self);
}

void
_hangar_details_view_apply (HangarDetailsView *self,
                            HangarDetailsPage *page)
{
  const HangarDetailsEditor *editor = hangar_details_page_get_editor (page);
  g_autofree char *xml = NULL;

  if (self->doc == NULL || self->machine == NULL)
    return;

  if (editor->serialize != NULL)
    xml = editor->serialize (page);
  else
    {
      g_autoptr(xmlDoc) copy = xmlCopyDoc (self->doc, 1);
      xmlNode *node = hangar_domain_xml_find (copy, hangar_details_page_get_key (page));
      g_autoptr(GError) error = NULL;

      if (node == NULL || !editor->store (page, copy, node, &error))
        {
          hangar_details_page_set_error (page, error != NULL ? error->message :
                                         _("The device is no longer in the definition."));
          return;
        }
      xml = hangar_domain_xml_to_string (copy);
    }

  hangar_details_page_set_error (page, NULL);
  hangar_details_page_set_busy (page, TRUE);
  send_definition (self, xml, on_page_sent, g_object_ref (page));
}

/* ---- adding and removing devices ----------------------------------------------------- */

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
      say_applied_live (self, applied_live);
      if (pending != NULL && pending[0] != NULL)
        {
          g_autofree char *list = g_strjoinv ("; ", (char **) pending);
          /* Translators: %s lists the changes. */
          g_autofree char *text = g_strdup_printf (_("Applies after the next shutdown: %s"), list);

          _hangar_details_view_toast (self, text);
        }
      g_free (self->select_after_load);
      self->select_after_load = g_steal_pointer (&adding->key);
      load_definition (self);
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
  send_definition (self, xml, on_device_added, adding);
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
      g_autofree char *message = remote_message (error);

      hangar_details_page_set_error (removal->page, message);
    }
  else
    {
      say_applied_live (self, applied_live);
      if (pending != NULL && pending[0] != NULL)
        {
          g_autofree char *list = g_strjoinv ("; ", (char **) pending);
          g_autofree char *text = g_strdup_printf (_("Applies after the next shutdown: %s"), list);

          _hangar_details_view_toast (self, text);
        }
      load_definition (self);
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
  send_definition (self, xml, on_removed, removal);
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

static void
on_add_clicked (HangarDetailsView *self)
{
  GtkWidget *dialog;

  if (self->doc == NULL)
    return;
  dialog = hangar_add_hardware_new (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the object -------------------------------------------------------------------- */

static void
hangar_details_view_dispose (GObject *object)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_DETAILS_VIEW);
  /* The template's top box is not bound: GTK does not unparent it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->machine);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hangar_details_view_parent_class)->dispose (object);
}

static void
hangar_details_view_finalize (GObject *object)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  g_clear_pointer (&self->doc, xmlFreeDoc);
  g_clear_pointer (&self->xml, g_free);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->select_after_load, g_free);

  G_OBJECT_CLASS (hangar_details_view_parent_class)->finalize (object);
}

static void
hangar_details_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_details_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      hangar_details_view_set_machine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_details_view_class_init (HangarDetailsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_details_view_dispose;
  object_class->finalize = hangar_details_view_finalize;
  object_class->get_property = hangar_details_view_get_property;
  object_class->set_property = hangar_details_view_set_property;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL,
                         HANGAR_DBUS_TYPE_MACHINE1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-details-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, add_button);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_row_selected",
                                                G_CALLBACK (on_row_selected));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_add_clicked",
                                                G_CALLBACK (on_add_clicked));
}

static void
hangar_details_view_init (HangarDetailsView *self)
{
  self->cancellable = g_cancellable_new ();
  self->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keys = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hangar_details_view_new (void)
{
  return g_object_new (HANGAR_TYPE_DETAILS_VIEW, NULL);
}

HangarDBusMachine1 *
hangar_details_view_get_machine (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), NULL);

  return self->machine;
}

void
hangar_details_view_set_machine (HangarDetailsView  *self,
                                 HangarDBusMachine1 *machine)
{
  g_return_if_fail (HANGAR_IS_DETAILS_VIEW (self));
  g_return_if_fail (machine == NULL || HANGAR_DBUS_IS_MACHINE1 (machine));

  if (self->machine == machine)
    return;

  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = FALSE;
  self->reload = FALSE;
  g_clear_pointer (&self->doc, xmlFreeDoc);
  g_clear_pointer (&self->xml, g_free);
  remove_pages (self);
  gtk_stack_set_visible_child_name (self->state_stack, "loading");

  g_set_object (&self->machine, machine);
  if (machine != NULL)
    {
      /* After the generated proxy's own handler: it drops the strvs it cached for the
       * properties that changed, which before it still point into the old values. */
      g_signal_connect_object (machine, "g-properties-changed",
                               G_CALLBACK (on_machine_properties_changed), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      /* Also the changes no property shows (a cache mode, a boot order). */
      g_signal_connect_object (machine, "definition-changed",
                               G_CALLBACK (load_definition), self, G_CONNECT_SWAPPED);
      load_definition (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}

void
hangar_details_view_set_connection (HangarDetailsView *self,
                                    HangarConnection  *connection)
{
  g_return_if_fail (HANGAR_IS_DETAILS_VIEW (self));

  g_set_object (&self->connection, connection);
}
