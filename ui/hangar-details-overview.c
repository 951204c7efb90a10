/* hangar-details-overview.c: the Overview page: what the machine is and is called
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Name (another name renames the machine), title and description can be edited;
 * the rest is shown: UUID, state, hypervisor and accelerator, machine type,
 * firmware, architecture, operating system. Changes saved that the running guest
 * does not have yet (Machine1.PendingChanges) are said under the rows.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"
#include "hangar-format.h"

typedef struct
{
  AdwEntryRow  *name_row;
  AdwEntryRow  *title_row;
  AdwEntryRow  *description_row;
  AdwActionRow *uuid_row;
  AdwActionRow *state_row;
  AdwActionRow *hypervisor_row;
  AdwActionRow *machine_row;
  AdwActionRow *firmware_row;
  AdwActionRow *arch_row;
  AdwActionRow *os_row;
} Overview;

static void
on_name_changed (HangarDetailsPage *page)
{
  Overview *overview = hangar_details_page_get_data (page);
  g_autofree char *name = hangar_details_entry_text (overview->name_row);

  if (hangar_details_page_is_loading (page))
    return;
  if (name[0] == '\0')
    gtk_widget_add_css_class (GTK_WIDGET (overview->name_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (overview->name_row), "error");
  hangar_details_page_set_invalid (page, name[0] == '\0' ? _("The machine needs a name.") : NULL);
}

static void
overview_build (HangarDetailsPage *page)
{
  Overview *overview = g_new0 (Overview, 1);
  AdwPreferencesGroup *group;

  hangar_details_page_set_data (page, overview, g_free);

  group = hangar_details_page_add_group (page, _("General"), NULL);
  overview->name_row = hangar_details_page_add_entry (page, group, _("_Name"));
  g_signal_connect_object (overview->name_row, "changed", G_CALLBACK (on_name_changed), page,
                           G_CONNECT_SWAPPED);
  overview->title_row = hangar_details_page_add_entry (page, group, _("_Title"));
  overview->description_row = hangar_details_page_add_entry (page, group, _("_Description"));

  group = hangar_details_page_add_group (page, _("Machine"), NULL);
  overview->state_row = hangar_details_page_add_info (page, group, _("State"));
  overview->hypervisor_row = hangar_details_page_add_info (page, group, _("Hypervisor"));
  overview->machine_row = hangar_details_page_add_info (page, group, _("Machine Type"));
  overview->firmware_row = hangar_details_page_add_info (page, group, _("Firmware"));
  overview->arch_row = hangar_details_page_add_info (page, group, _("Architecture"));
  overview->os_row = hangar_details_page_add_info (page, group, _("Operating System"));
  overview->uuid_row = hangar_details_page_add_info (page, group, _("UUID"));
}

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* What the machine's state and the host's QEMU say, without the definition. */
static void
overview_sync (HangarDetailsPage *page)
{
  Overview *overview = hangar_details_page_get_data (page);
  HangarDBusMachine1 *machine = hangar_details_page_get_machine (page);
  HangarDBusHost1 *host = hangar_details_page_get_host (page);
  g_autofree char *state = NULL;
  g_autofree char *hypervisor = NULL;
  g_autofree char *os = NULL;
  const char *accelerator;
  const char * const *pending;

  if (machine == NULL)
    return;

  state = hangar_format_state_with_reason (NULL, hangar_dbus_machine1_get_state (machine),
                                           hangar_dbus_machine1_get_state_reason (machine),
                                           hangar_dbus_machine1_get_last_error (machine));
  hangar_details_set_info (overview->state_row, state);

  accelerator = hangar_dbus_machine1_get_accelerator (machine);
  if (accelerator != NULL && accelerator[0] != '\0')
    {
      g_autofree char *upper = g_ascii_strup (accelerator, -1);

      /* Translators: %s is the accelerator in use, such as KVM or TCG. */
      hypervisor = g_strdup_printf (_("QEMU with %s"), upper);
    }
  else if (host != NULL && hangar_dbus_host1_get_default_accelerator (host) != NULL)
    {
      g_autofree char *upper = g_ascii_strup (hangar_dbus_host1_get_default_accelerator (host),
                                              -1);

      /* Translators: %s is the accelerator a start would use, such as KVM or TCG. */
      hypervisor = g_strdup_printf (_("QEMU, with %s when it runs"), upper);
    }
  else
    hypervisor = g_strdup ("QEMU");
  hangar_details_set_info (overview->hypervisor_row, hypervisor);

  /* The catalogue's name; its libosinfo id for those who look closer. */
  os = hangar_format_os_name (NULL, hangar_dbus_machine1_get_os_name (machine));
  hangar_details_set_info (overview->os_row, os);
  gtk_widget_set_tooltip_text (GTK_WIDGET (overview->os_row),
                               hangar_format_has_text (NULL,
                                                       hangar_dbus_machine1_get_os_id (machine)) ?
                                 hangar_dbus_machine1_get_os_id (machine) : NULL);

  pending = hangar_dbus_machine1_get_pending_changes (machine);
  if (pending != NULL && pending[0] != NULL)
    {
      g_autofree char *list = g_strjoinv ("\n", (char **) pending);
      /* Translators: %s lists the changes, one a line. */
      g_autofree char *note = g_strdup_printf (_("Applies after the next shutdown:\n%s"), list);

      hangar_details_page_set_note (page, note);
    }
  else
    hangar_details_page_set_note (page, NULL);
}

static void
overview_load (HangarDetailsPage *page,
               xmlDoc            *doc,
               xmlNode           *root)
{
  Overview *overview = hangar_details_page_get_data (page);
  g_autofree char *name = hangar_domain_xml_child_text (root, "name");
  g_autofree char *title = hangar_domain_xml_child_text (root, "title");
  g_autofree char *description = hangar_domain_xml_child_text (root, "description");
  g_autofree char *uuid = hangar_domain_xml_child_text (root, "uuid");
  xmlNode *os = hangar_domain_xml_child (root, "os");
  g_autofree char *machine = hangar_domain_xml_child_attr (os, "type", "machine");
  g_autofree char *arch = hangar_domain_xml_child_attr (os, "type", "arch");
  g_autofree char *firmware = hangar_domain_xml_attr (os, "firmware");
  g_autofree char *secure = NULL;
  xmlNode *loader = hangar_domain_xml_child (os, "loader");

  set_entry (overview->name_row, name);
  gtk_widget_remove_css_class (GTK_WIDGET (overview->name_row), "error");
  set_entry (overview->title_row, title);
  set_entry (overview->description_row, description);
  hangar_details_set_info (overview->uuid_row, uuid);
  hangar_details_set_info (overview->machine_row, machine);
  hangar_details_set_info (overview->arch_row, arch);

  secure = hangar_domain_xml_attr (loader, "secure");
  if (g_strcmp0 (firmware, "efi") == 0 || loader != NULL)
    hangar_details_set_info (overview->firmware_row,
                             g_strcmp0 (secure, "yes") == 0 ? _("UEFI with Secure Boot") :
                                                              _("UEFI"));
  else
    hangar_details_set_info (overview->firmware_row, _("BIOS"));

  overview_sync (page);
}

static gboolean
overview_store (HangarDetailsPage  *page,
                xmlDoc             *doc,
                xmlNode            *root,
                GError            **error)
{
  Overview *overview = hangar_details_page_get_data (page);
  g_autofree char *name = hangar_details_entry_text (overview->name_row);
  g_autofree char *title = hangar_details_entry_text (overview->title_row);
  g_autofree char *description = hangar_details_entry_text (overview->description_row);

  hangar_domain_xml_set_child_text (root, "name", name);
  hangar_domain_xml_set_child_text (root, "title", title);
  hangar_domain_xml_set_child_text (root, "description", description);
  return TRUE;
}

const HangarDetailsEditor hangar_details_overview_editor = {
  .build = overview_build,
  .load = overview_load,
  .store = overview_store,
  .sync = overview_sync,
};
