/* hangar-details-boot.c: the Boot Options page
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Autostart (Machine1.SetAutostart, sent after the definition on Apply), the boot
 * order among disks, CD-ROM drives and NICs as <boot order='N'/> on each device
 * (moved with Up and Down, left out with the check box), the boot menu, and direct
 * kernel boot.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"

typedef struct
{
  char     *key;
  char     *title;
  gboolean  enabled;
} BootEntry;

typedef struct
{
  GtkSwitch           *autostart_switch;
  GtkSwitch           *menu_switch;
  AdwPreferencesGroup *order_group;
  GPtrArray           *entries;      /* BootEntry, in boot order */
  GPtrArray           *rows;         /* the order group's rows */
  gboolean             order_changed;
  AdwEntryRow         *kernel_row;
  AdwEntryRow         *initrd_row;
  AdwEntryRow         *cmdline_row;
} Boot;

static void
boot_entry_free (BootEntry *entry)
{
  g_free (entry->key);
  g_free (entry->title);
  g_free (entry);
}

static void
boot_free (Boot *boot)
{
  g_clear_pointer (&boot->entries, g_ptr_array_unref);
  g_clear_pointer (&boot->rows, g_ptr_array_unref);
  g_free (boot);
}

static void show_order (HangarDetailsPage *page);

static void
move_entry (HangarDetailsPage *page,
            guint              index,
            int                delta)
{
  Boot *boot = hangar_details_page_get_data (page);
  gpointer entry;

  if ((int) index + delta < 0 || index + delta >= boot->entries->len)
    return;
  entry = g_ptr_array_steal_index (boot->entries, index);
  g_ptr_array_insert (boot->entries, index + delta, entry);
  boot->order_changed = TRUE;
  show_order (page);
  hangar_details_page_changed (page);
}

static void
on_up_clicked (GtkButton         *button,
               HangarDetailsPage *page)
{
  move_entry (page, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "hangar-index")), -1);
}

static void
on_down_clicked (GtkButton         *button,
                 HangarDetailsPage *page)
{
  move_entry (page, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "hangar-index")), 1);
}

static void
on_enabled_toggled (GtkCheckButton    *check,
                    HangarDetailsPage *page)
{
  Boot *boot = hangar_details_page_get_data (page);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "hangar-index"));
  BootEntry *entry = g_ptr_array_index (boot->entries, index);

  if (entry->enabled == gtk_check_button_get_active (check))
    return;
  entry->enabled = gtk_check_button_get_active (check);
  boot->order_changed = TRUE;
  hangar_details_page_changed (page);
}

static GtkWidget *
arrow_button (const char *icon,
              const char *tooltip,
              guint       index,
              gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, sensitive);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "hangar-index", GUINT_TO_POINTER (index));
  return button;
}

/* One row per bootable device, in the order it boots. */
static void
show_order (HangarDetailsPage *page)
{
  Boot *boot = hangar_details_page_get_data (page);

  for (guint i = 0; i < boot->rows->len; i++)
    adw_preferences_group_remove (boot->order_group, g_ptr_array_index (boot->rows, i));
  g_ptr_array_set_size (boot->rows, 0);

  for (guint i = 0; i < boot->entries->len; i++)
    {
      BootEntry *entry = g_ptr_array_index (boot->entries, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *up = arrow_button ("go-up-symbolic", _("Move Up"), i, i > 0);
      GtkWidget *down = arrow_button ("go-down-symbolic", _("Move Down"), i,
                                      i + 1 < boot->entries->len);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->title);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), entry->enabled);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (check), "hangar-index", GUINT_TO_POINTER (i));
      g_signal_connect (check, "toggled", G_CALLBACK (on_enabled_toggled), page);
      g_signal_connect (up, "clicked", G_CALLBACK (on_up_clicked), page);
      g_signal_connect (down, "clicked", G_CALLBACK (on_down_clicked), page);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
      adw_preferences_group_add (boot->order_group, row);
      g_ptr_array_add (boot->rows, row);
    }
}

static void
boot_build (HangarDetailsPage *page)
{
  Boot *boot = g_new0 (Boot, 1);
  AdwPreferencesGroup *group;

  boot->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) boot_entry_free);
  boot->rows = g_ptr_array_new ();
  hangar_details_page_set_data (page, boot, (GDestroyNotify) boot_free);

  group = hangar_details_page_add_group (page, _("Startup"), NULL);
  boot->autostart_switch = hangar_details_page_add_switch (page, group, _("Start at _Login"),
                                                           _("Run the machine when you log in"));
  boot->menu_switch = hangar_details_page_add_switch (page, group, _("Boot _Menu"),
                                                      _("Offer a choice of boot device at start"));

  boot->order_group = hangar_details_page_add_group (page, _("Boot Order"),
                                                     _("Checked devices are tried from the top."));

  group = hangar_details_page_add_group (page, _("Direct Kernel Boot"),
                                         _("Boot a kernel file on the host instead of a "
                                           "device."));
  boot->kernel_row = hangar_details_page_add_entry (page, group, _("_Kernel Path"));
  boot->initrd_row = hangar_details_page_add_entry (page, group, _("_Initrd Path"));
  boot->cmdline_row = hangar_details_page_add_entry (page, group, _("Kernel _Arguments"));
}

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
boot_load (HangarDetailsPage *page,
           xmlDoc            *doc,
           xmlNode           *root)
{
  Boot *boot = hangar_details_page_get_data (page);
  HangarDBusMachine1 *machine = hangar_details_page_get_machine (page);
  xmlNode *os = hangar_domain_xml_child (root, "os");
  g_autofree char *menu = hangar_domain_xml_child_attr (os, "bootmenu", "enable");
  g_autofree char *kernel = hangar_domain_xml_child_text (os, "kernel");
  g_autofree char *initrd = hangar_domain_xml_child_text (os, "initrd");
  g_autofree char *cmdline = hangar_domain_xml_child_text (os, "cmdline");
  g_autoptr(GPtrArray) bootable = hangar_domain_xml_bootable (doc);

  gtk_switch_set_active (boot->autostart_switch,
                         machine != NULL && hangar_dbus_machine1_get_autostart (machine));
  gtk_switch_set_active (boot->menu_switch, g_strcmp0 (menu, "yes") == 0);
  set_entry (boot->kernel_row, kernel);
  set_entry (boot->initrd_row, initrd);
  set_entry (boot->cmdline_row, cmdline);

  g_ptr_array_set_size (boot->entries, 0);
  for (guint i = 0; i < bootable->len; i++)
    {
      xmlNode *device = g_ptr_array_index (bootable, i);
      BootEntry *entry = g_new0 (BootEntry, 1);

      entry->key = hangar_domain_xml_device_key (device);
      entry->title = hangar_domain_xml_device_title (device);
      entry->enabled = hangar_domain_xml_boot_order (device) > 0;
      if (entry->key == NULL)
        boot_entry_free (entry);
      else
        g_ptr_array_add (boot->entries, entry);
    }
  boot->order_changed = FALSE;
  show_order (page);
  if (boot->entries->len == 0)
    adw_preferences_group_set_description (boot->order_group,
                                           _("The machine has no disk, CD-ROM drive or network "
                                             "card to boot from."));
  else if (kernel != NULL && kernel[0] != '\0')
    adw_preferences_group_set_description (boot->order_group,
                                           _("Checked devices are tried from the top, but the "
                                             "kernel below boots instead while one is set."));
  else
    adw_preferences_group_set_description (boot->order_group,
                                           _("Checked devices are tried from the top."));
}

static gboolean
boot_store (HangarDetailsPage  *page,
            xmlDoc             *doc,
            xmlNode            *root,
            GError            **error)
{
  Boot *boot = hangar_details_page_get_data (page);
  xmlNode *os = hangar_domain_xml_ensure_child (root, "os");
  g_autofree char *kernel = hangar_details_entry_text (boot->kernel_row);
  g_autofree char *initrd = hangar_details_entry_text (boot->initrd_row);
  g_autofree char *cmdline = hangar_details_entry_text (boot->cmdline_row);

  if (kernel[0] == '\0' && (initrd[0] != '\0' || cmdline[0] != '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("An initrd or kernel arguments need a kernel path."));
      return FALSE;
    }
  hangar_domain_xml_set_child_text (os, "kernel", kernel);
  hangar_domain_xml_set_child_text (os, "initrd", initrd);
  hangar_domain_xml_set_child_text (os, "cmdline", cmdline);

  hangar_domain_xml_remove_children (os, "bootmenu");
  if (gtk_switch_get_active (boot->menu_switch))
    hangar_domain_xml_set_attr (xmlNewChild (os, NULL, (const xmlChar *) "bootmenu", NULL),
                                "enable", "yes");

  if (boot->order_changed)
    {
      g_autoptr(GPtrArray) devices = g_ptr_array_new ();

      for (guint i = 0; i < boot->entries->len; i++)
        {
          BootEntry *entry = g_ptr_array_index (boot->entries, i);
          xmlNode *device = entry->enabled ? hangar_domain_xml_find (doc, entry->key) : NULL;

          if (device != NULL)
            g_ptr_array_add (devices, device);
        }
      hangar_domain_xml_set_boot_order (doc, devices);
    }
  return TRUE;
}

static void
on_autostart_set (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HangarDetailsPage) page = user_data;
  g_autoptr(GError) error = NULL;

  if (!hangar_dbus_machine1_call_set_autostart_finish (HANGAR_DBUS_MACHINE1 (source), result,
                                                       &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      Boot *boot = hangar_details_page_get_data (page);

      g_dbus_error_strip_remote_error (error);
      hangar_details_page_set_error (page, error->message);
      gtk_switch_set_active (boot->autostart_switch,
                             hangar_dbus_machine1_get_autostart (HANGAR_DBUS_MACHINE1 (source)));
    }
}

/* Autostart is not in the definition: it goes with its own call. */
static void
boot_applied (HangarDetailsPage *page)
{
  Boot *boot = hangar_details_page_get_data (page);
  HangarDBusMachine1 *machine = hangar_details_page_get_machine (page);
  gboolean autostart = gtk_switch_get_active (boot->autostart_switch);

  if (machine != NULL && autostart != hangar_dbus_machine1_get_autostart (machine))
    hangar_dbus_machine1_call_set_autostart (machine, autostart, NULL, on_autostart_set,
                                             g_object_ref (page));
}

static void
boot_sync (HangarDetailsPage *page)
{
  Boot *boot = hangar_details_page_get_data (page);
  HangarDBusMachine1 *machine = hangar_details_page_get_machine (page);

  if (machine != NULL && !hangar_details_page_is_dirty (page))
    gtk_switch_set_active (boot->autostart_switch, hangar_dbus_machine1_get_autostart (machine));
}

const HangarDetailsEditor hangar_details_boot_editor = {
  .build = boot_build,
  .load = boot_load,
  .store = boot_store,
  .applied = boot_applied,
  .sync = boot_sync,
};
