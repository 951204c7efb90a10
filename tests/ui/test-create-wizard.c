/* test-create-wizard.c: the create-VM wizard, driven through its widgets
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A real engine with the tiny guest: direct kernel boot with a new disk image made
 * as a job (the progress page shows), the machine created, started and its page
 * opened at the console, the guest booted; then what each page refuses, and that
 * a refusal leaves nothing behind in the engine. Every page is kept as a
 * screenshot.
 */
#include "config.h"

#include <string.h>

#include "hangar-create-wizard.h"
#include "hangar-machine-page.h"
#include "hangar-test-loop.h"
#include "window-fixture.h"

static GtkWidget *
child (HangarCreateWizard *wizard,
       const char         *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (wizard),
                                                   HANGAR_TYPE_CREATE_WIZARD, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static const char *
wizard_page (HangarCreateWizard *wizard)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (wizard, "pages")));
}

static gboolean
forward_enabled (HangarCreateWizard *wizard)
{
  return gtk_widget_get_sensitive (child (wizard, "forward_button"));
}

static void
set_text (HangarCreateWizard *wizard,
          const char         *entry,
          const char         *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (wizard, entry)), text);
}

static const char *
label_text (HangarCreateWizard *wizard,
            const char         *label)
{
  GtkWidget *widget = child (wizard, label);

  return gtk_widget_get_visible (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "";
}

static HangarCreateWizard *
find_wizard (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (HANGAR_IS_CREATE_WIZARD (l->data))
      return l->data;
  return NULL;
}

static HangarCreateWizard *
open_wizard (Fixture *fixture)
{
  WAIT_UNTIL (fixture, page_is (fixture, "empty") || page_is (fixture, "machines"), NULL);
  activate (fixture, "win.new-machine");
  WAIT_UNTIL (fixture, find_wizard () != NULL && gtk_widget_get_mapped (GTK_WIDGET (find_wizard ())),
              "the wizard");
  return find_wizard ();
}

static GtkWidget *
find_os_row (HangarCreateWizard *wizard,
             const char         *title)
{
  GtkWidget *list = child (wizard, "os_list");

  if (!gtk_widget_get_visible (list))
    return NULL;
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

static void
forward (Fixture            *fixture,
         HangarCreateWizard *wizard,
         const char         *next_page)
{
  WAIT_UNTIL (fixture, forward_enabled (wizard), "Forward enabled");
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.forward", NULL);
  WAIT_UNTIL (fixture, g_strcmp0 (wizard_page (wizard), next_page) == 0, next_page);
}

/* Types @value into a spin button and presses Enter there: GtkText's Return binding emits
 * its "activate" signal, as this does. */
static void
type_and_enter (HangarCreateWizard *wizard,
                const char         *spin,
                const char         *value)
{
  GtkWidget *text = gtk_widget_get_first_child (child (wizard, spin));

  while (text != NULL && !GTK_IS_TEXT (text))
    text = gtk_widget_get_next_sibling (text);
  g_assert_nonnull (text);
  gtk_editable_set_text (GTK_EDITABLE (text), value);
  g_signal_emit_by_name (text, "activate");
}

static double
spin_value (HangarCreateWizard *wizard,
            const char         *spin)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (wizard, spin)));
}

static void
shoot (Fixture            *fixture,
       HangarCreateWizard *wizard,
       const char         *name)
{
  take_widget_screenshot (fixture, GTK_WIDGET (wizard), name);
}

static void
choose_kernel_source (Fixture            *fixture,
                      HangarCreateWizard *wizard)
{
  const char *guest = g_getenv ("HANGAR_TEST_GUEST_DIR");
  g_autofree char *kernel = g_build_filename (guest, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (guest, "initramfs.img", NULL);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (wizard, "source_kernel_check")), TRUE);
  set_text (wizard, "kernel_entry", kernel);
  set_text (wizard, "initrd_entry", initrd);
  set_text (wizard, "cmdline_entry", "console=ttyS0 quiet panic=-1");
}

static gboolean
is_file (const char *folder,
         const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Direct kernel boot, a new 64 MiB image, 128 MiB of memory: created, started, shown. */
static void
test_kernel_with_disk (Fixture       *fixture,
                       gconstpointer  data)
{
  HangarCreateWizard *wizard;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  const char *images;

  open_window_full (fixture, 0);
  wizard = open_wizard (fixture);
  g_assert_cmpstr (wizard_page (wizard), ==, "source");
  shoot (fixture, wizard, "wizard-1-source.png");

  /* A relative path cannot go on. */
  choose_kernel_source (fixture, wizard);
  set_text (wizard, "kernel_entry", "vmlinuz");
  g_assert_false (forward_enabled (wizard));
  choose_kernel_source (fixture, wizard);
  shoot (fixture, wizard, "wizard-1-source-kernel.png");
  forward (fixture, wizard, "os");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (wizard, "os_row"))),
                   ==, "Generic operating system");

  /* The engine's catalogue, searched as typed; a row picks that OS. */
  gtk_editable_set_text (GTK_EDITABLE (child (wizard, "os_search")), "debian 11");
  WAIT_UNTIL (fixture, find_os_row (wizard, "Debian 11") != NULL, "Debian 11 listed");
  shoot (fixture, wizard, "wizard-2-os.png");
  g_signal_emit_by_name (child (wizard, "os_list"), "row-activated",
                         find_os_row (wizard, "Debian 11"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (wizard, "os_row"))),
                   ==, "Debian 11");
  g_signal_emit_by_name (child (wizard, "os_list"), "row-activated",
                         find_os_row (wizard, "Generic operating system"));

  forward (fixture, wizard, "resources");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "memory_spin")), 128);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "vcpus_spin")), 1);
  shoot (fixture, wizard, "wizard-3-resources.png");

  /* More memory than the host has is refused on the page. */
  {
    guint64 host_mib = hangar_dbus_host1_get_host_memory_kib (fixture->engine.host) / 1024;

    gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "memory_spin")), host_mib + 1024);
    g_assert_false (forward_enabled (wizard));
    g_assert_nonnull (strstr (label_text (wizard, "resources_note"), "This host has only"));
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "memory_spin")), 128);
  }
  forward (fixture, wizard, "storage");

  /* A disk of 0 is refused; 64 MiB is not. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "disk_size_spin")), 0);
  g_assert_false (forward_enabled (wizard));
  g_assert_nonnull (strstr (label_text (wizard, "storage_note"), "0 GiB"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "disk_size_spin")), 0.1);
  shoot (fixture, wizard, "wizard-4-storage.png");
  forward (fixture, wizard, "summary");

  /* The name is checked by the engine as it is typed. */
  set_text (wizard, "name_entry", " padded");
  WAIT_UNTIL (fixture, label_text (wizard, "name_error")[0] != '\0', "a name error");
  g_test_message ("“ padded”: %s", label_text (wizard, "name_error"));
  g_assert_false (forward_enabled (wizard));
  set_text (wizard, "name_entry", "wizard-kernel");
  WAIT_UNTIL (fixture, forward_enabled (wizard), "the name accepted");
  shoot (fixture, wizard, "wizard-5-summary.png");

  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.forward", NULL);
  /* The disk is made as a job: the progress page shows, then the machine's page. */
  WAIT_UNTIL (fixture, find_wizard () == NULL ||
                       g_strcmp0 (wizard_page (wizard), "progress") == 0, "progress");
  WAIT_UNTIL (fixture, find_wizard () == NULL, "the wizard closed");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, "the machine's page");
  machine = hangar_test_lookup (&fixture->engine, "wizard-kernel");
  hangar_test_wait_state (machine, "running", 30);
  started_qemu_pid = hangar_dbus_machine1_get_pid (machine);
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);
  take_screenshot (fixture, "wizard-6-created.png");

  /* Its disk is the new image, in the engine's image folder. */
  images = hangar_dbus_host1_get_default_image_folder (fixture->engine.host);
  g_assert_true (is_file (images, "wizard-kernel.qcow2"));
  g_assert_cmpuint (g_strv_length ((char **) hangar_dbus_machine1_get_disk_images (machine)),
                    ==, 1);
  g_assert_true (g_str_has_suffix (hangar_dbus_machine1_get_disk_images (machine)[0],
                                   "/wizard-kernel.qcow2"));
}

/* Creates the machine from the summary page and waits for it to run, its page open. */
static HangarDBusMachine1 *
create_and_wait (Fixture            *fixture,
                 HangarCreateWizard *wizard,
                 const char         *name,
                 gboolean            shows_progress)
{
  HangarDBusMachine1 *machine;
  gboolean progress_seen = FALSE;

  set_text (wizard, "name_entry", name);
  WAIT_UNTIL (fixture, forward_enabled (wizard), "the name accepted");
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.forward", NULL);
  WAIT_UNTIL (fixture, find_wizard () == NULL ||
                       (progress_seen = (g_strcmp0 (wizard_page (wizard), "progress") == 0)),
              "progress");
  if (shows_progress)
    g_assert_true (progress_seen);
  WAIT_UNTIL (fixture, find_wizard () == NULL, "the wizard closed");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, "the machine's page");
  machine = hangar_test_lookup (&fixture->engine, name);
  hangar_test_wait_state (machine, "running", 30);
  started_qemu_pid = hangar_dbus_machine1_get_pid (machine);
  return machine;
}

/* The tiny guest's bootable ISO as install media, a new disk: it boots from the CD. */
static void
test_iso (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *iso = hangar_test_guest_file ("tiny.iso");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  HangarCreateWizard *wizard;

  open_window_full (fixture, 0);
  wizard = open_wizard (fixture);
  set_text (wizard, "media_entry", iso);
  forward (fixture, wizard, "os");
  /* The engine looked at it: an ISO the catalogue does not know is said so. */
  g_test_message ("OS: %s (%s)",
                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (wizard, "os_row"))),
                  adw_action_row_get_subtitle (ADW_ACTION_ROW (child (wizard, "os_row"))));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (wizard, "os_row"))), ==,
                   "Not recognised: change it if you know what it is");
  shoot (fixture, wizard, "wizard-iso-os.png");
  forward (fixture, wizard, "resources");

  /* Enter in a spin button goes forward, with the value typed, as Enter in an entry does;
   * not past a value the page refuses. */
  type_and_enter (wizard, "vcpus_spin", "1");
  g_assert_cmpstr (wizard_page (wizard), ==, "storage");
  g_assert_cmpint (spin_value (wizard, "vcpus_spin"), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  type_and_enter (wizard, "memory_spin", "128");
  g_assert_cmpstr (wizard_page (wizard), ==, "storage");
  g_assert_cmpint (spin_value (wizard, "memory_spin"), ==, 128);
  type_and_enter (wizard, "disk_size_spin", "0");
  g_assert_cmpstr (wizard_page (wizard), ==, "storage");
  g_assert_nonnull (strstr (label_text (wizard, "storage_note"), "0 GiB"));
  type_and_enter (wizard, "disk_size_spin", "0.1");
  g_assert_cmpstr (wizard_page (wizard), ==, "summary");
  g_assert_cmpfloat (spin_value (wizard, "disk_size_spin"), ==, 0.1);
  machine = create_and_wait (fixture, wizard, "from-iso", TRUE);
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);
  take_screenshot (fixture, "wizard-iso-created.png");
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The CD/DVD drive rows under the media entry, as the wizard shows them. */
static guint
count_drive_rows (HangarCreateWizard *wizard)
{
  for (guint rows = 0; ; rows++)
    {
      g_autofree char *name = g_strdup_printf ("drive_row_%u", rows);

      if (find_named (child (wizard, "media_group"), name) == NULL)
        return rows;
    }
}

/* A disc in a host drive: the Source page offers the engine's drives; a drive's path in the
 * media entry is identified and booted as an ISO is. The drive is a read-only loop device
 * over the tiny guest's ISO, as no machine here has one; skipped where none can be made. */
static void
test_drive (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *iso = hangar_test_guest_file ("tiny.iso");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) drives = NULL;
  g_autofree char *drive = NULL;
  g_autofree char *xml = NULL;
  HangarCreateWizard *wizard;

  drive = hangar_test_loop_attach (iso, &error);
  if (drive == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("no loop device to stand in for a CD/DVD "
                                                 "drive: %s", error->message);
      g_test_skip (reason);
      return;
    }
  open_window_full (fixture, 0);
  wizard = open_wizard (fixture);
  hangar_dbus_host1_call_list_optical_drives_sync (fixture->engine.host, &drives, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%u optical drives on this host", g_strv_length (drives));
  WAIT_UNTIL (fixture, count_drive_rows (wizard) == g_strv_length (drives), "the drive rows");

  set_text (wizard, "media_entry", drive);
  forward (fixture, wizard, "os");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (wizard, "os_row"))), ==,
                   "Not recognised: change it if you know what it is");
  forward (fixture, wizard, "resources");
  type_and_enter (wizard, "memory_spin", "128");
  g_assert_cmpstr (wizard_page (wizard), ==, "storage");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (wizard, "disk_none_check")), TRUE);
  forward (fixture, wizard, "summary");
  shoot (fixture, wizard, "wizard-drive-summary.png");
  machine = create_and_wait (fixture, wizard, "from-drive", FALSE);
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);
  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, "<disk type=\"block\" device=\"cdrom\">"));
  g_assert_nonnull (strstr (xml, drive));
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "shut-off", 10);
  hangar_test_loop_detach (drive);
}

/* An existing image imported as a qcow2 copy (a convert job): the copy boots. */
static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *iso = hangar_test_guest_file ("tiny.iso");
  g_autofree char *other_iso = hangar_test_guest_file ("tiny-reboot.iso");
  g_autofree char *image = g_build_filename (fixture->engine.root, "old-disk.qcow2", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  HangarCreateWizard *wizard;
  int status;

  /* The hybrid ISO is a bootable disk too: as a qcow2 image, it is an installed system. */
  g_spawn_sync (NULL, (char *[]) { "qemu-img", "convert", "-O", "qcow2", iso, image, NULL },
                NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  open_window_full (fixture, 0);
  wizard = open_wizard (fixture);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (wizard, "source_import_check")), TRUE);

  /* An ISO offered as a disk image is told apart... */
  set_text (wizard, "import_entry", other_iso);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.forward", NULL);
  WAIT_UNTIL (fixture, label_text (wizard, "source_error")[0] != '\0', "the ISO refused");
  g_assert_cmpstr (label_text (wizard, "source_error"), ==,
                   "This is not a disk image. To install from it, choose Installation Media.");
  g_assert_cmpstr (wizard_page (wizard), ==, "source");

  /* ...the image goes on, copied into a new qcow2 by a job. */
  set_text (wizard, "import_entry", image);
  gtk_switch_set_active (GTK_SWITCH (child (wizard, "convert_switch")), TRUE);
  forward (fixture, wizard, "os");
  forward (fixture, wizard, "resources");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "memory_spin")), 128);
  /* An imported image is the storage: Forward goes to the summary. */
  forward (fixture, wizard, "summary");
  shoot (fixture, wizard, "wizard-import-summary.png");
  machine = create_and_wait (fixture, wizard, "imported", TRUE);
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);
  g_assert_true (g_str_has_suffix (hangar_dbus_machine1_get_disk_images (machine)[0],
                                   "/imported.qcow2"));
  /* The original is left as it was. */
  g_assert_true (g_file_test (image, G_FILE_TEST_EXISTS));
}

/* Refusals: each on its page, and nothing left behind. */
static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("taken", NULL);
  g_autoptr(HangarDBusMachine1) taken = hangar_test_define (&fixture->engine, xml);
  HangarCreateWizard *wizard;
  g_autofree char *missing = g_build_filename (fixture->engine.root, "missing.iso", NULL);

  open_window_full (fixture, 0);
  wizard = open_wizard (fixture);

  /* Media that is not there. */
  set_text (wizard, "media_entry", missing);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.forward", NULL);
  WAIT_UNTIL (fixture, label_text (wizard, "source_error")[0] != '\0', "a source error");
  g_test_message ("missing ISO: %s", label_text (wizard, "source_error"));
  g_assert_nonnull (strstr (label_text (wizard, "source_error"), missing));
  g_assert_cmpstr (wizard_page (wizard), ==, "source");
  shoot (fixture, wizard, "wizard-refused-missing-iso.png");

  /* An install tree on a closed local port. */
  {
    g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autofree char *url = NULL;

    /* A port that was free a moment ago and is closed now. */
    g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
    bound = g_socket_get_local_address (socket, NULL);
    url = g_strdup_printf ("http://127.0.0.1:%u/tree/",
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    g_socket_close (socket, NULL);

    gtk_check_button_set_active (GTK_CHECK_BUTTON (child (wizard, "source_url_check")), TRUE);
    set_text (wizard, "url_entry", url);
    gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.forward", NULL);
    WAIT_UNTIL (fixture, label_text (wizard, "source_error")[0] != '\0', "a tree error");
    g_test_message ("closed port: %s", label_text (wizard, "source_error"));
    g_assert_cmpstr (wizard_page (wizard), ==, "source");
    shoot (fixture, wizard, "wizard-refused-url.png");
  }

  /* A name that exists. */
  choose_kernel_source (fixture, wizard);
  forward (fixture, wizard, "os");
  forward (fixture, wizard, "resources");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "memory_spin")), 128);
  forward (fixture, wizard, "storage");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (wizard, "disk_none_check")), TRUE);
  forward (fixture, wizard, "summary");
  set_text (wizard, "name_entry", "taken");
  WAIT_UNTIL (fixture, label_text (wizard, "name_error")[0] != '\0', "a name error");
  g_test_message ("“taken”: %s", label_text (wizard, "name_error"));
  g_assert_false (forward_enabled (wizard));
  shoot (fixture, wizard, "wizard-refused-name.png");

  /* Nothing was made: one machine, no image. */
  gtk_window_close (GTK_WINDOW (wizard));
  {
    g_autoptr(GDir) dir = g_dir_open (hangar_dbus_host1_get_default_image_folder (fixture->engine.host),
                                      0, NULL);

    g_assert_true (dir == NULL || g_dir_read_name (dir) == NULL);
  }
  wait_for_rows (fixture, "taken | Shut Off | 1 CPU " DOT " 128 MiB");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (taken), ==, "shut-off");
}

/* Customize before install: the machine is made, not started, and its details open. */
static void
test_customize (Fixture       *fixture,
                gconstpointer  data)
{
  HangarCreateWizard *wizard;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  GtkWidget *page;
  AdwViewStack *views;

  open_window_full (fixture, 0);
  wizard = open_wizard (fixture);
  choose_kernel_source (fixture, wizard);
  forward (fixture, wizard, "os");
  gtk_editable_set_text (GTK_EDITABLE (child (wizard, "os_search")), "debian 11");
  WAIT_UNTIL (fixture, find_os_row (wizard, "Debian 11") != NULL, "Debian 11 listed");
  g_signal_emit_by_name (child (wizard, "os_list"), "row-activated",
                         find_os_row (wizard, "Debian 11"));
  forward (fixture, wizard, "resources");
  /* Debian 11's recommended memory, not the generic default. */
  g_test_message ("Debian 11: %d MiB, %d vCPUs",
                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (wizard, "memory_spin"))),
                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (wizard, "vcpus_spin"))));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (wizard, "memory_spin")), 128);
  forward (fixture, wizard, "storage");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (wizard, "disk_none_check")), TRUE);
  g_assert_nonnull (strstr (label_text (wizard, "storage_note"), "Without a disk"));
  forward (fixture, wizard, "summary");
  set_text (wizard, "name_entry", "to-customize");
  gtk_switch_set_active (GTK_SWITCH (child (wizard, "customize_switch")), TRUE);
  WAIT_UNTIL (fixture, forward_enabled (wizard), "the name accepted");
  /* Enter on the last page creates. */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.forward", NULL);
  WAIT_UNTIL (fixture, find_wizard () == NULL, "the wizard closed");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, "the machine's page");
  page = gtk_stack_get_visible_child (main_stack (fixture));
  views = ADW_VIEW_STACK (gtk_widget_get_template_child (page, HANGAR_TYPE_MACHINE_PAGE,
                                                         "view_stack"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (views), ==, "details");
  machine = hangar_test_lookup (&fixture->engine, "to-customize");
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "shut-off");
  g_assert_cmpuint (g_strv_length ((char **) hangar_dbus_machine1_get_disk_images (machine)), ==, 0);
  WAIT_UNTIL (fixture, g_strcmp0 (hangar_dbus_machine1_get_os_name (machine), "Debian 11") == 0,
              "Debian 11");
  {
    g_autofree char *texts = NULL;

    WAIT_UNTIL (fixture, (g_free (texts), texts = shown_texts (page),
                          strstr (texts, "Operating System | Debian 11") != NULL), texts);
  }
  take_screenshot (fixture, "wizard-customize.png");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/ui/create-wizard/kernel-with-disk", test_kernel_with_disk);
  ADD ("/hangar/ui/create-wizard/refusals", test_refusals);
  ADD ("/hangar/ui/create-wizard/customize", test_customize);
  ADD ("/hangar/ui/create-wizard/iso", test_iso);
  ADD ("/hangar/ui/create-wizard/drive", test_drive);
  ADD ("/hangar/ui/create-wizard/import", test_import);
#undef ADD

  status = g_test_run ();
  window_fixture_finish ();
  return status;
}
