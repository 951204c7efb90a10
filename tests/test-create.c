/* test-create.c: creating machines against a real engine: media, catalogue, names,
 * volume jobs, CreateMachine, UEFI (the installs that boot media: test-install.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

#define READY HANGAR_TEST_READY
#define BOOT_TIMEOUT HANGAR_TEST_BOOT_TIMEOUT
#define DEBIAN_11 "http://debian.org/debian/11"

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

static char *
scratch (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->root, name, NULL);
}

/* An ISO 9660 image with @volume_id, made by xorriso. */
static char *
make_iso (Fixture    *fixture,
          const char *name,
          const char *volume_id)
{
  g_autofree char *dir = scratch (fixture, "iso-content");
  g_autofree char *readme = g_build_filename (dir, "README.txt", NULL);
  char *iso = scratch (fixture, name);
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-V", volume_id, "-o", iso,
                         dir, NULL };

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (readme, "Hangar test medium\n", -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return iso;
}

static GVariant *
identify (Fixture     *fixture,
          const char  *path,
          GError     **error)
{
  GVariant *media = NULL;

  hangar_dbus_host1_call_identify_media_sync (fixture->host, path, &media, NULL, error);
  return media;
}

static char *
lookup_s (GVariant   *dict,
          const char *key)
{
  char *value = NULL;

  g_assert_true (g_variant_lookup (dict, key, "s", &value));
  return value;
}

static void
test_identify_media (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *debian = make_iso (fixture, "debian.iso", "Debian 11.7.0 amd64 n");
  g_autofree char *other = make_iso (fixture, "other.iso", "NOTHING_KNOWN_42");
  g_autofree char *missing = scratch (fixture, "missing.iso");
  g_autofree char *image = scratch (fixture, "disk.qcow2");
  g_autoptr(GVariant) media = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  g_autofree char *value = NULL;
  const char *qemu_img[] = { "qemu-img", "create", "-q", "-f", "qcow2", image, "16M", NULL };

  media = identify (fixture, debian, &error);
  g_assert_no_error (error);
  g_test_message ("first IdentifyMedia (loads osinfo-db): %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
  g_free (value), value = lookup_s (media, "os-id");
  g_assert_cmpstr (value, ==, DEBIAN_11);
  g_free (value), value = lookup_s (media, "os-name");
  g_assert_cmpstr (value, ==, "Debian 11");
  g_free (value), value = lookup_s (media, "kind");
  g_assert_cmpstr (value, ==, "installer");
  g_free (value), value = lookup_s (media, "volume-id");
  g_assert_cmpstr (value, ==, "Debian 11.7.0 amd64 n");
  g_clear_pointer (&media, g_variant_unref);

  media = identify (fixture, other, &error);
  g_assert_no_error (error);
  g_free (value), value = lookup_s (media, "os-id");
  g_assert_cmpstr (value, ==, "generic");
  g_clear_pointer (&media, g_variant_unref);

  g_assert_true (g_spawn_sync (NULL, (char **) qemu_img, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, NULL, NULL));
  media = identify (fixture, image, &error);
  g_assert_no_error (error);
  g_free (value), value = lookup_s (media, "kind");
  g_assert_cmpstr (value, ==, "disk-image");
  g_free (value), value = lookup_s (media, "format");
  g_assert_cmpstr (value, ==, "qcow2");
  g_clear_pointer (&media, g_variant_unref);

  media = identify (fixture, missing, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.iso"));
  g_clear_error (&error);
  media = identify (fixture, "relative.iso", &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  media = identify (fixture, fixture->root, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  if (geteuid () != 0)
    {
      g_assert_cmpint (chmod (other, 0), ==, 0);
      media = identify (fixture, other, &error);
      g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_PERMISSION_DENIED);
    }
}

static void
test_catalogue (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GVariant) systems = NULL;
  g_autoptr(GVariant) defaults = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  const char *id, *short_id, *name;
  guint64 memory = 0;

  hangar_dbus_host1_call_search_operating_systems_sync (fixture->host, "debian 11", 5,
                                                        &systems, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (systems), >=, 1);
  g_variant_get_child (systems, 0, "(&s&s&s)", &id, &short_id, &name);
  g_assert_cmpstr (id, ==, DEBIAN_11);
  g_assert_cmpstr (short_id, ==, "debian11");

  hangar_dbus_host1_call_get_os_defaults_sync (fixture->host, DEBIAN_11, &defaults, NULL, &error);
  g_assert_no_error (error);
  g_free (value), value = lookup_s (defaults, "disk-bus");
  g_assert_cmpstr (value, ==, "virtio");
  g_free (value), value = lookup_s (defaults, "machine");
  g_assert_cmpstr (value, ==, "q35");
  g_free (value), value = lookup_s (defaults, "name");
  g_assert_cmpstr (value, ==, "debian11");
  g_assert_true (g_variant_lookup (defaults, "memory-kib", "t", &memory));
  g_assert_cmpuint (memory, >, 0);
  g_clear_pointer (&defaults, g_variant_unref);

  /* Windows 11 refuses BIOS; XP has no virtio driver and no q35. */
  hangar_dbus_host1_call_get_os_defaults_sync (fixture->host, "http://microsoft.com/win/11",
                                               &defaults, NULL, &error);
  g_assert_no_error (error);
  g_free (value), value = lookup_s (defaults, "firmware");
  g_assert_cmpstr (value, ==, "uefi-secure");
  g_clear_pointer (&defaults, g_variant_unref);
  hangar_dbus_host1_call_get_os_defaults_sync (fixture->host, "http://microsoft.com/win/xp",
                                               &defaults, NULL, &error);
  g_assert_no_error (error);
  g_free (value), value = lookup_s (defaults, "disk-bus");
  g_assert_cmpstr (value, ==, "ide");
  g_free (value), value = lookup_s (defaults, "nic-model");
  g_assert_cmpstr (value, ==, "e1000");
  g_clear_pointer (&defaults, g_variant_unref);

  hangar_dbus_host1_call_get_os_defaults_sync (fixture->host, "http://example.com/no-such-os",
                                               &defaults, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
}

static void
assert_name_refused (Fixture    *fixture,
                     const char *name,
                     int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (hangar_dbus_host1_call_check_machine_name_sync (fixture->host, name, NULL,
                                                                  &error));
  g_assert_error (error, HANGAR_ERROR, code);
}

static void
test_names_and_folders (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("taken", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) entries = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *file = scratch (fixture, "listed.iso");
  const char *const *firmwares = hangar_dbus_host1_get_firmwares (fixture->host);

  g_assert_true (hangar_dbus_host1_call_check_machine_name_sync (fixture->host,
                                                                 "a,file=/etc/passwd", NULL,
                                                                 &error));
  g_assert_no_error (error);
  assert_name_refused (fixture, "/", HANGAR_ERROR_INVALID_ARGUMENT);
  assert_name_refused (fixture, "two\nlines", HANGAR_ERROR_INVALID_ARGUMENT);
  assert_name_refused (fixture, "", HANGAR_ERROR_INVALID_ARGUMENT);
  assert_name_refused (fixture, "taken", HANGAR_ERROR_ALREADY_EXISTS);

  g_file_set_contents (file, "x", 1, &error);
  g_assert_no_error (error);
  hangar_dbus_host1_call_list_folder_sync (fixture->host, fixture->root, &canonical, &entries,
                                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (canonical, ==, fixture->root);
  g_assert_true (g_variant_n_children (entries) >= 1);
  hangar_dbus_host1_call_list_folder_sync (fixture->host, file, NULL, NULL, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (g_strv_contains (firmwares, "bios"));
  g_assert_true (g_strv_contains (firmwares, "uefi"));
  g_assert_true (g_str_has_suffix (hangar_dbus_host1_get_default_image_folder (fixture->host),
                                   "/hangar/images"));
}

/* ---- volumes -------------------------------------------------------------------- */

static char *
create_volume (Fixture     *fixture,
               GVariant    *options,
               GError     **error)
{
  char *path = NULL;

  hangar_dbus_host1_call_create_volume_sync (fixture->host, options, &path, NULL, error);
  return path;
}

static GVariant *
volume_options (const char *path,
                guint64     size,
                const char *preallocation)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "path", "s", path);
  g_variant_dict_insert (&dict, "size", "t", size);
  g_variant_dict_insert (&dict, "preallocation", "s", preallocation);
  return g_variant_dict_end (&dict);
}

static void
test_volumes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *full = scratch (fixture, "full.raw");
  g_autofree char *cancelled = scratch (fixture, "cancelled.qcow2");
  g_autofree char *refused = scratch (fixture, "refused.qcow2");
  g_autofree char *job_path = NULL;
  g_autoptr(HangarDBusJob1) job = NULL;
  g_autoptr(GError) error = NULL;
  guint changes;

  job_path = create_volume (fixture, volume_options (full, 256 << 20, "full"), &error);
  g_assert_no_error (error);
  job = hangar_test_job_at (fixture, job_path);
  g_assert_cmpstr (hangar_dbus_job1_get_kind (job), ==, "create-volume");
  changes = hangar_test_wait_job (job, 60);
  g_test_message ("progress changes seen while creating 256 MiB: %u", changes);
  g_assert_cmpstr (hangar_dbus_job1_get_state (job), ==, "completed");
  g_assert_cmpstr (hangar_dbus_job1_get_result (job), ==, full);
  g_assert_cmpfloat (hangar_dbus_job1_get_progress (job), ==, 1.0);
  g_assert_true (g_file_test (full, G_FILE_TEST_IS_REGULAR));
  hangar_dbus_job1_call_cancel_sync (job, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_clear_object (&job);
  g_clear_pointer (&job_path, g_free);

  /* An existing file, sizes of 0, beyond 64 TiB and beyond the free space: nothing written. */
  create_volume (fixture, volume_options (full, 1 << 20, "off"), &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS);
  g_clear_error (&error);
  create_volume (fixture, volume_options (refused, 0, "off"), &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  create_volume (fixture, volume_options (refused, (G_GUINT64_CONSTANT (64) << 40) + 1, "off"),
                 &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  create_volume (fixture, volume_options (refused, G_GUINT64_CONSTANT (10) << 40, "full"), &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "free"));
  g_clear_error (&error);
  g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));

  /* Cancel: the half-written image goes. */
  job_path = create_volume (fixture, volume_options (cancelled, G_GUINT64_CONSTANT (4) << 30,
                                                     "full"), &error);
  g_assert_no_error (error);
  job = hangar_test_job_at (fixture, job_path);
  hangar_dbus_job1_call_cancel_sync (job, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_job (job, 60);
  g_assert_cmpstr (hangar_dbus_job1_get_state (job), ==, "cancelled");
  g_assert_false (g_file_test (cancelled, G_FILE_TEST_EXISTS));
}

/* ---- CreateMachine ----------------------------------------------------------------- */

static char *
new_disk (Fixture    *fixture,
          const char *name)
{
  GVariantDict dict;
  g_autoptr(GError) error = NULL;
  g_autofree char *job_path = NULL;
  g_autoptr(HangarDBusJob1) job = NULL;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert (&dict, "size", "t", (guint64) 64 << 20);
  job_path = create_volume (fixture, g_variant_dict_end (&dict), &error);
  g_assert_no_error (error);
  job = hangar_test_job_at (fixture, job_path);
  hangar_test_wait_job (job, 30);
  g_assert_cmpstr (hangar_dbus_job1_get_state (job), ==, "completed");
  return g_strdup (hangar_dbus_job1_get_result (job));
}

static GVariantDict *
kernel_options (const char *name,
                const char *cmdline)
{
  const char *guest = g_getenv ("HANGAR_TEST_GUEST_DIR");
  g_autofree char *kernel = g_build_filename (guest, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (guest, "initramfs.img", NULL);
  GVariantDict *dict = g_variant_dict_new (NULL);

  g_variant_dict_insert (dict, "name", "s", name);
  g_variant_dict_insert (dict, "memory-kib", "t", (guint64) 128 * 1024);
  g_variant_dict_insert (dict, "vcpus", "u", 1);
  g_variant_dict_insert (dict, "install", "s", "kernel");
  g_variant_dict_insert (dict, "kernel", "s", kernel);
  g_variant_dict_insert (dict, "initrd", "s", initrd);
  g_variant_dict_insert (dict, "cmdline", "s", cmdline);
  return dict;
}

static void
test_create_kernel_boot (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *disk = new_disk (fixture, "kernel-boot.qcow2");
  g_autoptr(GVariantDict) dict = kernel_options ("kernel-boot", "console=ttyS0 quiet panic=-1");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  g_variant_dict_insert (dict, "os-id", "s", DEBIAN_11);
  g_variant_dict_insert (dict, "disk", "s", disk);
  machine = hangar_test_create_machine (fixture, g_variant_dict_end (dict), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hangar_dbus_machine1_get_os_id (machine), ==, DEBIAN_11);
  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, "bus=\"virtio\""));
  hangar_test_start_and_wait_ready (fixture, machine);
  /* The catalogue is loaded by now (CreateMachine used it): the name follows. */
  g_assert_cmpstr (hangar_dbus_machine1_get_os_name (machine), ==, "Debian 11");

  /* Refused, each naming what to fix. */
  dict = g_variant_dict_new (NULL);
  g_variant_dict_insert (dict, "name", "s", "kernel-boot");
  hangar_test_create_machine (fixture, g_variant_dict_end (dict), &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS);
  g_clear_error (&error);
  g_variant_dict_unref (dict);
  dict = g_variant_dict_new (NULL);
  g_variant_dict_insert (dict, "name", "s", "too-big");
  g_variant_dict_insert (dict, "memory-kib", "t", G_GUINT64_CONSTANT (1) << 40);
  hangar_test_create_machine (fixture, g_variant_dict_end (dict), &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "memory-kib"));
  g_clear_error (&error);
  g_variant_dict_unref (dict);
  dict = g_variant_dict_new (NULL);
  g_variant_dict_insert (dict, "name", "s", "no-media");
  g_variant_dict_insert (dict, "install", "s", "cdrom");
  hangar_test_create_machine (fixture, g_variant_dict_end (dict), &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "media"));
}

/* UEFI: OVMF boots the tiny guest's kernel; the variable store is the machine's own. */
static void
test_uefi_boot (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GVariantDict) dict = kernel_options ("uefi", "console=ttyS0 quiet panic=-1");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) deleted = NULL;
  g_auto(GStrv) kept = NULL;
  g_autofree char *vars = NULL;

  g_variant_dict_insert (dict, "firmware", "s", "uefi");
  /* OVMF itself wants more than the tiny guest. */
  g_variant_dict_insert (dict, "memory-kib", "t", (guint64) 256 * 1024);
  machine = hangar_test_create_machine (fixture, g_variant_dict_end (dict), &error);
  g_assert_no_error (error);
  vars = g_build_filename (fixture->data_dir, "hangar", "machines",
                           hangar_dbus_machine1_get_uuid (machine), "VARS.fd", NULL);
  g_assert_true (g_file_test (vars, G_FILE_TEST_IS_REGULAR));
  hangar_test_start_and_wait_ready (fixture, machine);
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "shut-off", 20);
  hangar_dbus_machine1_call_delete_sync (machine, 0, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (vars, G_FILE_TEST_EXISTS));
}

/* ---- install trees ----------------------------------------------------------------- */

static void
test_identify_tree (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *tree = scratch (fixture, "tree");
  g_autofree char *pxe = g_build_filename (tree, "images", "pxeboot", NULL);
  g_autofree char *treeinfo = g_build_filename (tree, ".treeinfo", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *value = NULL;
  guint port = 0;

  g_mkdir_with_parents (pxe, 0700);
  g_file_set_contents (treeinfo,
                       "[general]\nfamily = Fedora\nversion = 36\narch = x86_64\nvariant = Server\n"
                       "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\n"
                       "initrd = images/pxeboot/initrd.img\n", -1, &error);
  g_assert_no_error (error);

  /* A closed port: the server cannot be reached. */
  port = hangar_test_free_port ();
  url = g_strdup_printf ("http://127.0.0.1:%u/tree/", port);
  hangar_dbus_host1_call_identify_tree_sync (fixture->host, url, &result, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED);
  g_test_message ("closed port: %s", error->message);
  g_clear_error (&error);

  server = hangar_test_http_server (fixture->root, port);
  hangar_dbus_host1_call_identify_tree_sync (fixture->host, url, &result, NULL, &error);
  g_assert_no_error (error);
  g_free (value), value = lookup_s (result, "os-id");
  g_assert_cmpstr (value, ==, "http://fedoraproject.org/fedora/36");
  g_free (value), value = lookup_s (result, "kernel");
  g_assert_true (g_str_has_suffix (value, "/tree/images/pxeboot/vmlinuz"));
  g_clear_pointer (&result, g_variant_unref);

  g_free (url), url = g_strdup_printf ("http://127.0.0.1:%u/nothing-here/", port);
  hangar_dbus_host1_call_identify_tree_sync (fixture->host, url, &result, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_subprocess_force_exit (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/hangar/create/" path, Fixture, NULL, setup, func, teardown)
  ADD ("identify-media", test_identify_media);
  ADD ("catalogue", test_catalogue);
  ADD ("names-and-folders", test_names_and_folders);
  ADD ("volumes", test_volumes);
  ADD ("identify-tree", test_identify_tree);
  ADD ("kernel-boot", test_create_kernel_boot);
  ADD ("uefi-boot", test_uefi_boot);
#undef ADD

  return g_test_run ();
}
