/* hangar-details-overview.c: the Overview page: what the machine is and is called
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Name (another name renames the machine), title and description can be edited;
 * the rest is shown: UUID, state, hypervisor and accelerator, machine type,
 * firmware, architecture, operating system. Changes saved that the running guest
 * does not have yet (Machine1.PendingChanges) are said under the rows. While the
 * machine runs with a guest agent channel, the Guest group shows what the agent says
 * (Machine1.GetGuestInfo): asked once each time QEMU starts, when the page is shown,
 * and again on request, as the agent may start after the page asked.
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

  AdwPreferencesGroup *guest_group;
  GtkWidget           *guest_refresh;
  AdwActionRow        *guest_host_row;
  AdwActionRow        *guest_os_row;
  AdwActionRow        *guest_kernel_row;
  AdwActionRow        *guest_addresses_row;
  GCancellable        *guest_cancellable;
  gboolean             has_agent;      /* the definition has the agent's channel */
  guint                asked_pid;      /* the QEMU the agent was last asked in */
} Overview;

static void
overview_free (Overview *overview)
{
  g_cancellable_cancel (overview->guest_cancellable);
  g_clear_object (&overview->guest_cancellable);
  g_free (overview);
}

/* ---- the guest agent ---------------------------------------------------------------- */

static void
show_guest_rows (Overview *overview,
                 gboolean  shown)
{
  gtk_widget_set_visible (GTK_WIDGET (overview->guest_host_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (overview->guest_os_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (overview->guest_kernel_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (overview->guest_addresses_row), shown);
}

/* "eth0: 10.0.2.15/24" a line, loopback left out. */
static char *
format_addresses (GVariant *interfaces)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GVariantIter iter;
  const char *name;
  g_autoptr(GVariantIter) addresses = NULL;

  g_variant_iter_init (&iter, interfaces);
  while (g_variant_iter_next (&iter, "(&sas)", &name, &addresses))
    {
      const char *address;

      while (g_variant_iter_next (addresses, "&s", &address))
        if (g_strcmp0 (name, "lo") != 0)
          g_string_append_printf (text, "%s%s: %s", text->len > 0 ? "\n" : "", name, address);
      g_clear_pointer (&addresses, g_variant_iter_free);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_guest_info (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HangarDetailsPage) page = user_data;
  g_autoptr(GVariant) info = NULL;
  g_autoptr(GVariant) interfaces = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *addresses = NULL;
  Overview *overview;
  const char *text;

  if (!hangar_dbus_machine1_call_get_guest_info_finish (HANGAR_DBUS_MACHINE1 (source), &info,
                                                        result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  overview = hangar_details_page_get_data (page);
  gtk_widget_set_sensitive (overview->guest_refresh, TRUE);
  if (info == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      adw_preferences_group_set_description (overview->guest_group, error->message);
      show_guest_rows (overview, FALSE);
      return;
    }

  adw_preferences_group_set_description (overview->guest_group,
                                         _("What the guest agent in the machine says."));
  hangar_details_set_info (overview->guest_host_row,
                           g_variant_lookup (info, "hostname", "&s", &text) ? text : NULL);
  hangar_details_set_info (overview->guest_os_row,
                           g_variant_lookup (info, "os-name", "&s", &text) ? text : NULL);
  hangar_details_set_info (overview->guest_kernel_row,
                           g_variant_lookup (info, "kernel-release", "&s", &text) ? text : NULL);
  interfaces = g_variant_lookup_value (info, "interfaces", G_VARIANT_TYPE ("a(sas)"));
  addresses = interfaces != NULL ? format_addresses (interfaces) : NULL;
  hangar_details_set_info (overview->guest_addresses_row, addresses);
  show_guest_rows (overview, TRUE);
}

static void
ask_guest (HangarDetailsPage *page)
{
  Overview *overview = hangar_details_page_get_data (page);
  HangarDBusMachine1 *machine = hangar_details_page_get_machine (page);

  g_cancellable_cancel (overview->guest_cancellable);
  g_clear_object (&overview->guest_cancellable);
  overview->guest_cancellable = g_cancellable_new ();
  overview->asked_pid = hangar_dbus_machine1_get_pid (machine);
  gtk_widget_set_sensitive (overview->guest_refresh, FALSE);
  hangar_dbus_machine1_call_get_guest_info (machine, overview->guest_cancellable, on_guest_info,
                                            g_object_ref (page));
}

/* The Guest group shows while the machine runs with an agent channel. */
static void
sync_guest (HangarDetailsPage *page)
{
  Overview *overview = hangar_details_page_get_data (page);
  HangarDBusMachine1 *machine = hangar_details_page_get_machine (page);
  gboolean running = machine != NULL &&
                     g_strcmp0 (hangar_dbus_machine1_get_state (machine), "running") == 0;

  gtk_widget_set_visible (GTK_WIDGET (overview->guest_group), running && overview->has_agent);
  if (!running || !overview->has_agent)
    {
      g_cancellable_cancel (overview->guest_cancellable);
      overview->asked_pid = 0;
      gtk_widget_set_sensitive (overview->guest_refresh, TRUE);
      return;
    }
  /* Asked when someone looks, not for every machine started while its pane is open:
   * an agent asked before it runs can leave the engine's channel silent. */
  if (overview->asked_pid != hangar_dbus_machine1_get_pid (machine) &&
      gtk_widget_get_mapped (GTK_WIDGET (page)))
    ask_guest (page);
}

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

  hangar_details_page_set_data (page, overview, (GDestroyNotify) overview_free);

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

  overview->guest_group = hangar_details_page_add_group (page, _("Guest"), NULL);
  overview->guest_refresh = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (overview->guest_refresh, _("Ask the Guest Agent Again"));
  gtk_widget_set_valign (overview->guest_refresh, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (overview->guest_refresh, "flat");
  g_signal_connect_object (overview->guest_refresh, "clicked", G_CALLBACK (ask_guest), page,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (overview->guest_group, overview->guest_refresh);
  overview->guest_host_row = hangar_details_page_add_info (page, overview->guest_group,
                                                           _("Host Name"));
  overview->guest_os_row = hangar_details_page_add_info (page, overview->guest_group,
                                                         _("Operating System"));
  overview->guest_kernel_row = hangar_details_page_add_info (page, overview->guest_group,
                                                             _("Kernel"));
  overview->guest_addresses_row = hangar_details_page_add_info (page, overview->guest_group,
                                                                _("Addresses"));
  gtk_widget_set_visible (GTK_WIDGET (overview->guest_group), FALSE);
  show_guest_rows (overview, FALSE);
  g_signal_connect (page, "map", G_CALLBACK (hangar_details_page_sync), NULL);
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

  sync_guest (page);

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

  overview->has_agent = FALSE;
  for (xmlNode *n = hangar_domain_xml_child (hangar_domain_xml_child (root, "devices"),
                                             "channel");
       n != NULL;
       n = n->next)
    {
      g_autofree char *target = hangar_domain_xml_is (n, "channel") ?
        hangar_domain_xml_child_attr (n, "target", "name") : NULL;

      overview->has_agent = overview->has_agent ||
                            g_strcmp0 (target, "org.qemu.guest_agent.0") == 0;
    }

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
