/* test-details.c: the hardware details pane against a real engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * See window-fixture.h for how these tests run the window. Edits go through the
 * pages' own widgets and buttons; what the engine made of them is read back from
 * the machine's properties and GetXml. Every page is saved as a screenshot.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "hangar-add-hardware.h"
#include "hangar-details-private.h"
#include "hangar-details-view.h"
#include "hangar-machine-page.h"
#include "window-fixture.h"

static HangarDetailsView *
open_details (Fixture    *fixture,
              const char *name)
{
  HangarDetailsView *view;

  open_window_full (fixture, 0);
  WAIT_UNTIL (fixture, page_is (fixture, "machines"), NULL);
  select_machine (fixture, name);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "vm.open", NULL);
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, NULL);
  {
    GtkWidget *page = gtk_stack_get_visible_child (main_stack (fixture));

    hangar_machine_page_set_tab (HANGAR_MACHINE_PAGE (page), "details");
    view = HANGAR_DETAILS_VIEW (find_widget_of_type (page, HANGAR_TYPE_DETAILS_VIEW));
  }
  g_assert_nonnull (view);
  WAIT_UNTIL (fixture, hangar_details_view_is_loaded (view), NULL);
  return view;
}

static GtkWidget *
show_page (Fixture           *fixture,
           HangarDetailsView *view,
           const char        *key)
{
  GtkWidget *page;

  WAIT_UNTIL (fixture, hangar_details_view_get_page (view, key) != NULL, key);
  g_assert_true (hangar_details_view_select (view, key));
  page = hangar_details_view_get_page (view, key);
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (page), key);
  return page;
}

/* The @n-th widget of @type in @widget, in widget order. */
static GtkWidget *
nth_of_type (GtkWidget *widget,
             GType      type,
             guint     *n)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (*n)-- == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = nth_of_type (child, type, n);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_nth (GtkWidget *widget,
          GType      type,
          guint      n)
{
  GtkWidget *found = nth_of_type (widget, type, &n);

  g_assert_nonnull (found);
  return found;
}

static GtkWidget *
page_child (GtkWidget  *page,
            const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (page, HANGAR_TYPE_DETAILS_PAGE, name));
}

/* The page sent nothing that is still on its way, and has no unsaved edits. */
static gboolean
page_idle (GtkWidget *page)
{
  return !gtk_spinner_get_spinning (GTK_SPINNER (page_child (page, "spinner"))) &&
         !gtk_widget_is_sensitive (page_child (page, "revert_button"));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static char *
machine_xml (HangarDBusMachine1 *machine)
{
  g_autoptr(GError) error = NULL;
  char *xml = NULL;

  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  return xml;
}

/* The definition as the engine has it now. */
static xmlDoc *
machine_doc (HangarDBusMachine1 *machine)
{
  g_autofree char *xml = machine_xml (machine);
  g_autoptr(GError) error = NULL;
  xmlDoc *doc = hangar_domain_xml_parse (xml, &error);

  g_assert_no_error (error);
  return doc;
}

static void
screenshot_page (Fixture    *fixture,
                 const char *key)
{
  g_autofree char *name = g_strdup_printf ("details-%s.png", key);

  g_strdelimit (name, ":", '-');
  take_screenshot (fixture, name);
}

static gboolean
shows (GtkWidget  *widget,
       const char *text)
{
  g_autofree char *texts = shown_texts (widget);

  return strstr (texts, text) != NULL;
}

/* The mapped widget with @css_class in @widget, NULL when none is. */
static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A button known by its tooltip, as icon buttons are. */
static GtkWidget *
find_with_tooltip (GtkWidget  *widget,
                   const char *tooltip)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_image (HangarDBusMachine1 *machine,
           const char         *suffix)
{
  const char * const *images = hangar_dbus_machine1_get_disk_images (machine);

  for (guint i = 0; images != NULL && images[i] != NULL; i++)
    if (g_str_has_suffix (images[i], suffix))
      return TRUE;
  return FALSE;
}

static HangarAddHardware *
shown_add_hardware (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (HANGAR_IS_ADD_HARDWARE (window) && gtk_widget_get_visible (window))
        return HANGAR_ADD_HARDWARE (window);
    }
  return NULL;
}

/* A stopped machine: memory and CPUs changed and applied, every page shown. */
static void
test_stopped (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *guest_xml = hangar_test_guest_xml ("web-01",
                                                      "<interface type='user'>"
                                                      "<mac address='52:54:00:12:34:56'/>"
                                                      "</interface>"
                                                      "<controller type='usb' model='qemu-xhci'/>"
                                                      "<input type='tablet' bus='usb'/>"
                                                      "<graphics type='vnc'/>"
                                                      "<video><model type='vga'/></video>"
                                                      "<sound model='ich9'/>"
                                                      "<channel type='unix'><target type='virtio' "
                                                      "name='org.qemu.guest_agent.0'/></channel>"
                                                      "<rng model='virtio'><backend model='random'>"
                                                      "/dev/urandom</backend></rng>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, guest_xml);
  HangarDetailsView *view = open_details (fixture, "web-01");
  GtkWidget *page;
  GtkSpinButton *maximum;
  GtkSpinButton *current;
  g_autofree char *texts = NULL;
  g_autofree char *xml = NULL;
  xmlDoc *doc;

  /* Overview: what the machine is. */
  page = show_page (fixture, view, "overview");
  texts = shown_texts (page);
  g_test_message ("Overview: %s", texts);
  g_assert_nonnull (strstr (texts, "State | Shut Off"));
  g_assert_nonnull (strstr (texts, "Machine Type | pc"));
  g_assert_nonnull (strstr (texts, "Firmware | BIOS"));
  g_assert_nonnull (strstr (texts, "Architecture | x86_64"));
  g_assert_false (gtk_widget_is_sensitive (page_child (page, "apply_button")));
  g_assert_false (gtk_widget_is_sensitive (page_child (page, "revert_button")));
  screenshot_page (fixture, "overview");

  /* Memory: 128 MiB to 256, the current size with it. */
  page = show_page (fixture, view, "memory");
  maximum = GTK_SPIN_BUTTON (find_nth (page, GTK_TYPE_SPIN_BUTTON, 0));
  current = GTK_SPIN_BUTTON (find_nth (page, GTK_TYPE_SPIN_BUTTON, 1));
  g_assert_cmpfloat (gtk_spin_button_get_value (maximum), ==, 128);
  /* Bounded by the host: a value past its memory is not taken. */
  gtk_spin_button_set_value (maximum, 1e12);
  g_assert_cmpfloat (gtk_spin_button_get_value (maximum), <=,
                     hangar_dbus_host1_get_host_memory_kib (fixture->engine.host) / 1024);
  gtk_spin_button_set_value (maximum, 256);
  gtk_spin_button_set_value (current, 192);
  g_assert_true (gtk_widget_is_sensitive (page_child (page, "revert_button")));
  screenshot_page (fixture, "memory");
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_memory_kib (machine) == 256 * 1024, "256 MiB");
  WAIT_UNTIL (fixture, !gtk_widget_is_sensitive (page_child (page, "apply_button")), NULL);
  doc = machine_doc (machine);
  g_assert_cmpuint (hangar_domain_xml_get_memory_kib (xmlDocGetRootElement (doc), "memory"), ==,
                    256 * 1024);
  g_assert_cmpuint (hangar_domain_xml_get_memory_kib (xmlDocGetRootElement (doc),
                                                      "currentMemory"), ==, 192 * 1024);
  g_clear_pointer (&doc, xmlFreeDoc);

  /* CPUs: two, out of no more than the host has. */
  page = show_page (fixture, view, "cpus");
  {
    GtkSpinButton *vcpus = GTK_SPIN_BUTTON (find_nth (page, GTK_TYPE_SPIN_BUTTON, 0));

    gtk_spin_button_set_value (vcpus, 100000);
    g_assert_cmpfloat (gtk_spin_button_get_value (vcpus), <=,
                       hangar_dbus_host1_get_host_cpus (fixture->engine.host));
    gtk_spin_button_set_value (vcpus, 2);
    screenshot_page (fixture, "cpus");
    click (page_child (page, "apply_button"));
  }
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_vcpus (machine) == 2, "2 vCPUs");
  doc = machine_doc (machine);
  xml = hangar_domain_xml_child_text (xmlDocGetRootElement (doc), "vcpu");
  g_assert_cmpstr (xml, ==, "2");
  g_clear_pointer (&xml, g_free);
  /* The memory applied before stays: pages send the definition as it is now. */
  g_assert_cmpuint (hangar_domain_xml_get_memory_kib (xmlDocGetRootElement (doc), "memory"), ==,
                    256 * 1024);
  g_assert_null (hangar_domain_xml_child_attr (xmlDocGetRootElement (doc), "vcpu", "current"));
  g_clear_pointer (&doc, xmlFreeDoc);

  /* One online at start, room for two: <vcpu current='1'>2</vcpu>. */
  page = show_page (fixture, view, "cpus");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_nth (page, GTK_TYPE_SPIN_BUTTON, 0)), 1);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_nth (page,
                                                                           GTK_TYPE_SPIN_BUTTON,
                                                                           1))), ==, 2);
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_vcpus (machine) == 1, "1 vCPU online");
  doc = machine_doc (machine);
  xml = hangar_domain_xml_child_attr (xmlDocGetRootElement (doc), "vcpu", "current");
  g_assert_cmpstr (xml, ==, "1");
  g_clear_pointer (&xml, g_free);
  xml = hangar_domain_xml_child_text (xmlDocGetRootElement (doc), "vcpu");
  g_assert_cmpstr (xml, ==, "2");
  g_clear_pointer (&xml, g_free);
  g_clear_pointer (&doc, xmlFreeDoc);

  /* The NIC: its link down. */
  page = show_page (fixture, view, "nic:52:54:00:12:34:56");
  gtk_switch_set_active (GTK_SWITCH (find_nth (page, GTK_TYPE_SWITCH, 0)), FALSE);
  screenshot_page (fixture, "nic-52-54-00-12-34-56");
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  g_assert_false (gtk_widget_get_visible (page_child (page, "error_label")));
  doc = machine_doc (machine);
  xml = hangar_domain_xml_child_attr (hangar_domain_xml_find (doc, "nic:52:54:00:12:34:56"),
                                      "link", "state");
  g_assert_cmpstr (xml, ==, "down");
  g_clear_pointer (&xml, g_free);
  g_clear_pointer (&doc, xmlFreeDoc);

  /* Boot Options: the NIC boots; the menu is offered. */
  page = show_page (fixture, view, "boot");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_nth (page, GTK_TYPE_CHECK_BUTTON, 0)), TRUE);
  gtk_switch_set_active (GTK_SWITCH (find_nth (page, GTK_TYPE_SWITCH, 1)), TRUE);
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  g_assert_false (gtk_widget_get_visible (page_child (page, "error_label")));
  doc = machine_doc (machine);
  g_assert_cmpuint (hangar_domain_xml_boot_order (hangar_domain_xml_find (doc,
                                                                          "nic:52:54:00:12:34:56")),
                    ==, 1);
  xml = hangar_domain_xml_child_attr (hangar_domain_xml_child (xmlDocGetRootElement (doc), "os"),
                                      "bootmenu", "enable");
  g_assert_cmpstr (xml, ==, "yes");
  g_clear_pointer (&xml, g_free);
  g_clear_pointer (&doc, xmlFreeDoc);

  /* Overview: another name renames the machine. */
  page = show_page (fixture, view, "overview");
  gtk_editable_set_text (GTK_EDITABLE (find_nth (page, ADW_TYPE_ENTRY_ROW, 0)), "");
  g_assert_false (gtk_widget_is_sensitive (page_child (page, "apply_button")));
  g_assert_true (gtk_widget_get_visible (page_child (page, "error_label")));
  gtk_editable_set_text (GTK_EDITABLE (find_nth (page, ADW_TYPE_ENTRY_ROW, 0)), "web-02");
  gtk_editable_set_text (GTK_EDITABLE (find_nth (page, ADW_TYPE_ENTRY_ROW, 1)), "Web & Mail");
  /* Enter in the row applies. */
  g_signal_emit_by_name (find_nth (page, ADW_TYPE_ENTRY_ROW, 1), "entry-activated");
  WAIT_UNTIL (fixture, g_strcmp0 (hangar_dbus_machine1_get_name (machine), "web-02") == 0,
              "web-02");
  WAIT_UNTIL (fixture, g_strcmp0 (hangar_dbus_machine1_get_title (machine), "Web & Mail") == 0,
              "Web & Mail");

  /* The other pages, as they look. */
  {
    const char *keys[] = { "boot", "display", "video", "sound", "input", "serial", "channels",
                           "usb", "rng", "xml" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        show_page (fixture, view, keys[i]);
        screenshot_page (fixture, keys[i]);
      }
  }

  /* A device of a list page goes by its row's button, after the question. */
  page = show_page (fixture, view, "input");
  click (find_with_tooltip (page, "Remove"));
  WAIT_UNTIL (fixture, shown_dialog () != NULL, "the confirmation");
  g_assert_cmpstr (adw_message_dialog_get_heading (shown_dialog ()), ==, "Remove Tablet?");
  adw_message_dialog_response (shown_dialog (), "remove");
  gtk_window_destroy (GTK_WINDOW (shown_dialog ()));
  WAIT_UNTIL (fixture, hangar_details_view_get_page (view, "input") == NULL, "no input page");
  doc = machine_doc (machine);
  g_assert_null (hangar_domain_xml_find (doc, "input"));
  g_clear_pointer (&doc, xmlFreeDoc);
}

/* Chooses the @kind-th kind of hardware in Add Hardware and adds it as it is. */
static void
add_through_dialog (Fixture           *fixture,
                    HangarDetailsView *view,
                    guint              kind)
{
  HangarAddHardware *dialog;

  click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), HANGAR_TYPE_DETAILS_VIEW,
                                                    "add_button")));
  WAIT_UNTIL (fixture, (dialog = shown_add_hardware ()) != NULL, "the Add Hardware dialog");
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (
                                               GTK_WIDGET (dialog), HANGAR_TYPE_ADD_HARDWARE,
                                               "kind_row")), kind);
  click (find_button (GTK_WIDGET (dialog), "_Add"));
  WAIT_UNTIL (fixture, shown_add_hardware () == NULL, "the dialog closed");
}

/* A disk added through Add Hardware, with a new image; then removed. */
static void
test_add_remove_disk (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *guest_xml = hangar_test_guest_xml ("web-01", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, guest_xml);
  HangarDetailsView *view = open_details (fixture, "web-01");
  HangarAddHardware *dialog;
  GtkWidget *page;

  g_assert_null (hangar_details_view_get_page (view, "disk:vda"));
  click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), HANGAR_TYPE_DETAILS_VIEW,
                                                    "add_button")));
  WAIT_UNTIL (fixture, (dialog = shown_add_hardware ()) != NULL, "the Add Hardware dialog");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (
                                                GTK_WIDGET (dialog), HANGAR_TYPE_ADD_HARDWARE,
                                                "disk_size_spin")), 1);
  take_widget_screenshot (fixture, GTK_WIDGET (dialog), "details-add-hardware.png");
  click (find_button (GTK_WIDGET (dialog), "_Add"));

  /* The image is made, the disk added and shown, the dialog gone. */
  WAIT_UNTIL (fixture, shown_add_hardware () == NULL, "the dialog closed");
  WAIT_UNTIL (fixture, has_image (machine, "/web-01-vda.qcow2"), "the new image");
  page = show_page (fixture, view, "disk:vda");
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (page), NULL);
  {
    g_autoptr(xmlDoc) doc = machine_doc (machine);
    xmlNode *disk = hangar_domain_xml_find (doc, "disk:vda");
    g_autofree char *bus = hangar_domain_xml_child_attr (disk, "target", "bus");
    g_autofree char *file = hangar_domain_xml_child_attr (disk, "source", "file");

    g_assert_cmpstr (bus, ==, "virtio");
    g_assert_true (g_str_has_suffix (file, "/web-01-vda.qcow2"));
  }
  WAIT_UNTIL (fixture, shows (page, "Size | 1 GiB"), "the size");
  screenshot_page (fixture, "disk-vda");

  /* On the SATA bus the disk is sda: the page follows it under its new name. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_nth (page, ADW_TYPE_COMBO_ROW, 0)), 1);
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, hangar_details_view_get_page (view, "disk:sda") != NULL &&
                       hangar_details_view_get_page (view, "disk:vda") == NULL, "disk sda");
  page = hangar_details_view_get_page (view, "disk:sda");
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (page), "the page of disk sda shown");
  {
    g_autoptr(xmlDoc) doc = machine_doc (machine);
    g_autofree char *bus = hangar_domain_xml_child_attr (hangar_domain_xml_find (doc, "disk:sda"),
                                                         "target", "bus");

    g_assert_cmpstr (bus, ==, "sata");
  }

  /* Discard and shareable reach the definition. */
  gtk_switch_set_active (GTK_SWITCH (find_nth (page, GTK_TYPE_SWITCH, 0)), TRUE);
  gtk_switch_set_active (GTK_SWITCH (find_nth (page, GTK_TYPE_SWITCH, 2)), TRUE);
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  g_assert_false (gtk_widget_get_visible (page_child (page, "error_label")));
  {
    g_autoptr(xmlDoc) doc = machine_doc (machine);
    xmlNode *disk = hangar_domain_xml_find (doc, "disk:sda");
    g_autofree char *discard = hangar_domain_xml_child_attr (disk, "driver", "discard");

    g_assert_cmpstr (discard, ==, "unmap");
    g_assert_nonnull (hangar_domain_xml_child (disk, "shareable"));
  }

  /* Remove asks first. */
  click (page_child (page, "remove_button"));
  WAIT_UNTIL (fixture, shown_dialog () != NULL, "the confirmation");
  g_assert_cmpstr (adw_message_dialog_get_heading (shown_dialog ()), ==, "Remove Disk sda?");
  take_widget_screenshot (fixture, GTK_WIDGET (shown_dialog ()), "details-remove-disk.png");
  adw_message_dialog_response (shown_dialog (), "remove");
  gtk_window_destroy (GTK_WINDOW (shown_dialog ()));
  WAIT_UNTIL (fixture, !has_image (machine, "/web-01-vda.qcow2"), "the disk removed");
  WAIT_UNTIL (fixture, hangar_details_view_get_page (view, "disk:sda") == NULL, NULL);
  {
    g_autoptr(xmlDoc) doc = machine_doc (machine);

    g_assert_null (hangar_domain_xml_find (doc, "disk:sda"));
  }

  /* An image that is not there is refused in the dialog, in the engine's words. */
  click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), HANGAR_TYPE_DETAILS_VIEW,
                                                    "add_button")));
  WAIT_UNTIL (fixture, (dialog = shown_add_hardware ()) != NULL, "the Add Hardware dialog");
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (
                                               GTK_WIDGET (dialog), HANGAR_TYPE_ADD_HARDWARE,
                                               "disk_source_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                                         GTK_WIDGET (dialog), HANGAR_TYPE_ADD_HARDWARE,
                                         "disk_path_row")), "/nonexistent/disk.qcow2");
  click (find_button (GTK_WIDGET (dialog), "_Add"));
  {
    GtkWidget *error_label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                       HANGAR_TYPE_ADD_HARDWARE,
                                                                       "error_label"));

    WAIT_UNTIL (fixture, gtk_widget_get_visible (error_label), "the dialog's error");
    g_test_message ("Existing image: %s", gtk_label_get_text (GTK_LABEL (error_label)));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)),
                              "/nonexistent/disk.qcow2"));
  }
  take_widget_screenshot (fixture, GTK_WIDGET (dialog), "details-add-missing-image.png");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* An empty CD-ROM drive and a random number generator, chosen in the same dialog. */
  add_through_dialog (fixture, view, 1);
  page = show_page (fixture, view, "disk:sda");
  WAIT_UNTIL (fixture, shows (page, "Media | No media"), "an empty drive");
  screenshot_page (fixture, "cdrom-sda");
  add_through_dialog (fixture, view, 8);
  show_page (fixture, view, "rng");
  {
    g_autoptr(xmlDoc) doc = machine_doc (machine);
    g_autofree char *device = hangar_domain_xml_attr (hangar_domain_xml_find (doc, "disk:sda"),
                                                      "device");

    g_assert_cmpstr (device, ==, "cdrom");
    g_assert_nonnull (hangar_domain_xml_find (doc, "rng"));
  }

  /* A watchdog (after the USB kinds), then what it does when the guest hangs. */
  add_through_dialog (fixture, view, 12);
  page = show_page (fixture, view, "watchdog");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_nth (page, ADW_TYPE_COMBO_ROW, 0)), 2);
  screenshot_page (fixture, "watchdog");
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  g_assert_false (gtk_widget_get_visible (page_child (page, "error_label")));
  {
    g_autoptr(xmlDoc) doc = machine_doc (machine);
    g_autofree char *action = hangar_domain_xml_attr (hangar_domain_xml_find (doc, "watchdog"),
                                                      "action");

    g_assert_cmpstr (action, ==, "poweroff");
  }
}

/* Malformed XML: the engine's message under the text, the cursor on its line. */
static void
test_xml_error (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *guest_xml = hangar_test_guest_xml ("web-01", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, guest_xml);
  HangarDetailsView *view = open_details (fixture, "web-01");
  GtkWidget *page = show_page (fixture, view, "xml");
  GtkTextView *text_view = GTK_TEXT_VIEW (find_widget_of_type (page, GTK_TYPE_TEXT_VIEW));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view);
  GtkWidget *error_label = page_child (page, "error_label");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GtkTextIter start;
  GtkTextIter end;
  GtkTextIter cursor;
  guint broken = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (text, "<domain"));
  lines = g_strsplit (text, "\n", -1);
  /* Break the <vcpu> line's closing tag. */
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "</vcpu>") != NULL)
      {
        g_auto(GStrv) parts = g_strsplit (lines[i], "</vcpu>", 2);

        g_free (lines[i]);
        lines[i] = g_strjoinv ("</vcpux>", parts);
        broken = i + 1;
      }
  g_assert_cmpuint (broken, >, 1);
  g_clear_pointer (&text, g_free);
  text = g_strjoinv ("\n", lines);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);

  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, gtk_widget_get_visible (error_label), "an error under the text");
  {
    g_autofree char *expected = g_strdup_printf ("line %u", broken);

    g_test_message ("Error: %s", gtk_label_get_text (GTK_LABEL (error_label)));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), expected));
  }
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, broken - 1);
  /* Nothing was saved; the edit is still there to fix. */
  g_assert_true (gtk_widget_is_sensitive (page_child (page, "revert_button")));
  screenshot_page (fixture, "xml-error");

  click (page_child (page, "revert_button"));
  g_assert_false (gtk_widget_get_visible (error_label));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_clear_pointer (&text, g_free);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_null (strstr (text, "</vcpux>"));

  /* Fixed, it applies: the whole text is the definition. */
  {
    g_auto(GStrv) parts = g_strsplit (text, "<vcpu>1</vcpu>", 2);
    g_autofree char *two = g_strjoinv ("<vcpu>2</vcpu>", parts);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    gtk_text_buffer_set_text (buffer, two, -1);
  }
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_vcpus (machine) == 2, "2 vCPUs");
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  g_assert_false (gtk_widget_get_visible (error_label));
}

/* The definition changed elsewhere: pages show it, but one being edited keeps its edits. */
static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *guest_xml = hangar_test_guest_xml ("web-01",
                                                      "<interface type='user'>"
                                                      "<mac address='52:54:00:12:34:56'/>"
                                                      "</interface>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, guest_xml);
  HangarDetailsView *view = open_details (fixture, "web-01");
  GtkWidget *memory = show_page (fixture, view, "memory");
  GtkWidget *overview;
  GtkWidget *nic;
  GtkSpinButton *maximum = GTK_SPIN_BUTTON (find_nth (memory, GTK_TYPE_SPIN_BUTTON, 0));
  g_autoptr(xmlDoc) doc = machine_doc (machine);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) applied = NULL;
  g_auto(GStrv) pending = NULL;
  g_autofree char *xml = NULL;
  xmlNode *root = xmlDocGetRootElement (doc);

  /* A person is editing the memory... */
  gtk_spin_button_set_value (maximum, 200);

  /* ...while another client renames the machine and gives it 512 MiB. */
  hangar_domain_xml_set_child_text (root, "title", "Elsewhere");
  hangar_domain_xml_set_memory_kib (root, "memory", 512 * 1024);
  xml = hangar_domain_xml_to_string (doc);
  hangar_dbus_machine1_call_update_config_sync (machine, xml, 0, &applied, &pending, NULL, &error);
  g_assert_no_error (error);

  overview = show_page (fixture, view, "overview");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (
                                    find_nth (overview, ADW_TYPE_ENTRY_ROW, 1))),
                                  "Elsewhere") == 0, "the new title");
  g_assert_cmpfloat (gtk_spin_button_get_value (maximum), ==, 200);
  g_assert_true (gtk_widget_is_sensitive (page_child (memory, "apply_button")));

  /* Revert shows what the engine has now. */
  click (page_child (memory, "revert_button"));
  g_assert_cmpfloat (gtk_spin_button_get_value (maximum), ==, 512);

  /* A MAC address the engine would refuse is said at once, and cannot be applied. */
  nic = show_page (fixture, view, "nic:52:54:00:12:34:56");
  gtk_editable_set_text (GTK_EDITABLE (find_nth (nic, ADW_TYPE_ENTRY_ROW, 0)), "01:00:5e:00:00:01");
  g_assert_true (gtk_widget_get_visible (page_child (nic, "error_label")));
  g_assert_false (gtk_widget_is_sensitive (page_child (nic, "apply_button")));
  screenshot_page (fixture, "nic-bad-mac");
  gtk_editable_set_text (GTK_EDITABLE (find_nth (nic, ADW_TYPE_ENTRY_ROW, 0)), "52:54:00:12:34:57");
  g_assert_false (gtk_widget_get_visible (page_child (nic, "error_label")));
  g_assert_true (gtk_widget_is_sensitive (page_child (nic, "apply_button")));
}

/* A running machine: a change the engine cannot make live is said pending; removing
 * the disk it boots from asks with a warning. */
static void
test_running_pending (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *image = g_build_filename (g_getenv ("HANGAR_TEST_TMPDIR"), "boot.img", NULL);
  g_autofree char *escaped = g_markup_escape_text (image, -1);
  g_autofree char *iso = g_build_filename (g_getenv ("HANGAR_TEST_GUEST_DIR"), "tiny.iso", NULL);
  g_autofree char *iso_escaped = g_markup_escape_text (iso, -1);
  g_autofree char *disk = g_strdup_printf ("<disk type='file' device='disk'>"
                                           "<driver name='qemu' type='raw'/>"
                                           "<source file='%s'/>"
                                           "<target dev='vda' bus='virtio'/>"
                                           "<boot order='1'/></disk>"
                                           "<disk type='file' device='cdrom'>"
                                           "<driver name='qemu' type='raw'/>"
                                           "<source file='%s'/>"
                                           "<target dev='sda' bus='sata'/><readonly/></disk>"
                                           "<interface type='user'>"
                                           "<mac address='52:54:00:12:34:56'/></interface>"
                                           "<memballoon model='virtio'/>"
                                           "<channel type='unix'><target type='virtio' "
                                           "name='org.qemu.guest_agent.0'/></channel>",
                                           escaped, iso_escaped);
  g_autofree char *guest_xml = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) applied = NULL;
  g_auto(GStrv) pending = NULL;
  g_autofree char *xml = NULL;
  HangarDetailsView *view;
  GtkWidget *page;

  g_assert_true (g_file_set_contents (image, "", 0, NULL));
  g_assert_cmpint (truncate (image, 1 << 20), ==, 0);
  guest_xml = hangar_test_guest_xml ("web-01", disk);
  machine = hangar_test_define (&fixture->engine, guest_xml);
  xml = machine_xml (machine);

  /* The engine says whether it has UpdateConfig: until it does, this case waits. */
  hangar_dbus_machine1_call_update_config_sync (machine, xml, 0, &applied, &pending, NULL,
                                                &error);
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD))
    {
      g_test_skip ("The engine does not implement Machine1.UpdateConfig yet");
      return;
    }
  g_assert_no_error (error);

  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_pid (machine) != 0, NULL);
  started_qemu_pid = hangar_dbus_machine1_get_pid (machine);
  /* Booted before the pane first asks its guest agent. Asked before the guest's
   * qemu-ga runs, the engine's agent channel stayed silent for a minute after, in one
   * run of three here (engine/hangar-guest-agent.c sends a plain guest-sync; QEMU's
   * docs advise guest-sync-delimited after a 0xFF byte to reset the agent's parser). */
  hangar_test_wait_serial (&fixture->engine, machine, HANGAR_TEST_READY, 1,
                           HANGAR_TEST_BOOT_TIMEOUT);

  view = open_details (fixture, "web-01");
  page = show_page (fixture, view, "cpus");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_nth (page, GTK_TYPE_SPIN_BUTTON, 0)), 2);
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, gtk_widget_get_visible (page_child (page, "note_label")),
              "the pending note");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (page_child (page, "note_label"))),
                                   "Applies after the next shutdown"));
  screenshot_page (fixture, "cpus-pending");

  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_pending_changes (machine) != NULL &&
                       hangar_dbus_machine1_get_pending_changes (machine)[0] != NULL, NULL);
  page = show_page (fixture, view, "overview");
  WAIT_UNTIL (fixture, gtk_widget_get_visible (page_child (page, "note_label")),
              "the pending note on the overview");
  screenshot_page (fixture, "overview-pending");

  /* The guest agent's answer on Overview. It starts after the guest's drivers: until
   * it answers, the group says so and the person may ask again. */
  {
    GtkWidget *refresh = find_with_tooltip (page, "Ask the Guest Agent Again");
    gint64 deadline = g_get_monotonic_time () + HANGAR_TEST_BOOT_TIMEOUT * G_USEC_PER_SEC;
    guint asked = 1;

    g_assert_nonnull (refresh);
    for (;;)
      {
        WAIT_UNTIL (fixture, gtk_widget_is_sensitive (refresh), "the agent's answer");
        if (shows (page, "Host Name | hangar-guest") || g_get_monotonic_time () > deadline)
          break;
        click (refresh);
        asked++;
      }
    if (shows (page, "Host Name | hangar-guest"))
      {
        g_test_message ("The guest agent answered question %u", asked);
        g_assert_true (shows (page, "Operating System | Hangar tiny test guest"));
      }
    else
      {
        /* The engine's problem described above: the page said what the engine said. */
        const char *said = adw_preferences_group_get_description (
          ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (refresh, ADW_TYPE_PREFERENCES_GROUP)));

        g_assert_nonnull (strstr (said, "guest agent did not answer"));
        g_test_incomplete ("The engine's guest agent channel did not answer in a minute");
      }
  }
  {
    GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (
      GTK_SCROLLED_WINDOW (find_widget_of_type (page, GTK_TYPE_SCROLLED_WINDOW)));

    /* The Guest group is the last: scrolled to, once laid out. */
    settle_widget (fixture, page);
    gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll) -
                                      gtk_adjustment_get_page_size (scroll));
  }
  screenshot_page (fixture, "overview-guest");

  /* A NIC's cable, unplugged live: said in a toast, nothing pending for it. */
  page = show_page (fixture, view, "nic:52:54:00:12:34:56");
  gtk_switch_set_active (GTK_SWITCH (find_nth (page, GTK_TYPE_SWITCH, 0)), FALSE);
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, toast_shows (fixture,
                                    "Applied now: Network card 52:54:00:12:34:56: cable unplugged",
                                    FALSE), "the toast");
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  g_assert_false (gtk_widget_get_visible (page_child (page, "note_label")));
  take_screenshot (fixture, "details-nic-live.png");

  /* The CD-ROM's media, ejected live. */
  page = show_page (fixture, view, "disk:sda");
  WAIT_UNTIL (fixture, shows (page, "tiny.iso"), "the media");
  click (find_with_tooltip (page, "Eject"));
  g_assert_true (shows (page, "Media | No media"));
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, toast_shows (fixture, "Applied now: CD-ROM sda: ejected", FALSE),
              "the toast");
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  screenshot_page (fixture, "cdrom-ejected");

  /* The balloon: less memory for the running guest, at once. */
  page = show_page (fixture, view, "memory");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_nth (page, GTK_TYPE_SPIN_BUTTON, 1)), 96);
  click (page_child (page, "apply_button"));
  WAIT_UNTIL (fixture, toast_shows (fixture, "Applied now: Current memory: ", TRUE), "the toast");
  WAIT_UNTIL (fixture, page_idle (page), NULL);
  g_assert_false (gtk_widget_get_visible (page_child (page, "note_label")));

  /* The only disk, which the running machine boots from: the confirmation says so. */
  page = show_page (fixture, view, "disk:vda");
  click (page_child (page, "remove_button"));
  WAIT_UNTIL (fixture, shown_dialog () != NULL, "the confirmation");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (shown_dialog ()), "boots from this disk"));
  take_widget_screenshot (fixture, GTK_WIDGET (shown_dialog ()), "details-remove-boot-disk.png");
  adw_message_dialog_response (shown_dialog (), "cancel");
  gtk_window_destroy (GTK_WINDOW (shown_dialog ()));
  page = show_page (fixture, view, "overview");

  activate (fixture, "vm.back");
  WAIT_UNTIL (fixture, find_row (fixture, "web-01") != NULL &&
                       find_with_class (find_row (fixture, "web-01"), "pending-changes") != NULL,
              "the pending mark on the row");
  take_screenshot (fixture, "details-row-pending.png");

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_pid (machine) == 0, NULL);
  started_qemu_pid = 0;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/ui/details/stopped", test_stopped);
  ADD ("/hangar/ui/details/add-remove-disk", test_add_remove_disk);
  ADD ("/hangar/ui/details/xml-error", test_xml_error);
  ADD ("/hangar/ui/details/refresh", test_refresh);
  ADD ("/hangar/ui/details/running-pending", test_running_pending);
#undef ADD

  status = g_test_run ();
  window_fixture_finish ();
  return status;
}
