/* test-install.c: machines made by CreateMachine booting the tiny guest for real: from its
 * ISO on a CD-ROM (then, after the installer's reboot, from the disk), from an imported
 * raw or converted image, and from an install tree served over HTTP
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Apart from test-create.c so that meson runs the two at once: most of the time here is
 * QEMU under TCG, one CPU a guest.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"
#include "hangar-test-loop.h"

#define READY HANGAR_TEST_READY
#define REBOOT "HANGAR-GUEST-REBOOT"
#define BOOT_TIMEOUT HANGAR_TEST_BOOT_TIMEOUT
#define GUEST_CMDLINE "console=ttyS0 quiet panic=-1"

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

static char *
get_xml (HangarDBusMachine1 *machine)
{
  g_autoptr(GError) error = NULL;
  char *xml = NULL;

  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  return xml;
}

static guint
count_in_file (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  guint count = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    count++;
  return count;
}

/* A CreateVolume job with "name" in the default folder; returns the job, ended. */
static HangarDBusJob1 *
run_volume_job (Fixture  *fixture,
                GVariant *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job_path = NULL;
  HangarDBusJob1 *job;

  hangar_dbus_host1_call_create_volume_sync (fixture->host, options, &job_path, NULL, &error);
  g_assert_no_error (error);
  job = hangar_test_job_at (fixture, job_path);
  hangar_test_wait_job (job, 60);
  g_assert_cmpstr (hangar_dbus_job1_get_error (job), ==, "");
  g_assert_cmpstr (hangar_dbus_job1_get_state (job), ==, "completed");
  g_assert_cmpfloat (hangar_dbus_job1_get_progress (job), ==, 1.0);
  return job;
}

/* @source converted to a new qcow2 image @name by a job; returns the image's path. */
static char *
convert_to_qcow2 (Fixture    *fixture,
                  const char *source,
                  const char *name)
{
  GVariantDict dict;
  g_autoptr(HangarDBusJob1) job = NULL;
  g_autoptr(GVariant) media = NULL;
  g_autoptr(GError) error = NULL;
  const char *format = NULL;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert (&dict, "source", "s", source);
  job = run_volume_job (fixture, g_variant_dict_end (&dict));
  g_assert_cmpstr (hangar_dbus_job1_get_kind (job), ==, "convert-volume");
  hangar_dbus_host1_call_identify_media_sync (fixture->host, hangar_dbus_job1_get_result (job),
                                              &media, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (media, "format", "&s", &format));
  g_assert_cmpstr (format, ==, "qcow2");
  return g_strdup (hangar_dbus_job1_get_result (job));
}

static char *
blank_disk (Fixture    *fixture,
            const char *name)
{
  GVariantDict dict;
  g_autoptr(HangarDBusJob1) job = NULL;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert (&dict, "size", "t", (guint64) 64 << 20);
  job = run_volume_job (fixture, g_variant_dict_end (&dict));
  return g_strdup (hangar_dbus_job1_get_result (job));
}

static void
wait_pid_changed (HangarDBusMachine1 *machine,
                  guint               old_pid,
                  guint               timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (hangar_dbus_machine1_get_pid (machine) == old_pid ||
         hangar_dbus_machine1_get_pid (machine) == 0 ||
         !g_str_equal (hangar_dbus_machine1_get_state (machine), "running"))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("“%s” did not run again in a new QEMU within %u s (%s, pid %u)",
                 hangar_dbus_machine1_get_name (machine), timeout_s,
                 hangar_dbus_machine1_get_state (machine), hangar_dbus_machine1_get_pid (machine));
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
}

/* A CD-ROM install of the tiny guest: its ISO boots from the CD-ROM, says READY, reboots as an
 * installer does; the engine ejects the disc and the same QEMU boots the disk, which here holds
 * the tiny guest too (tiny.iso made qcow2 by a convert job): READY a second time, and no
 * second reboot, which the disc would have made.
 *
 * With @data, the disc is in a host drive: a read-only loop device over the ISO stands in for
 * one (no machine here has an optical drive), skipped where no loop device can be made. */
static void
test_cdrom_install (Fixture       *fixture,
                    gconstpointer  data)
{
  gboolean in_drive = GPOINTER_TO_INT (data);
  g_autofree char *iso = hangar_test_guest_file ("tiny-reboot.iso");
  g_autofree char *tiny_iso = hangar_test_guest_file ("tiny.iso");
  g_autofree char *disk = NULL;
  g_autofree char *drive = NULL;
  const char *installer = iso;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *after = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *live_path = NULL;
  g_autofree char *live = NULL;
  GVariantDict dict;
  gint64 started;
  guint pid;

  if (in_drive)
    {
      g_autoptr(GVariant) media = NULL;
      const char *value = NULL;

      drive = hangar_test_loop_attach (iso, &error);
      if (drive == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("no loop device to stand in for a CD/DVD "
                                                     "drive: %s", error->message);
          g_test_skip (reason);
          return;
        }
      installer = drive;
      g_test_message ("the tiny guest's ISO in %s", drive);
      /* The disc in the drive is identified as the ISO is. */
      hangar_dbus_host1_call_identify_media_sync (fixture->host, drive, &media, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_variant_lookup (media, "kind", "&s", &value));
      g_assert_cmpstr (value, ==, "installer");
      g_assert_true (g_variant_lookup (media, "volume-id", "&s", &value));
      g_assert_true (g_str_has_prefix (value, "HANGAR"));
    }
  disk = convert_to_qcow2 (fixture, tiny_iso, "installed.qcow2");

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", "installing");
  g_variant_dict_insert (&dict, "install", "s", "cdrom");
  g_variant_dict_insert (&dict, "media", "s", installer);
  g_variant_dict_insert (&dict, "disk", "s", disk);
  g_variant_dict_insert (&dict, "memory-kib", "t", (guint64) 128 * 1024);
  g_variant_dict_insert (&dict, "vcpus", "u", 1);
  g_variant_dict_insert (&dict, "firmware", "s", "bios");
  machine = hangar_test_create_machine (fixture, g_variant_dict_end (&dict), &error);
  g_assert_no_error (error);
  xml = get_xml (machine);
  g_assert_nonnull (strstr (xml, "phase=\"cdrom\""));
  g_assert_nonnull (strstr (xml, "<boot dev=\"cdrom\"/>\n    <boot dev=\"hd\"/>"));
  g_assert_nonnull (strstr (xml, installer));
  if (in_drive)
    g_assert_nonnull (strstr (xml, "<disk type=\"block\" device=\"cdrom\">"));

  started = g_get_monotonic_time ();
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 5);
  pid = hangar_dbus_machine1_get_pid (machine);
  g_assert_cmpuint (pid, >, 0);
  serial = hangar_test_serial_log_path (fixture, machine);
  hangar_test_wait_serial (fixture, machine, READY, 1, BOOT_TIMEOUT);
  g_test_message ("READY from the CD-ROM after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
  hangar_test_wait_serial (fixture, machine, REBOOT, 1, 10);
  started = g_get_monotonic_time ();
  hangar_test_wait_serial (fixture, machine, READY, 2, BOOT_TIMEOUT);
  g_test_message ("READY from the disk %" G_GINT64_FORMAT " ms after the reboot",
                  (g_get_monotonic_time () - started) / 1000);
  g_assert_cmpuint (count_in_file (serial, REBOOT), ==, 1);

  /* The same QEMU, running; the definition and what QEMU runs have no disc. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, pid);
  g_assert_true (hangar_test_pid_alive (pid));
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "running");
  after = get_xml (machine);
  g_assert_null (strstr (after, "phase="));
  g_assert_null (strstr (after, installer));
  g_assert_null (strstr (after, "<boot dev=\"cdrom\"/>"));
  g_assert_nonnull (strstr (after, "<boot dev=\"hd\"/>"));
  g_assert_nonnull (strstr (after, "device=\"cdrom\""));
  live_path = g_build_filename (fixture->runtime_dir, "hangar",
                                hangar_dbus_machine1_get_uuid (machine), "live.xml", NULL);
  g_assert_true (g_file_get_contents (live_path, &live, NULL, NULL));
  g_assert_null (strstr (live, installer));
  g_assert_null (strstr (live, "phase="));

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "shut-off", 10);
  hangar_test_loop_detach (drive);
}

static HangarDBusMachine1 *
import (Fixture    *fixture,
        const char *name,
        const char *disk)
{
  GVariantDict dict;
  g_autoptr(GError) error = NULL;
  HangarDBusMachine1 *machine;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert (&dict, "install", "s", "import");
  g_variant_dict_insert (&dict, "disk", "s", disk);
  g_variant_dict_insert (&dict, "memory-kib", "t", (guint64) 128 * 1024);
  g_variant_dict_insert (&dict, "vcpus", "u", 1);
  machine = hangar_test_create_machine (fixture, g_variant_dict_end (&dict), &error);
  g_assert_no_error (error);
  return machine;
}

/* Import: the hybrid ISO copied as a raw disk boots in place; converted to qcow2 by a job, it
 * boots too. Both machines at once. */
static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *tiny_iso = hangar_test_guest_file ("tiny.iso");
  g_autofree char *raw = scratch (fixture, "tiny-disk.img");
  g_autofree char *converted = NULL;
  g_autoptr(HangarDBusMachine1) in_place = NULL;
  g_autoptr(HangarDBusMachine1) from_qcow2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw_xml = NULL;
  g_autofree char *qcow2_xml = NULL;
  gint64 started;

  hangar_test_copy_file (tiny_iso, raw);
  converted = convert_to_qcow2 (fixture, raw, "tiny-disk.qcow2");
  g_assert_true (g_str_has_prefix (converted,
                                   hangar_dbus_host1_get_default_image_folder (fixture->host)));

  in_place = import (fixture, "imported-raw", raw);
  from_qcow2 = import (fixture, "imported-qcow2", converted);
  raw_xml = get_xml (in_place);
  g_assert_nonnull (strstr (raw_xml, "type=\"raw\""));
  g_assert_nonnull (strstr (raw_xml, raw));
  qcow2_xml = get_xml (from_qcow2);
  g_assert_nonnull (strstr (qcow2_xml, "type=\"qcow2\""));
  g_assert_null (strstr (qcow2_xml, "phase="));

  started = g_get_monotonic_time ();
  hangar_dbus_machine1_call_start_sync (in_place, NULL, &error);
  g_assert_no_error (error);
  hangar_dbus_machine1_call_start_sync (from_qcow2, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_serial (fixture, in_place, READY, 1, BOOT_TIMEOUT);
  hangar_test_wait_serial (fixture, from_qcow2, READY, 1, BOOT_TIMEOUT);
  g_test_message ("both imported disks READY after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
}

/* qemu-img convert -O @format: an image as another hypervisor would hand it over. */
static char *
image_as (Fixture    *fixture,
          const char *raw,
          const char *format)
{
  g_autofree char *name = g_strdup_printf ("tiny-disk.%s", format);
  char *path = scratch (fixture, name);
  const char *argv[] = { "qemu-img", "convert", "-q", "-O", format, raw, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return path;
}

/* VMware's and VirtualBox's images boot in place; a Hyper-V vhdx is refused in place (libvirt
 * has no such disk type) with the way out named. */
static void
test_import_formats (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *tiny_iso = hangar_test_guest_file ("tiny.iso");
  g_autofree char *raw = scratch (fixture, "tiny-source.img");
  g_autofree char *vmdk = NULL, *vdi = NULL, *vhdx = NULL;
  g_autoptr(HangarDBusMachine1) from_vmdk = NULL;
  g_autoptr(HangarDBusMachine1) from_vdi = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  GVariantDict dict;

  hangar_test_copy_file (tiny_iso, raw);
  vmdk = image_as (fixture, raw, "vmdk");
  vdi = image_as (fixture, raw, "vdi");
  vhdx = image_as (fixture, raw, "vhdx");

  from_vmdk = import (fixture, "imported-vmdk", vmdk);
  from_vdi = import (fixture, "imported-vdi", vdi);
  xml = get_xml (from_vmdk);
  g_assert_nonnull (strstr (xml, "type=\"vmdk\""));
  hangar_dbus_machine1_call_start_sync (from_vmdk, NULL, &error);
  g_assert_no_error (error);
  hangar_dbus_machine1_call_start_sync (from_vdi, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_serial (fixture, from_vmdk, READY, 1, BOOT_TIMEOUT);
  hangar_test_wait_serial (fixture, from_vdi, READY, 1, BOOT_TIMEOUT);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", "imported-vhdx");
  g_variant_dict_insert (&dict, "install", "s", "import");
  g_variant_dict_insert (&dict, "disk", "s", vhdx);
  g_assert_null (hangar_test_create_machine (fixture, g_variant_dict_end (&dict), &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "convert"));
}

/* A network install: an install tree on a local HTTP server holds the tiny guest's kernel and
 * initramfs as its installer; CreateMachine downloads them into the machine's folder and the
 * guest boots them. At its reboot the engine removes them and restarts QEMU on the disk. */
/* An install tree in the fixture's folder "tree": the layout libosinfo reads, [images-ARCH]
 * naming the tiny guest's kernel and initramfs as the installer's. */
static void
make_tree (Fixture *fixture)
{
  g_autofree char *tree = scratch (fixture, "tree");
  g_autofree char *pxe = g_build_filename (tree, "images", "pxeboot", NULL);
  g_autofree char *treeinfo = g_build_filename (tree, ".treeinfo", NULL);
  g_autofree char *vmlinuz = hangar_test_guest_file ("vmlinuz");
  g_autofree char *initramfs = hangar_test_guest_file ("initramfs.img");
  g_autofree char *tree_kernel = g_build_filename (pxe, "vmlinuz", NULL);
  g_autofree char *tree_initrd = g_build_filename (pxe, "initrd.img", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (pxe, 0700), ==, 0);
  g_file_set_contents (treeinfo,
                       "[header]\nversion = 1.2\n"
                       "[general]\nfamily = Hangar tiny guest\nversion = 1\narch = x86_64\n"
                       "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\n"
                       "initrd = images/pxeboot/initrd.img\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink (vmlinuz, tree_kernel), ==, 0);
  g_assert_cmpint (symlink (initramfs, tree_initrd), ==, 0);
}

static void
test_url_install (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *vmlinuz = hangar_test_guest_file ("vmlinuz");
  g_autofree char *initramfs = hangar_test_guest_file ("initramfs.img");
  g_autofree char *disk = blank_disk (fixture, "from-url.qcow2");
  guint port = hangar_test_free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/tree", port);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GVariant) found = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *after = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autofree char *expected = NULL;
  const char *value = NULL;
  GStatBuf source_stat, copy_stat;
  GVariantDict dict;
  gint64 started;
  guint pid;

  make_tree (fixture);
  server = hangar_test_http_server (fixture->root, port);

  hangar_dbus_host1_call_identify_tree_sync (fixture->host, url, &found, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (found, "os-id", "&s", &value));
  g_assert_cmpstr (value, ==, "generic");
  g_assert_true (g_variant_lookup (found, "kernel", "&s", &value));
  expected = g_strdup_printf ("%s/images/pxeboot/vmlinuz", url);
  g_assert_cmpstr (value, ==, expected);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", "from-url");
  g_variant_dict_insert (&dict, "install", "s", "url");
  g_variant_dict_insert (&dict, "url", "s", url);
  g_variant_dict_insert (&dict, "kernel-args", "s", GUEST_CMDLINE " hangar.reboot");
  g_variant_dict_insert (&dict, "disk", "s", disk);
  g_variant_dict_insert (&dict, "memory-kib", "t", (guint64) 128 * 1024);
  g_variant_dict_insert (&dict, "vcpus", "u", 1);
  g_variant_dict_insert (&dict, "firmware", "s", "bios");
  machine = hangar_test_create_machine (fixture, g_variant_dict_end (&dict), &error);
  g_assert_no_error (error);
  g_subprocess_force_exit (server);

  /* Downloaded whole into the machine's own folder. */
  kernel = g_build_filename (fixture->data_dir, "hangar", "machines",
                             hangar_dbus_machine1_get_uuid (machine), "installer-kernel", NULL);
  initrd = g_build_filename (fixture->data_dir, "hangar", "machines",
                             hangar_dbus_machine1_get_uuid (machine), "installer-initrd", NULL);
  g_assert_cmpint (g_stat (vmlinuz, &source_stat), ==, 0);
  g_assert_cmpint (g_stat (kernel, &copy_stat), ==, 0);
  g_assert_cmpint (copy_stat.st_size, ==, source_stat.st_size);
  g_assert_cmpint (g_stat (initramfs, &source_stat), ==, 0);
  g_assert_cmpint (g_stat (initrd, &copy_stat), ==, 0);
  g_assert_cmpint (copy_stat.st_size, ==, source_stat.st_size);
  xml = get_xml (machine);
  g_assert_nonnull (strstr (xml, "phase=\"kernel\""));
  g_assert_nonnull (strstr (xml, kernel));

  started = g_get_monotonic_time ();
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 5);
  pid = hangar_dbus_machine1_get_pid (machine);
  hangar_test_wait_serial (fixture, machine, READY, 1, BOOT_TIMEOUT);
  g_test_message ("READY from the downloaded kernel after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);

  /* The installer's reboot: its files go, QEMU starts again on the (blank) disk. */
  wait_pid_changed (machine, pid, 20);
  g_assert_false (g_file_test (kernel, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (initrd, G_FILE_TEST_EXISTS));
  after = get_xml (machine);
  g_assert_null (strstr (after, "phase="));
  g_assert_null (strstr (after, "<kernel>"));
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
}

/* ---- hangarctl create --location and --pxe --------------------------------------------- */

/* No image, no machine, no machine data folder (where an install tree's files go). */
static void
assert_nothing_made (Fixture    *fixture,
                     const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *machines = g_build_filename (fixture->data_dir, "hangar", "machines", NULL);

  g_assert_cmpuint (hangar_test_count_files (hangar_dbus_host1_get_default_image_folder (
                                               fixture->host)), ==, 0);
  g_assert_cmpuint (hangar_test_count_files (machines), ==, 0);
  g_assert_false (hangar_dbus_host1_call_lookup_machine_sync (fixture->host, name, &path, NULL,
                                                              &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
}

/* `hangarctl create --location`: a tree on a closed local port is refused with the reason and
 * nothing is made; served, its installer boots with --extra-args, and at its reboot the
 * engine drops it and boots the disk, as CreateMachine's url install does. */
static void
test_ctl_location (Fixture       *fixture,
                   gconstpointer  data)
{
  guint port = hangar_test_free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/tree", port);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *after = NULL;
  g_autofree char *kernel = NULL;
  guint pid;

  make_tree (fixture);
  g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "create", "--name", "ctl-url",
                                        "--location", url, "--disk-size", "0.0625", NULL), ==, 1);
  g_test_message ("closed port: %s", err);
  g_assert_nonnull (strstr (err, url));
  g_assert_nonnull (strstr (err, "[Failed]"));
  assert_nothing_made (fixture, "ctl-url");
  /* With --os, the tree is first read by CreateMachine, after the disk was made: it goes. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hangar_test_run_ctl (fixture, NULL, &err, "create", "--name", "ctl-url",
                                        "--os", "generic", "--location", url, "--disk-size",
                                        "0.0625", NULL), ==, 1);
  g_test_message ("closed port, --os given: %s", err);
  g_assert_nonnull (strstr (err, "Removed the disk image"));
  g_assert_nonnull (strstr (err, "[Failed]"));
  assert_nothing_made (fixture, "ctl-url");

  server = hangar_test_http_server (fixture->root, port);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "create", "--name", "ctl-url",
                                        "--location", url, "--extra-args",
                                        GUEST_CMDLINE " hangar.reboot", "--memory", "128",
                                        "--vcpus", "1", "--disk-size", "0.0625", "--firmware",
                                        "bios", "--start", NULL), ==, 0);
  g_test_message ("create --location: %s%s", out, err);
  g_subprocess_force_exit (server);
  g_assert_nonnull (strstr (out, "Machine ctl-url created"));
  g_assert_nonnull (strstr (out, "Machine ctl-url started"));
  machine = hangar_test_lookup (fixture, "ctl-url");
  xml = get_xml (machine);
  g_assert_nonnull (strstr (xml, "phase=\"kernel\""));
  g_assert_nonnull (strstr (xml, "<cmdline>" GUEST_CMDLINE " hangar.reboot</cmdline>"));
  kernel = g_build_filename (fixture->data_dir, "hangar", "machines",
                             hangar_dbus_machine1_get_uuid (machine), "installer-kernel", NULL);
  g_assert_nonnull (strstr (xml, kernel));

  hangar_test_wait_state (machine, "running", 5);
  pid = hangar_dbus_machine1_get_pid (machine);
  hangar_test_wait_serial (fixture, machine, READY, 1, BOOT_TIMEOUT);
  wait_pid_changed (machine, pid, 20);
  g_assert_false (g_file_test (kernel, G_FILE_TEST_EXISTS));
  after = get_xml (machine);
  g_assert_null (strstr (after, "phase="));
  g_assert_null (strstr (after, "<kernel>"));
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
}

/* The words of QEMU's command line, from /proc. */
static char **
qemu_argv (guint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/cmdline", pid);
  g_autofree char *contents = NULL;
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize at = 0; at < length; at += strlen (contents + at) + 1)
    g_strv_builder_add (words, contents + at);
  return g_strv_builder_end (words);
}

/* `hangarctl create --pxe`: the network boots first. Nothing here serves PXE (only loopback
 * networking: user-mode NAT's DHCP answers, with no boot file), so the network card's boot ROM
 * runs, finds nothing and the machine stays up. With BIOS, QEMU is told so (-boot order=n…);
 * OVMF reads only devices' bootindex and says on the serial console what it tries: the
 * network card, before the disk. */
static void
test_ctl_pxe (Fixture       *fixture,
              gconstpointer  data)
{
  const char *firmware = data;
  g_autofree char *name = g_strdup_printf ("ctl-pxe-%s", firmware);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *xml = NULL;
  g_auto(GStrv) words = NULL;
  gint64 until;
  guint pid;

  if (!g_strv_contains (hangar_dbus_host1_get_firmwares (fixture->host), firmware))
    {
      g_test_skip ("no OVMF on this host: install the package ovmf");
      return;
    }
  g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "create", "--name", name,
                                        "--pxe", "--network", "none", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--pxe"));
  assert_nothing_made (fixture, name);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "create", "--name", name, "--pxe",
                                        "--memory", "128", "--vcpus", "1", "--disk-size",
                                        "0.0625", "--firmware", firmware, "--start", NULL), ==, 0);
  g_test_message ("create --pxe: %s%s", out, err);
  g_assert_nonnull (strstr (out, "started"));
  machine = hangar_test_lookup (fixture, name);
  xml = get_xml (machine);
  g_assert_nonnull (strstr (xml, "<boot dev=\"network\"/>\n    <boot dev=\"hd\"/>"));
  g_assert_nonnull (strstr (xml, "<interface type=\"user\">"));
  g_assert_null (strstr (xml, "phase="));
  hangar_test_wait_state (machine, "running", 5);
  pid = hangar_dbus_machine1_get_pid (machine);

  if (g_str_equal (firmware, "bios"))
    {
      words = qemu_argv (pid);
      g_assert_true (g_strv_contains ((const char * const *) words, "order=nc,menu=off"));
      until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
      while (g_get_monotonic_time () < until)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (10000);
    }
  else
    {
      g_autofree char *serial = hangar_test_serial_log_path (fixture, machine);
      g_autofree char *log = NULL;
      const char *pxe, *disk;

      hangar_test_wait_serial (fixture, machine, "UEFI PXEv4", 1, BOOT_TIMEOUT);
      g_assert_true (g_file_get_contents (serial, &log, NULL, NULL));
      pxe = strstr (log, "UEFI PXEv4");
      disk = strstr (log, "HARDDISK");
      g_test_message ("OVMF tried the %s first", disk != NULL && disk < pxe ? "disk" : "network");
      g_assert_true (disk == NULL || disk > pxe);
    }
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "running");
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, pid);
  g_assert_true (hangar_test_pid_alive (pid));
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/hangar/install/" path, Fixture, NULL, setup, func, teardown)
  g_test_add ("/hangar/install/cdrom", Fixture, GINT_TO_POINTER (FALSE), setup,
              test_cdrom_install, teardown);
  g_test_add ("/hangar/install/cdrom-drive", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_cdrom_install, teardown);
  ADD ("import", test_import);
  ADD ("import-formats", test_import_formats);
  ADD ("url", test_url_install);
  ADD ("ctl-location", test_ctl_location);
  g_test_add ("/hangar/install/ctl-pxe-bios", Fixture, "bios", setup, test_ctl_pxe, teardown);
  g_test_add ("/hangar/install/ctl-pxe-uefi", Fixture, "uefi", setup, test_ctl_pxe, teardown);
#undef ADD

  return g_test_run ();
}
