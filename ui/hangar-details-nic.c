/* hangar-details-nic.c: the page of a network card
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Model, MAC address (checked as it is typed), link state (<link state='down'/>,
 * which the engine can change live) and the network it is on: user-mode NAT, the
 * only one the engine runs.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"

static const char * const models[] = { "virtio", "e1000e", "e1000", "rtl8139", NULL };
static const char * const model_labels[] = {
  "VirtIO", "Intel e1000e", "Intel e1000", "Realtek RTL8139", NULL
};

typedef struct
{
  AdwComboRow  *model_row;
  AdwEntryRow  *mac_row;
  GtkSwitch    *link_switch;
  AdwActionRow *source_row;
} Nic;

static void
on_mac_changed (HangarDetailsPage *page)
{
  Nic *nic = hangar_details_page_get_data (page);
  g_autofree char *mac = hangar_details_entry_text (nic->mac_row);

  if (hangar_details_page_is_loading (page))
    return;
  if (hangar_domain_xml_mac_is_valid (mac))
    gtk_widget_remove_css_class (GTK_WIDGET (nic->mac_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (nic->mac_row), "error");
  hangar_details_page_set_invalid (page, hangar_domain_xml_mac_is_valid (mac) ? NULL :
                                   _("A MAC address is six pairs of hex digits such as "
                                     "52:54:00:12:34:56, and its first pair even."));
}

static void
nic_build (HangarDetailsPage *page)
{
  Nic *nic = g_new0 (Nic, 1);
  AdwPreferencesGroup *group;

  hangar_details_page_set_data (page, nic, g_free);

  group = hangar_details_page_add_group (page, _("Network Card"), NULL);
  nic->model_row = hangar_details_page_add_combo (page, group, _("_Model"), model_labels);
  nic->mac_row = hangar_details_page_add_entry (page, group, _("MA_C Address"));
  g_signal_connect_object (nic->mac_row, "changed", G_CALLBACK (on_mac_changed), page,
                           G_CONNECT_SWAPPED);
  nic->link_switch = hangar_details_page_add_switch (page, group, _("_Connected"),
                                                     _("Whether the cable is plugged in"));

  group = hangar_details_page_add_group (page, _("Network"),
                                         _("With user-mode NAT the guest reaches out through "
                                           "the host's connections."));
  nic->source_row = hangar_details_page_add_info (page, group, _("Source"));
}

static void
nic_load (HangarDetailsPage *page,
          xmlDoc            *doc,
          xmlNode           *node)
{
  Nic *nic = hangar_details_page_get_data (page);
  g_autofree char *model = hangar_domain_xml_child_attr (node, "model", "type");
  g_autofree char *mac = hangar_domain_xml_child_attr (node, "mac", "address");
  g_autofree char *link = hangar_domain_xml_child_attr (node, "link", "state");
  g_autofree char *type = hangar_domain_xml_attr (node, "type");

  adw_combo_row_set_selected (nic->model_row,
                              hangar_details_combo_index (models,
                                                          model != NULL ? model : "virtio"));
  gtk_editable_set_text (GTK_EDITABLE (nic->mac_row), mac != NULL ? mac : "");
  gtk_widget_remove_css_class (GTK_WIDGET (nic->mac_row), "error");
  gtk_switch_set_active (nic->link_switch, g_strcmp0 (link, "down") != 0);
  hangar_details_set_info (nic->source_row,
                           g_strcmp0 (type, "user") == 0 ? _("User-mode NAT") : type);
}

static gboolean
nic_store (HangarDetailsPage  *page,
           xmlDoc             *doc,
           xmlNode            *node,
           GError            **error)
{
  Nic *nic = hangar_details_page_get_data (page);
  g_autofree char *mac = hangar_details_entry_text (nic->mac_row);
  g_autofree char *lower = g_ascii_strdown (mac, -1);

  hangar_domain_xml_set_attr (hangar_domain_xml_ensure_child (node, "mac"), "address", lower);
  hangar_domain_xml_set_attr (hangar_domain_xml_ensure_child (node, "model"), "type",
                              models[adw_combo_row_get_selected (nic->model_row)]);
  hangar_domain_xml_remove_children (node, "link");
  if (!gtk_switch_get_active (nic->link_switch))
    hangar_domain_xml_set_attr (xmlNewChild (node, NULL, (const xmlChar *) "link", NULL),
                                "state", "down");
  return TRUE;
}

const HangarDetailsEditor hangar_details_nic_editor = {
  .build = nic_build,
  .load = nic_load,
  .store = nic_store,
  .removable = TRUE,
};
