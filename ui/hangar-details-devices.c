/* hangar-details-devices.c: display, video, sound, input, serial, channels, USB, RNG
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The smaller devices. Those a machine has one of (video, sound, USB controller,
 * random number generator) get a page with the models the engine runs
 * (engine/hangar-domain-devices.c) and Remove, the watchdog its action; those it may
 * have several of
 * (displays, input devices, serial ports, agent channels) are listed one row each,
 * with a remove button on the row.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"

/* ---- one model ------------------------------------------------------------------- */

typedef struct
{
  const char * const *values;
  AdwComboRow        *row;
  AdwActionRow       *note_row;
} Model;

static void
model_build (HangarDetailsPage  *page,
             const char         *group_title,
             const char         *row_title,
             const char * const *values,
             const char * const *labels)
{
  Model *model = g_new0 (Model, 1);
  AdwPreferencesGroup *group = hangar_details_page_add_group (page, group_title, NULL);

  model->values = values;
  model->row = hangar_details_page_add_combo (page, group, row_title, labels);
  hangar_details_page_set_data (page, model, g_free);
}

static const char * const videos[] = { "virtio", "qxl", "vga", "bochs", "none", NULL };
static const char * const video_labels[] = {
  "VirtIO", "QXL", "VGA", "Bochs", N_("None"), NULL
};

static void
video_build (HangarDetailsPage *page)
{
  const char *labels[G_N_ELEMENTS (video_labels)];

  for (guint i = 0; i < G_N_ELEMENTS (video_labels); i++)
    labels[i] = video_labels[i] != NULL ? _(video_labels[i]) : NULL;
  model_build (page, _("Video"), _("_Model"), videos, labels);
}

static void
video_load (HangarDetailsPage *page,
            xmlDoc            *doc,
            xmlNode           *node)
{
  Model *model = hangar_details_page_get_data (page);
  g_autofree char *type = hangar_domain_xml_child_attr (node, "model", "type");

  adw_combo_row_set_selected (model->row, hangar_details_combo_index (videos, type));
}

static gboolean
video_store (HangarDetailsPage  *page,
             xmlDoc             *doc,
             xmlNode            *node,
             GError            **error)
{
  Model *model = hangar_details_page_get_data (page);
  xmlNode *model_node = hangar_domain_xml_ensure_child (node, "model");

  hangar_domain_xml_set_attr (model_node, "type", videos[adw_combo_row_get_selected (model->row)]);
  /* Each model has its own sizes: the engine picks them. */
  hangar_domain_xml_set_attr (model_node, "vram", NULL);
  hangar_domain_xml_set_attr (model_node, "ram", NULL);
  hangar_domain_xml_set_attr (model_node, "vgamem", NULL);
  hangar_domain_xml_remove_children (node, "address");
  return TRUE;
}

const HangarDetailsEditor hangar_details_video_editor = {
  .build = video_build,
  .load = video_load,
  .store = video_store,
  .removable = TRUE,
};

static const char * const sounds[] = { "ich9", "ich6", "ac97", "es1370", NULL };
static const char * const sound_labels[] = {
  "Intel HDA (ICH9)", "Intel HDA (ICH6)", "AC97", "Ensoniq ES1370", NULL
};

static void
sound_build (HangarDetailsPage *page)
{
  model_build (page, _("Sound"), _("_Model"), sounds, sound_labels);
}

/* For elements whose model is their own attribute: <sound model=…>, <controller model=…>. */
static void
attr_model_load (HangarDetailsPage *page,
                 xmlDoc            *doc,
                 xmlNode           *node)
{
  Model *model = hangar_details_page_get_data (page);
  g_autofree char *value = hangar_domain_xml_attr (node, "model");

  adw_combo_row_set_selected (model->row, hangar_details_combo_index (model->values, value));
}

static gboolean
attr_model_store (HangarDetailsPage  *page,
                  xmlDoc             *doc,
                  xmlNode            *node,
                  GError            **error)
{
  Model *model = hangar_details_page_get_data (page);
  guint selected = adw_combo_row_get_selected (model->row);

  hangar_domain_xml_set_attr (node, "model", model->values[selected]);
  hangar_domain_xml_remove_children (node, "address");
  return TRUE;
}

const HangarDetailsEditor hangar_details_sound_editor = {
  .build = sound_build,
  .load = attr_model_load,
  .store = attr_model_store,
  .removable = TRUE,
};

static const char * const usbs[] = {
  "qemu-xhci", "nec-xhci", "piix3-uhci", "ich9-ehci1", "none", NULL
};
static const char * const usb_labels[] = {
  "USB 3 (qemu-xhci)", "USB 3 (nec-xhci)", "USB 1 (piix3-uhci)", "USB 2 (ich9-ehci1)",
  N_("None"), NULL
};

static void
usb_build (HangarDetailsPage *page)
{
  const char *labels[G_N_ELEMENTS (usb_labels)];

  for (guint i = 0; i < G_N_ELEMENTS (usb_labels); i++)
    labels[i] = usb_labels[i] != NULL ? _(usb_labels[i]) : NULL;
  model_build (page, _("USB Controller"), _("_Model"), usbs, labels);
}

const HangarDetailsEditor hangar_details_usb_editor = {
  .build = usb_build,
  .load = attr_model_load,
  .store = attr_model_store,
  .removable = TRUE,
};

static const char * const rng_sources[] = { "/dev/urandom", "/dev/random", "/dev/hwrng", NULL };

static void
rng_build (HangarDetailsPage *page)
{
  Model *model;
  GtkWidget *group;

  model_build (page, _("Random Number Generator"), _("_Host Source"), rng_sources, rng_sources);
  model = hangar_details_page_get_data (page);
  group = gtk_widget_get_ancestor (GTK_WIDGET (model->row), ADW_TYPE_PREFERENCES_GROUP);
  model->note_row = hangar_details_page_add_info (page, ADW_PREFERENCES_GROUP (group),
                                                  _("Model"));
  hangar_details_set_info (model->note_row, "VirtIO");
}

static void
rng_load (HangarDetailsPage *page,
          xmlDoc            *doc,
          xmlNode           *node)
{
  Model *model = hangar_details_page_get_data (page);
  g_autofree char *source = hangar_domain_xml_child_text (node, "backend");

  adw_combo_row_set_selected (model->row,
                              hangar_details_combo_index (rng_sources,
                                                          source != NULL && source[0] != '\0' ?
                                                            source : "/dev/urandom"));
}

static gboolean
rng_store (HangarDetailsPage  *page,
           xmlDoc             *doc,
           xmlNode            *node,
           GError            **error)
{
  Model *model = hangar_details_page_get_data (page);
  xmlNode *backend;

  hangar_domain_xml_set_child_text (node, "backend",
                                    rng_sources[adw_combo_row_get_selected (model->row)]);
  backend = hangar_domain_xml_child (node, "backend");
  hangar_domain_xml_set_attr (backend, "model", "random");
  return TRUE;
}

const HangarDetailsEditor hangar_details_rng_editor = {
  .build = rng_build,
  .load = rng_load,
  .store = rng_store,
  .removable = TRUE,
};

static const char * const watchdog_actions[] = {
  "reset", "shutdown", "poweroff", "pause", "none", "inject-nmi", NULL
};
static const char * const watchdog_action_labels[] = {
  N_("Reset the Machine"), N_("Shut Down (ACPI)"), N_("Power Off"), N_("Pause"),
  N_("Do Nothing"), N_("Inject an NMI"), NULL
};

static void
watchdog_build (HangarDetailsPage *page)
{
  const char *labels[G_N_ELEMENTS (watchdog_action_labels)];
  Model *model;
  GtkWidget *group;
  AdwActionRow *row;

  for (guint i = 0; i < G_N_ELEMENTS (watchdog_action_labels); i++)
    labels[i] = watchdog_action_labels[i] != NULL ? _(watchdog_action_labels[i]) : NULL;
  model_build (page, _("Watchdog"), _("When the Guest _Hangs"), watchdog_actions, labels);
  model = hangar_details_page_get_data (page);
  group = gtk_widget_get_ancestor (GTK_WIDGET (model->row), ADW_TYPE_PREFERENCES_GROUP);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("A guest that runs a watchdog daemon and stops "
                                           "feeding it is taken as hung."));
  row = hangar_details_page_add_info (page, ADW_PREFERENCES_GROUP (group), _("Model"));
  hangar_details_set_info (row, "Intel 6300ESB (i6300esb)");
}

static void
watchdog_load (HangarDetailsPage *page,
               xmlDoc            *doc,
               xmlNode           *node)
{
  Model *model = hangar_details_page_get_data (page);
  g_autofree char *action = hangar_domain_xml_attr (node, "action");

  adw_combo_row_set_selected (model->row,
                              hangar_details_combo_index (watchdog_actions,
                                                          action != NULL ? action : "reset"));
}

static gboolean
watchdog_store (HangarDetailsPage  *page,
                xmlDoc             *doc,
                xmlNode            *node,
                GError            **error)
{
  Model *model = hangar_details_page_get_data (page);

  hangar_domain_xml_set_attr (node, "action",
                              watchdog_actions[adw_combo_row_get_selected (model->row)]);
  return TRUE;
}

const HangarDetailsEditor hangar_details_watchdog_editor = {
  .build = watchdog_build,
  .load = watchdog_load,
  .store = watchdog_store,
  .removable = TRUE,
};

/* ---- several of a kind ---------------------------------------------------------------- */

typedef struct
{
  const char          *element;
  char              *(*describe) (xmlNode *node,
                                  char   **subtitle);
  AdwPreferencesGroup *group;
  GPtrArray           *rows;
} List;

static void
list_free (List *list)
{
  g_clear_pointer (&list->rows, g_ptr_array_unref);
  g_free (list);
}

static void
on_remove_row_clicked (GtkButton         *button,
                       HangarDetailsPage *page)
{
  xmlDoc *doc = _hangar_details_view_get_doc (hangar_details_page_get_view (page));
  List *list = hangar_details_page_get_data (page);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "hangar-index"));
  xmlNode *devices = hangar_domain_xml_child (xmlDocGetRootElement (doc), "devices");

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    if (hangar_domain_xml_is (n, list->element) &&
        g_strcmp0 (hangar_domain_xml_group_key (n), hangar_details_page_get_key (page)) == 0 &&
        index-- == 0)
      {
        _hangar_details_view_confirm_remove (hangar_details_page_get_view (page), page, n);
        return;
      }
}

static void
list_build (HangarDetailsPage *page,
            const char        *element,
            const char        *title,
            const char        *description,
            char            *(*describe) (xmlNode *node,
                                          char   **subtitle))
{
  List *list = g_new0 (List, 1);

  list->element = element;
  list->describe = describe;
  list->rows = g_ptr_array_new ();
  list->group = hangar_details_page_add_group (page, title, description);
  hangar_details_page_set_data (page, list, (GDestroyNotify) list_free);
}

static void
list_load (HangarDetailsPage *page,
           xmlDoc            *doc,
           xmlNode           *first)
{
  List *list = hangar_details_page_get_data (page);
  guint index = 0;

  for (guint i = 0; i < list->rows->len; i++)
    adw_preferences_group_remove (list->group, g_ptr_array_index (list->rows, i));
  g_ptr_array_set_size (list->rows, 0);

  for (xmlNode *n = first; n != NULL; n = n->next)
    {
      g_autofree char *subtitle = NULL;
      g_autofree char *title = NULL;
      g_autofree char *escaped = NULL;
      GtkWidget *row;
      GtkWidget *remove;

      if (!hangar_domain_xml_is (n, list->element) ||
          g_strcmp0 (hangar_domain_xml_group_key (n), hangar_details_page_get_key (page)) != 0)
        continue;
      title = list->describe (n, &subtitle);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (subtitle != NULL)
        {
          escaped = g_markup_escape_text (subtitle, -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
        }
      remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data (G_OBJECT (remove), "hangar-index", GUINT_TO_POINTER (index++));
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_row_clicked), page);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (list->group, row);
      g_ptr_array_add (list->rows, row);
    }
}

static gboolean
list_store (HangarDetailsPage  *page,
            xmlDoc             *doc,
            xmlNode            *node,
            GError            **error)
{
  return TRUE;
}

static char *
describe_display (xmlNode  *node,
                  char    **subtitle)
{
  g_autofree char *type = hangar_domain_xml_attr (node, "type");

  *subtitle = g_strdup (_("Shown in the Console tab; reachable through a local socket only"));
  if (g_strcmp0 (type, "spice") == 0)
    return g_strdup ("SPICE");
  if (g_strcmp0 (type, "vnc") == 0)
    return g_strdup ("VNC");
  return g_strdup (type);
}

static void
display_build (HangarDetailsPage *page)
{
  list_build (page, "graphics", _("Displays"), NULL, describe_display);
}

static char *
describe_input (xmlNode  *node,
                char    **subtitle)
{
  g_autofree char *type = hangar_domain_xml_attr (node, "type");
  g_autofree char *bus = hangar_domain_xml_attr (node, "bus");
  const char *bus_name = g_strcmp0 (bus, "virtio") == 0 ? "VirtIO" :
                         g_strcmp0 (bus, "ps2") == 0 ? "PS/2" :
                         g_strcmp0 (bus, "usb") == 0 ? "USB" : bus;

  /* Translators: %s is a bus, such as USB or PS/2. */
  *subtitle = bus_name != NULL ? g_strdup_printf (_("On the %s bus"), bus_name) : NULL;
  if (g_strcmp0 (type, "tablet") == 0)
    return g_strdup (_("Tablet"));
  if (g_strcmp0 (type, "mouse") == 0)
    return g_strdup (_("Mouse"));
  if (g_strcmp0 (type, "keyboard") == 0)
    return g_strdup (_("Keyboard"));
  return g_strdup (type);
}

static void
input_build (HangarDetailsPage *page)
{
  list_build (page, "input", _("Input Devices"),
              _("A tablet follows the pointer exactly; a mouse moves relative to where it was."),
              describe_input);
}

static char *
describe_serial (xmlNode  *node,
                 char    **subtitle)
{
  g_autofree char *type = hangar_domain_xml_attr (node, "type");
  g_autofree char *port = hangar_domain_xml_child_attr (node, "target", "port");
  g_autofree char *path = hangar_domain_xml_child_attr (node, "source", "path");

  if (g_strcmp0 (type, "file") == 0 && path != NULL)
    /* Translators: %s is a file on the host. */
    *subtitle = g_strdup_printf (_("Written to %s"), path);
  else
    *subtitle = g_strdup (_("Shown as a terminal in the Console tab"));
  /* Translators: %s is the port's number, 0 for the first (ttyS0). */
  return g_strdup_printf (_("Serial Port %s"), port != NULL ? port : "0");
}

static void
serial_build (HangarDetailsPage *page)
{
  list_build (page, "serial", _("Serial Ports"), NULL, describe_serial);
}

static char *
describe_channel (xmlNode  *node,
                  char    **subtitle)
{
  g_autofree char *type = hangar_domain_xml_attr (node, "type");
  g_autofree char *name = hangar_domain_xml_child_attr (node, "target", "name");

  *subtitle = g_strdup (name);
  if (g_strcmp0 (name, "org.qemu.guest_agent.0") == 0)
    return g_strdup (_("QEMU Guest Agent"));
  if (g_strcmp0 (type, "spicevmc") == 0)
    return g_strdup (_("SPICE Agent"));
  return g_strdup (type);
}

static void
channels_build (HangarDetailsPage *page)
{
  list_build (page, "channel", _("Channels"),
              _("Let agents in the guest talk to the host: shutdown, clipboard, screen size."),
              describe_channel);
}

const HangarDetailsEditor hangar_details_display_editor = {
  .build = display_build,
  .load = list_load,
  .store = list_store,
  .read_only = TRUE,
};

const HangarDetailsEditor hangar_details_input_editor = {
  .build = input_build,
  .load = list_load,
  .store = list_store,
  .read_only = TRUE,
};

const HangarDetailsEditor hangar_details_serial_editor = {
  .build = serial_build,
  .load = list_load,
  .store = list_store,
  .read_only = TRUE,
};

const HangarDetailsEditor hangar_details_channels_editor = {
  .build = channels_build,
  .load = list_load,
  .store = list_store,
  .read_only = TRUE,
};
