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
#include <unistd.h>

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

/* "for-machine": the engine names the image after the machine, whatever its name. */
static void
test_volume_names (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct { const char *machine; const char *format; const char *file; } cases[] = {
    { "debian11", "qcow2", "debian11.qcow2" },
    { "Build & Test", "qcow2", "Build & Test.qcow2" },
    { "a,file=/etc/passwd", "qcow2", "a,file=_etc_passwd.qcow2" },
    { "..", "qcow2", "_..qcow2" },
    { ".hidden", "raw", "_hidden.img" },
    { "two\nlines", "qcow2", "two_lines.qcow2" },
    { "café", "qcow2", "café.qcow2" },
  };
  const char *folder = hangar_dbus_host1_get_default_image_folder (fixture->host);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *job_path = NULL;
      g_autofree char *expected = g_build_filename (folder, cases[i].file, NULL);
      g_autoptr(HangarDBusJob1) job = NULL;
      GVariantDict dict;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "for-machine", "s", cases[i].machine);
      g_variant_dict_insert (&dict, "format", "s", cases[i].format);
      g_variant_dict_insert (&dict, "size", "t", (guint64) 1 << 20);
      job_path = create_volume (fixture, g_variant_dict_end (&dict), &error);
      g_assert_no_error (error);
      job = hangar_test_job_at (fixture, job_path);
      hangar_test_wait_job (job, 60);
      g_assert_cmpstr (hangar_dbus_job1_get_state (job), ==, "completed");
      g_assert_cmpstr (hangar_dbus_job1_get_result (job), ==, expected);
      g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
    }

  /* The same machine name twice: the file exists, nothing is overwritten. */
  {
    GVariantDict dict;

    g_variant_dict_init (&dict, NULL);
    g_variant_dict_insert (&dict, "for-machine", "s", "debian11");
    g_variant_dict_insert (&dict, "size", "t", (guint64) 1 << 20);
    g_free (create_volume (fixture, g_variant_dict_end (&dict), &error));
    g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS);
    g_clear_error (&error);

    /* Two ways of naming at once are refused. */
    g_variant_dict_init (&dict, NULL);
    g_variant_dict_insert (&dict, "for-machine", "s", "x");
    g_variant_dict_insert (&dict, "name", "s", "x.qcow2");
    g_variant_dict_insert (&dict, "size", "t", (guint64) 1 << 20);
    g_free (create_volume (fixture, g_variant_dict_end (&dict), &error));
    g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  }
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

/* ---- host CD/DVD drives --------------------------------------------------------------- */

static void
assert_cdrom_refused (Fixture    *fixture,
                      const char *media,
                      int         code,
                      const char *fragment)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", "from-drive");
  g_variant_dict_insert (&dict, "install", "s", "cdrom");
  g_variant_dict_insert (&dict, "media", "s", media);
  machine = hangar_test_create_machine (fixture, g_variant_dict_end (&dict), &error);
  g_assert_null (machine);
  g_assert_error (error, HANGAR_ERROR, code);
  g_test_message ("%s: %s", media, error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

/* A free loop device, not attached to anything: a drive with no disc. */
static char *
free_loop_device (void)
{
  g_autofree char *out = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync ("losetup --find", &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strdup (g_strstrip (out));
}

/* ListOpticalDrives lists /dev/sr*; what is not a drive with a disc is refused as a CD-ROM,
 * by name, and nothing is made. (A drive with a disc boots: test-install.c.) */
static void
test_optical_drives (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(GStrv) drives = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dev = g_dir_open ("/dev", 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) media = NULL;
  g_autofree char *loop = NULL;
  const char *name;

  hangar_dbus_host1_call_list_optical_drives_sync (fixture->host, &drives, NULL, &error);
  g_assert_no_error (error);
  while (dev != NULL && (name = g_dir_read_name (dev)) != NULL)
    if (g_str_has_prefix (name, "sr") && g_ascii_isdigit (name[2]))
      g_ptr_array_add (expected, g_build_filename ("/dev", name, NULL));
  g_test_message ("%u optical drives here", g_strv_length (drives));
  g_assert_cmpuint (g_strv_length (drives), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_true (g_strv_contains ((const char * const *) drives,
                                    g_ptr_array_index (expected, i)));

  /* A character device is neither an image nor a drive. */
  assert_cdrom_refused (fixture, "/dev/null", HANGAR_ERROR_INVALID_ARGUMENT,
                        "neither an image file nor a disc drive");
  media = identify (fixture, "/dev/null", &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A loop device with nothing attached: a drive with no disc, or one the user cannot read. */
  loop = free_loop_device ();
  if (loop == NULL)
    g_test_message ("no free loop device: the empty and unreadable drives are not tried");
  else if (access (loop, R_OK) == 0)
    {
      assert_cdrom_refused (fixture, loop, HANGAR_ERROR_NOT_FOUND, "There is no disc in");
      g_test_message ("running as root, who reads every device: an unreadable drive is not "
                      "tried");
    }
  else
    assert_cdrom_refused (fixture, loop, HANGAR_ERROR_PERMISSION_DENIED, "cannot be read");

  g_assert_cmpuint (hangar_test_count_files (hangar_dbus_host1_get_default_image_folder (
                                               fixture->host)), ==, 0);
  g_assert_false (hangar_dbus_host1_call_lookup_machine_sync (fixture->host, "from-drive", NULL,
                                                              NULL, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
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

/* ---- hangarctl create, os-list, identify ------------------------------------------------ */

#define CTL_OK(out, err, ...) \
  g_assert_cmpint (hangar_test_run_ctl (fixture, out, err, __VA_ARGS__, NULL), ==, 0)

static int
run_ctl_err (Fixture    *fixture,
             char      **err,
             const char *first_arg,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return hangar_test_run_ctlv (fixture, NULL, err, (const char * const *) args->pdata);
}

static char *
image_path (Fixture    *fixture,
            const char *file_name)
{
  return g_build_filename (hangar_dbus_host1_get_default_image_folder (fixture->host), file_name,
                           NULL);
}

/* Usage errors come before the engine is reached: exit status 2, the reason on stderr. */
static void
test_ctl_create_usage (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const bad[][6] = {
    { "--cdrom", "a.iso", NULL },
    { "--name", "x", NULL },
    { "--name", "x", "--cdrom", "a.iso", "--pxe", NULL },
    { "--name", "x", "--cdrom", "a.iso", "--disk-size", "0" },
    { "--name", "x", "--import", "a.img", "--disk-size", "3" },
    { "--name", "x", "--kernel", "k", "--firmware", "efi" },
    { "--name", "x", "--kernel", "k", "--no-such-option", NULL },
    { "--name", "x", "--location", "not-a-url", NULL },
    { "--name", "x", "--cdrom", "a.iso", "--convert", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_ctl_err (fixture, &err, "create", bad[i][0], bad[i][1], bad[i][2],
                                    bad[i][3], bad[i][4], bad[i][5], NULL), ==, 2);
      g_assert_true (g_str_has_prefix (err, "hangarctl create: "));
    }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_ctl_err (fixture, &err, "identify", NULL), ==, 2);
  }
  g_assert_cmpuint (hangar_test_count_files (hangar_dbus_host1_get_default_image_folder (
                                               fixture->host)), ==, 0);
}

/* A direct kernel boot with a new disk, started: the disk's progress on stderr, READY. Then
 * the engine's refusals, each with its message, and nothing left behind. */
static void
test_ctl_create (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *kernel = hangar_test_guest_file ("vmlinuz");
  g_autofree char *initrd = hangar_test_guest_file ("initramfs.img");
  g_autofree char *iso = hangar_test_guest_file ("tiny.iso");
  g_autofree char *raw = scratch (fixture, "tiny.img");
  g_autofree char *image = image_path (fixture, "ctl-kernel.qcow2");
  g_autofree char *converted = image_path (fixture, "ctl,import.qcow2");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  CTL_OK (&out, &err, "create", "--name", "ctl-kernel", "--memory", "128", "--vcpus", "1",
          "--kernel", kernel, "--initrd", initrd, "--cmdline", "console=ttyS0 quiet panic=-1",
          "--disk-size", "0.0625", "--start");
  g_test_message ("create: %s%s", out, err);
  g_assert_nonnull (strstr (out, "Machine ctl-kernel created"));
  g_assert_nonnull (strstr (out, "Machine ctl-kernel started"));
  g_assert_nonnull (strstr (err, "ctl-kernel.qcow2: 100 %"));
  g_assert_true (g_file_test (image, G_FILE_TEST_IS_REGULAR));
  machine = hangar_test_lookup (fixture, "ctl-kernel");
  hangar_test_wait_state (machine, "running", 5);
  hangar_test_wait_serial (fixture, machine, READY, 1, BOOT_TIMEOUT);
  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, image));
  g_assert_cmpuint (hangar_dbus_machine1_get_memory_kib (machine), ==, 128 * 1024);

  /* The name is checked first: an existing one leaves no image behind. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl_err (fixture, &err, "create", "--name", "ctl-kernel", "--kernel", kernel,
                                "--disk-size", "1", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "AlreadyExists"));
  g_assert_cmpuint (hangar_test_count_files (hangar_dbus_host1_get_default_image_folder (
                                               fixture->host)), ==, 1);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl_err (fixture, &err, "create", "--name", "no-os", "--os", "nosuchos42",
                                "--kernel", kernel, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "nosuchos42"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl_err (fixture, &err, "create", "--name", "no-media", "--cdrom",
                                "/nonexistent/hangar.iso", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "NotFound"));
  /* Refused by CreateMachine after the image was made: the image goes. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl_err (fixture, &err, "create", "--name", "too-big", "--memory",
                                "1073741824", "--kernel", kernel, "--disk-size", "0.0625",
                                NULL), ==, 1);
  g_assert_nonnull (strstr (err, "memory-kib"));
  g_assert_cmpuint (hangar_test_count_files (hangar_dbus_host1_get_default_image_folder (
                                               fixture->host)), ==, 1);

  /* The OS by its short id; a CD-ROM with no disk; an import converted to qcow2. */
  g_clear_pointer (&out, g_free);
  CTL_OK (&out, NULL, "create", "--name", "ctl-iso", "--os", "debian11", "--cdrom", iso,
          "--no-disk", "--memory", "128");
  g_clear_object (&machine);
  machine = hangar_test_lookup (fixture, "ctl-iso");
  g_assert_cmpstr (hangar_dbus_machine1_get_os_id (machine), ==, DEBIAN_11);
  g_clear_pointer (&xml, g_free);
  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, iso));
  g_assert_null (strstr (xml, "device=\"disk\""));

  hangar_test_copy_file (iso, raw);
  CTL_OK (NULL, NULL, "create", "--name", "ctl,import", "--import", raw, "--convert",
          "--memory", "128", "--network", "none");
  g_assert_true (g_file_test (converted, G_FILE_TEST_IS_REGULAR));
  g_clear_object (&machine);
  machine = hangar_test_lookup (fixture, "ctl,import");
  g_clear_pointer (&xml, g_free);
  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, "type=\"qcow2\""));
  g_assert_null (strstr (xml, "<interface"));
}

static gboolean
read_until_percent (GDataInputStream *stream)
{
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, NULL);

      if (line == NULL)
        return FALSE;
      if (strstr (line, " %") != NULL)
        return TRUE;
    }
}

/* Ctrl+C while the disk is being made: the job is cancelled, no file and no machine remain. */
static void
test_ctl_create_interrupted (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *kernel = hangar_test_guest_file ("vmlinuz");
  g_autofree char *image = image_path (fixture, "ctl-big.qcow2");
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_auto(GStrv) env = hangar_test_engine_environ (fixture);
  g_autoptr(GSubprocess) ctl = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *rest = NULL;

  g_subprocess_launcher_set_environ (launcher, env);
  ctl = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGARCTL"), "create",
                                     "--name", "ctl-big", "--kernel", kernel, "--disk-size", "4",
                                     "--preallocation", "full", NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (ctl));
  g_assert_true (read_until_percent (err));
  g_subprocess_send_signal (ctl, SIGINT);
  rest = g_data_input_stream_read_upto (err, "", 0, NULL, NULL, NULL);
  g_subprocess_wait (ctl, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("after Ctrl+C: %s", rest ? rest : "");
  g_assert_true (g_subprocess_get_if_exited (ctl));
  g_assert_cmpint (g_subprocess_get_exit_status (ctl), ==, 1);
  g_assert_false (g_file_test (image, G_FILE_TEST_EXISTS));
  g_assert_false (hangar_dbus_host1_call_lookup_machine_sync (fixture->host, "ctl-big", &path,
                                                              NULL, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
}

static void
test_ctl_os_list_identify (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *iso = hangar_test_guest_file ("tiny.iso");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  CTL_OK (&out, NULL, "os-list", "debian", "11");
  g_assert_nonnull (strstr (out, "debian11"));
  g_assert_nonnull (strstr (out, DEBIAN_11));
  g_assert_cmpint (run_ctl_err (fixture, &err, "os-list", "no such system at all 42", NULL), ==, 1);

  g_clear_pointer (&out, g_free);
  CTL_OK (&out, NULL, "identify", iso);
  g_assert_nonnull (strstr (out, "HANGAR_TINY_GUEST"));
  g_assert_nonnull (strstr (out, "generic"));
  g_assert_true (g_regex_match_simple ("^format +raw$", out, G_REGEX_MULTILINE, 0));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl_err (fixture, &err, "identify", "/nonexistent/x.iso", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "NotFound"));
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
  ADD ("volume-names", test_volume_names);
  ADD ("optical-drives", test_optical_drives);
  ADD ("identify-tree", test_identify_tree);
  ADD ("kernel-boot", test_create_kernel_boot);
  ADD ("uefi-boot", test_uefi_boot);
  ADD ("ctl-usage", test_ctl_create_usage);
  ADD ("ctl-create", test_ctl_create);
  ADD ("ctl-interrupted", test_ctl_create_interrupted);
  ADD ("ctl-os-list-identify", test_ctl_os_list_identify);
#undef ADD

  return g_test_run ();
}
