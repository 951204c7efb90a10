/* test-definitions.c: definitions and the command line against a real engine:
 * refusals, hostile names, persistence, deleting with disk images, hangarctl
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

#define READY HANGAR_TEST_READY
#define BOOT_TIMEOUT HANGAR_TEST_BOOT_TIMEOUT

typedef HangarTestEngine Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  hangar_test_engine_teardown (fixture);
}

/* ---- bad input ----------------------------------------------------------------- */

static void
assert_define_fails (Fixture    *fixture,
                     const char *xml,
                     HangarError code,
                     const char *message_part)
{
  g_autofree char *machines = g_build_filename (fixture->config_dir, "hangar", "machines", NULL);
  guint before = hangar_test_count_files (machines);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_false (hangar_dbus_host1_call_define_machine_sync (fixture->host, xml, &path,
                                                              NULL, &error));
  g_assert_error (error, HANGAR_ERROR, (gint) code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” is not in the error “%s”", message_part, error->message);
  /* Nothing written, nothing left behind. */
  g_assert_cmpuint (hangar_test_count_files (machines), ==, before);
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), >, 1);
  return g_strjoinv (to, parts);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *good = hangar_test_guest_xml ("taken", NULL);
  g_autofree char *malformed = replace (good, "</vcpu>", "</vcpux>");
  g_autofree char *duplicate = g_strdup (good);
  g_autofree char *missing_disk = hangar_test_guest_xml ("no-disk",
    "<disk type='file' device='disk'><source file='/nonexistent/hangar/disk.qcow2'/>"
    "<driver name='qemu' type='qcow2'/><target dev='vda' bus='virtio'/></disk>");
  g_autofree char *newline = hangar_test_guest_xml ("two\nlines", NULL);
  g_autofree char *zero_memory = replace (good, "<memory unit='MiB'>128</memory>",
                                          "<memory unit='MiB'>0</memory>");
  g_autofree char *huge_memory = replace (good, "<memory unit='MiB'>128</memory>",
                                          "<memory unit='TiB'>10</memory>");
  g_autofree char *host_memory = replace (good, "<memory unit='MiB'>128</memory>",
                                          "<memory unit='GiB'>1000</memory>");
  g_autofree char *unknown_device = hangar_test_guest_xml ("gadget",
                                                           "<hostdev mode='subsystem'/>");
  g_autofree char *unknown_bus = hangar_test_guest_xml ("odd-bus",
    "<disk type='file' device='cdrom'><target dev='fda' bus='floppy'/></disk>");
  g_autofree char *bad_uuid = replace (good, "<name>", "<uuid>not-a-uuid</uuid><name>");
  g_autofree char *empty_name = replace (good, "<name>taken</name>", "<name></name>");
  g_autofree char *future_machine = replace (good, "machine='pc'", "machine='pc-q35-99.0'");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, good);
  g_autoptr(GError) error = NULL;

  assert_define_fails (fixture, malformed, HANGAR_ERROR_INVALID_CONFIG, "line 4");
  assert_define_fails (fixture, "", HANGAR_ERROR_INVALID_CONFIG, NULL);
  assert_define_fails (fixture, "<network/>", HANGAR_ERROR_INVALID_CONFIG, "<network>");
  assert_define_fails (fixture, duplicate, HANGAR_ERROR_ALREADY_EXISTS, "taken");
  assert_define_fails (fixture, missing_disk, HANGAR_ERROR_NOT_FOUND,
                       "/nonexistent/hangar/disk.qcow2");
  assert_define_fails (fixture, newline, HANGAR_ERROR_INVALID_CONFIG, "line break");
  assert_define_fails (fixture, zero_memory, HANGAR_ERROR_INVALID_CONFIG, "at least 1 MiB");
  assert_define_fails (fixture, huge_memory, HANGAR_ERROR_INVALID_CONFIG, "memory");
  assert_define_fails (fixture, host_memory, HANGAR_ERROR_INVALID_CONFIG, "more than this host");
  assert_define_fails (fixture, unknown_device, HANGAR_ERROR_NOT_SUPPORTED, "<hostdev>");
  assert_define_fails (fixture, unknown_bus, HANGAR_ERROR_NOT_SUPPORTED, "floppy");
  assert_define_fails (fixture, bad_uuid, HANGAR_ERROR_INVALID_CONFIG, "not-a-uuid");
  assert_define_fails (fixture, empty_name, HANGAR_ERROR_INVALID_CONFIG, "<name>");
  assert_define_fails (fixture, future_machine, HANGAR_ERROR_NOT_SUPPORTED, "pc-q35-99.0");

  /* A machine in the wrong state. */
  hangar_dbus_machine1_call_shutdown_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_resume_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_delete_sync (machine, 2, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  hangar_test_start_and_wait_ready (fixture, machine);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "already running"));
  g_clear_error (&error);
  hangar_dbus_machine1_call_delete_sync (machine, 0, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_pause_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "paused", 5);
  hangar_dbus_machine1_call_shutdown_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "resume it first"));
  g_clear_error (&error);
  hangar_dbus_machine1_call_open_console_sync (machine, "telnet", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hangar_dbus_machine1_call_open_console_sync (machine, "spice", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_dbus_machine1_call_delete_sync (machine, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}


/* Deleting with its disk images takes only one Hangar made, never one another machine
 * uses (tests/reliability/test-ownership.c tries every other kind a user gives). */
static void
test_delete_images (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *own = g_build_filename (fixture->data_dir, "own.img", NULL);
  g_autofree char *shared = g_build_filename (fixture->data_dir, "shared.img", NULL);
  g_autofree char *iso = g_build_filename (fixture->data_dir, "install.iso", NULL);
  g_autofree char *devices_a = g_strdup_printf (
    "<disk type='file' device='disk'><source file='%s'/><target dev='vda'/></disk>"
    "<disk type='file' device='disk'><source file='%s'/><target dev='vdb'/></disk>"
    "<disk type='file' device='cdrom'><source file='%s'/><target dev='sda' bus='sata'/></disk>",
    own, shared, iso);
  g_autofree char *devices_b = g_strdup_printf (
    "<disk type='file' device='disk'><source file='%s/../data/shared.img'/>"
    "<target dev='vda'/></disk>", fixture->data_dir);
  g_autofree char *xml_a = NULL;
  g_autofree char *xml_b = NULL;
  g_autoptr(HangarDBusMachine1) a = NULL;
  g_autoptr(HangarDBusMachine1) b = NULL;
  g_auto(GStrv) deleted = NULL;
  g_auto(GStrv) kept = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *images;

  hangar_test_make_volume (fixture, own, 1 << 20);
  g_assert_true (g_file_set_contents (shared, "shared", -1, NULL));
  g_assert_true (g_file_set_contents (iso, "iso", -1, NULL));
  xml_a = hangar_test_guest_xml ("owner", devices_a);
  xml_b = hangar_test_guest_xml ("sharer", devices_b);
  a = hangar_test_define (fixture, xml_a);
  b = hangar_test_define (fixture, xml_b);

  /* The hard disks, not the CD-ROM image. */
  images = hangar_dbus_machine1_get_disk_images (a);
  g_assert_cmpuint (g_strv_length ((char **) images), ==, 2);
  g_assert_cmpstr (images[0], ==, own);
  g_assert_cmpstr (images[1], ==, shared);

  hangar_dbus_machine1_call_delete_sync (a, 1, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (deleted), ==, 1);
  g_assert_cmpstr (deleted[0], ==, own);
  g_assert_cmpuint (g_strv_length (kept), ==, 1);
  g_assert_cmpstr (kept[0], ==, shared);
  g_assert_false (g_file_test (own, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shared, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (iso, G_FILE_TEST_EXISTS));

  /* The last user may take it; without the flag nothing but the definition goes. */
  g_clear_pointer (&deleted, g_strfreev);
  g_clear_pointer (&kept, g_strfreev);
  hangar_dbus_machine1_call_delete_sync (b, 0, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (deleted), ==, 0);
  g_assert_true (g_file_test (shared, G_FILE_TEST_EXISTS));
}


/* Commas and quotes in a name reach QEMU as the name and nothing more; a slash is
 * refused, as libvirt refuses it. */
static void
test_hostile_names (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *names[] = { "a,file=etc-passwd,if=floppy", "it's \"quoted\", isn't it" };

  {
    g_autofree char *xml = hangar_test_guest_xml ("a,file=/etc/passwd", NULL);
    g_autofree char *path = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (hangar_dbus_host1_call_define_machine_sync (fixture->host, xml, &path, NULL,
                                                                &error));
    g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
    g_assert_nonnull (strstr (error->message, "“/”"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *xml = hangar_test_guest_xml (names[i], NULL);
      g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) pieces = g_strsplit (names[i], ",", -1);
      g_autofree char *escaped = g_strjoinv (",,", pieces);
      g_autofree char *expected = g_strdup_printf ("guest=%s,debug-threads=on", escaped);
      g_autofree char *cmdline_path = NULL;
      g_autofree char *cmdline = NULL;
      gboolean seen = FALSE;
      gsize length;

      g_assert_cmpstr (hangar_dbus_machine1_get_name (machine), ==, names[i]);
      hangar_test_start_and_wait_ready (fixture, machine);
      cmdline_path = g_strdup_printf ("/proc/%u/cmdline", hangar_dbus_machine1_get_pid (machine));
      g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, NULL));
      /* The name stands in -name only, with its commas doubled, so QEMU reads one value. */
      for (gsize at = 0; at < length; at += strlen (cmdline + at) + 1)
        {
          if (g_str_equal (cmdline + at, "-name"))
            {
              g_assert_cmpstr (cmdline + at + strlen ("-name") + 1, ==, expected);
              seen = TRUE;
            }
          else if (strstr (cmdline + at, "etc-passwd") != NULL)
            g_assert_cmpstr (cmdline + at, ==, expected);
        }
      g_assert_true (seen);
      hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
      g_assert_no_error (error);
    }
}


/* ---- definitions on disk ----------------------------------------------------------- */

static void
test_persistence (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("keeper", NULL);
  g_autofree char *with_unknown = replace (xml, "</features>",
                                           "</features>\n  <pm><suspend-to-disk enabled='no'/></pm>\n"
                                           "  <metadata><h:note xmlns:h='urn:hangar-test'>kept</h:note>"
                                           "</metadata>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, with_unknown);
  g_autofree char *machines = g_build_filename (fixture->config_dir, "hangar", "machines", NULL);
  g_autofree char *broken = g_build_filename (machines, "0b0b0b0b-0000-4000-8000-000000000000.xml",
                                              NULL);
  g_autofree char *broken_after = NULL;
  g_autofree char *dumped = NULL;
  g_autoptr(GVariant) broken_list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = hangar_dbus_machine1_dup_uuid (machine);

  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_true (g_file_set_contents (broken, "<domain type='kvm'><name>half", -1, NULL));
  hangar_dbus_machine1_call_set_autostart_sync (machine, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&machine);

  hangar_test_engine_stop (fixture, SIGTERM);
  hangar_test_engine_start (fixture);

  machine = hangar_test_lookup (fixture, uuid);
  g_assert_cmpstr (hangar_dbus_machine1_get_name (machine), ==, "keeper");
  g_assert_true (hangar_dbus_machine1_get_autostart (machine));
  hangar_dbus_machine1_call_get_xml_sync (machine, &dumped, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (dumped, "<suspend-to-disk enabled=\"no\"/>"));
  g_assert_nonnull (strstr (dumped, "kept</h:note>"));
  g_assert_nonnull (strstr (dumped, uuid));

  /* The broken file is reported and left as it was. */
  broken_list = hangar_dbus_host1_dup_broken_definitions (fixture->host);
  g_assert_cmpuint (g_variant_n_children (broken_list), ==, 1);
  g_assert_true (g_file_get_contents (broken, &broken_after, NULL, NULL));
  g_assert_cmpstr (broken_after, ==, "<domain type='kvm'><name>half");

  /* Redefining with the same UUID updates in place. */
  {
    g_autofree char *renamed = replace (dumped, "<name>keeper</name>", "<name>kept-renamed</name>");
    g_autoptr(HangarDBusMachine1) again = hangar_test_define (fixture, renamed);

    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_assert_cmpstr (hangar_dbus_machine1_get_uuid (again), ==, uuid);
    while (g_strcmp0 (hangar_dbus_machine1_get_name (again), "kept-renamed") != 0 &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpstr (hangar_dbus_machine1_get_name (again), ==, "kept-renamed");
  }
}


/* ---- hangarctl ------------------------------------------------------------------- */

static void
test_hangarctl (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("cli", NULL);
  g_autofree char *file = g_build_filename (fixture->root, "cli.xml", NULL);
  g_autofree char *bad_file = g_build_filename (fixture->root, "bad.xml", NULL);
  const char *verbs[] = { "list", "define", "undefine", "start", "shutdown", "destroy", "reboot",
                          "reset", "suspend", "resume", "autostart", "dumpxml", "dominfo",
                          "domstate", "capabilities" };
  char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (file, xml, -1, NULL));
  g_assert_true (g_file_set_contents (bad_file, "<domain", -1, NULL));

#define CTL(expected, ...) \
  G_STMT_START { \
    g_clear_pointer (&out, g_free); \
    g_clear_pointer (&err, g_free); \
    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, __VA_ARGS__, NULL), ==, expected); \
  } G_STMT_END

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      CTL (0, verbs[i], "--help");
      g_assert_nonnull (strstr (out, verbs[i]));
    }
  CTL (0, "--help");
  CTL (2, "frobnicate");
  CTL (2, "start");
  CTL (2, "list", "--everything");

  CTL (0, "define", file);
  g_assert_nonnull (strstr (out, "cli"));
  CTL (1, "define", bad_file);
  g_assert_nonnull (strstr (err, "[InvalidConfig]"));
  g_assert_nonnull (strstr (err, "line"));
  CTL (1, "define", "/nonexistent.xml");

  CTL (0, "list");
  g_assert_null (strstr (out, "cli"));
  CTL (0, "list", "--all");
  g_assert_nonnull (strstr (out, "cli"));
  g_assert_nonnull (strstr (out, "shut off"));
  CTL (0, "domstate", "cli");
  g_assert_cmpstr (out, ==, "shut off\n");

  CTL (0, "start", "cli");
  CTL (1, "start", "cli");
  g_assert_nonnull (strstr (err, "[InvalidState]"));
  CTL (0, "list");
  g_assert_nonnull (strstr (out, "running"));
  CTL (0, "domstate", "cli", "--reason");
  g_assert_cmpstr (out, ==, "running (booted)\n");
  CTL (0, "dominfo", "cli");
  g_assert_nonnull (strstr (out, "QEMU pid:"));
  CTL (0, "dumpxml", "cli");
  g_assert_nonnull (strstr (out, "<name>cli</name>"));
  CTL (0, "suspend", "cli");
  CTL (0, "resume", "cli");
  CTL (0, "autostart", "cli");
  CTL (0, "autostart", "cli", "--disable");
  CTL (0, "capabilities");
  g_assert_nonnull (strstr (out, "tcg"));

  CTL (1, "undefine", "cli");
  CTL (0, "destroy", "cli");
  CTL (1, "destroy", "cli");
  CTL (1, "start", "nonesuch");
  g_assert_nonnull (strstr (err, "[NotFound]"));
  CTL (2, "undefine", "cli", "--remove-everything");
  CTL (0, "undefine", "cli", "--remove-all-storage");
  g_assert_nonnull (strstr (out, "has been undefined"));
  CTL (0, "list", "--all");
  g_assert_null (strstr (out, "cli"));
#undef CTL
  g_free (out);
  g_free (err);
}

/* The whole path a user takes by hand: define, start, ACPI shutdown and wait. */
static void
test_hangarctl_shutdown_wait (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("by-hand", NULL);
  g_autofree char *file = g_build_filename (fixture->root, "by-hand.xml", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autofree char *out = NULL;

  g_assert_true (g_file_set_contents (file, xml, -1, NULL));
  g_assert_cmpint (hangar_test_run_ctl (fixture, NULL, NULL, "define", file, NULL), ==, 0);
  g_assert_cmpint (hangar_test_run_ctl (fixture, NULL, NULL, "start", "by-hand", NULL), ==, 0);
  machine = hangar_test_lookup (fixture, "by-hand");
  hangar_test_wait_serial (fixture, machine, READY, 1, BOOT_TIMEOUT);
  g_assert_cmpint (hangar_test_run_ctl (fixture, &out, NULL, "shutdown", "by-hand", "--wait",
                                        "--timeout=30", NULL), ==, 0);
  g_assert_cmpint (hangar_test_run_ctl (fixture, NULL, NULL, "domstate", "by-hand", NULL), ==, 0);
  hangar_test_wait_state (machine, "shut-off", 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/definitions/bad-input", test_bad_input);
  ADD ("/hangar/definitions/hostile-names", test_hostile_names);
  ADD ("/hangar/definitions/persistence", test_persistence);
  ADD ("/hangar/definitions/delete-images", test_delete_images);
  ADD ("/hangar/definitions/hangarctl", test_hangarctl);
  ADD ("/hangar/definitions/hangarctl-shutdown-wait", test_hangarctl_shutdown_wait);
#undef ADD

  return g_test_run ();
}
