/* test-ownership.c: deleting a machine removes only the images Hangar made for it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Disks are never lost": Delete with DELETE_DISK_IMAGES takes the image
 * Hangar made (CreateVolume) and nothing the user gave: an ISO, an imported disk, a
 * disk another machine shares, a read-only or shareable disk keep their bytes. A
 * failed import, a failed install and a cancelled conversion delete nothing the user
 * gave either. Prints how many files that were not Hangar's were deleted.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

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

typedef struct
{
  char *path;
  char *sum;
} UserFile;

static char *
checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* A large sparse file's size and first 8 KiB, where its bytes are. */
static char *
head_and_size (const char *path)
{
  char head[8192] = { 0 };
  GStatBuf st;
  int fd = open (path, O_RDONLY);
  ssize_t got;

  g_assert_cmpint (fd, >=, 0);
  got = read (fd, head, sizeof head);
  close (fd);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return g_strdup_printf ("%zd %" G_GINT64_FORMAT " %s", got, (gint64) st.st_size, head + 4096);
}

/* A file of the user's, with its own bytes; remembered to be checked at the end. */
static const char *
user_file (Fixture    *fixture,
           GArray     *files,
           const char *name)
{
  UserFile file;
  g_autofree char *text = g_strdup_printf ("%s, the user's own bytes\n", name);

  file.path = g_build_filename (fixture->root, name, NULL);
  g_assert_true (g_file_set_contents (file.path, text, -1, NULL));
  file.sum = checksum (file.path);
  g_array_append_val (files, file);
  return file.path;
}

/* How many of the user's files are gone or changed. */
static guint
user_files_lost (GArray *files)
{
  guint lost = 0;

  for (guint i = 0; i < files->len; i++)
    {
      UserFile *file = &g_array_index (files, UserFile, i);
      g_autofree char *now = checksum (file->path);

      if (g_strcmp0 (now, file->sum) != 0)
        {
          g_test_message ("lost: %s", file->path);
          lost++;
        }
    }
  return lost;
}

static void
user_file_clear (gpointer data)
{
  UserFile *file = data;

  g_free (file->path);
  g_free (file->sum);
}

static char *
disk_xml (const char *device,
          const char *path,
          const char *target,
          const char *extra)
{
  g_autofree char *escaped = g_markup_escape_text (path, -1);

  return g_strdup_printf ("<disk type='file' device='%s'><driver name='qemu' type='raw'/>"
                          "<source file='%s'/><target dev='%s' bus='virtio'/>%s</disk>",
                          device, escaped, target, extra);
}

static GVariant *
import_options (const char *name,
                const char *disk)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert (&dict, "memory-kib", "t", (guint64) 128 * 1024);
  g_variant_dict_insert (&dict, "vcpus", "u", 1);
  g_variant_dict_insert (&dict, "install", "s", "import");
  g_variant_dict_insert (&dict, "disk", "s", disk);
  return g_variant_dict_end (&dict);
}

static void
test_delete_owned_only (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GArray) files = g_array_new (FALSE, TRUE, sizeof (UserFile));
  g_autofree char *made = g_build_filename (fixture->root, "made.img", NULL);
  g_autofree char *made_shared = g_build_filename (fixture->root, "made-shared.img", NULL);
  g_autofree char *made_readonly = g_build_filename (fixture->root, "made-readonly.img", NULL);
  g_autofree char *made_shareable = g_build_filename (fixture->root, "made-shareable.img", NULL);
  g_autofree char *replaced = g_build_filename (fixture->root, "replaced.img", NULL);
  g_autofree char *devices = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *other_xml = NULL;
  g_autofree char *other_disk = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(HangarDBusMachine1) other = NULL;
  g_autoptr(HangarDBusMachine1) imported = NULL;
  g_auto(GStrv) deleted = NULL;
  g_auto(GStrv) kept = NULL;
  g_autoptr(GError) error = NULL;
  const char *imported_disk, *iso, *readonly_disk;
  guint lost;

  g_array_set_clear_func (files, user_file_clear);
  imported_disk = user_file (fixture, files, "imported.img");
  iso = user_file (fixture, files, "install.iso");
  readonly_disk = user_file (fixture, files, "readonly.img");

  /* Images Hangar made: one of them is later swapped for a file of the user's. */
  hangar_test_make_volume (fixture, made, 1 << 20);
  hangar_test_make_volume (fixture, made_shared, 1 << 20);
  hangar_test_make_volume (fixture, made_readonly, 1 << 20);
  hangar_test_make_volume (fixture, made_shareable, 1 << 20);
  hangar_test_make_volume (fixture, replaced, 1 << 20);
  g_assert_cmpint (g_unlink (replaced), ==, 0);
  {
    UserFile file = { g_strdup (replaced), NULL };

    g_assert_true (g_file_set_contents (replaced, "the user's file in its place", -1, NULL));
    file.sum = checksum (replaced);
    g_array_append_val (files, file);
  }

  {
    g_autofree char *d0 = disk_xml ("disk", made, "vda", "");
    g_autofree char *d1 = disk_xml ("disk", imported_disk, "vdb", "");
    g_autofree char *d2 = disk_xml ("disk", made_shared, "vdc", "");
    g_autofree char *d3 = disk_xml ("disk", made_readonly, "vdd", "<readonly/>");
    g_autofree char *d4 = disk_xml ("disk", readonly_disk, "vde", "<readonly/>");
    g_autofree char *d5 = disk_xml ("disk", made_shareable, "vdf", "<shareable/>");
    g_autofree char *d6 = disk_xml ("disk", replaced, "vdg", "");
    g_autofree char *d7 = g_markup_printf_escaped (
      "<disk type='file' device='cdrom'><source file='%s'/><target dev='sda' bus='sata'/>"
      "<readonly/></disk>", iso);

    devices = g_strconcat (d0, d1, d2, d3, d4, d5, d6, d7, NULL);
  }
  xml = hangar_test_guest_xml ("owner", devices);
  machine = hangar_test_define (fixture, xml);
  other_disk = disk_xml ("disk", made_shared, "vda", "");
  other_xml = hangar_test_guest_xml ("sharer", other_disk);
  other = hangar_test_define (fixture, other_xml);

  hangar_dbus_machine1_call_delete_sync (machine, 1, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; deleted[i] != NULL; i++)
    g_test_message ("deleted: %s", deleted[i]);
  for (guint i = 0; kept[i] != NULL; i++)
    g_test_message ("kept: %s", kept[i]);
  g_assert_cmpuint (g_strv_length (deleted), ==, 1);
  g_assert_cmpstr (deleted[0], ==, made);
  g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_strv_length (kept), ==, 6);
  g_assert_true (g_file_test (made_shared, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (made_readonly, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (made_shareable, G_FILE_TEST_IS_REGULAR));

  /* The last machine on a shared image Hangar made may take it. */
  g_clear_pointer (&deleted, g_strfreev);
  g_clear_pointer (&kept, g_strfreev);
  hangar_dbus_machine1_call_delete_sync (other, 1, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (deleted), ==, 1);
  g_assert_cmpstr (deleted[0], ==, made_shared);

  /* An imported disk stays the user's, through CreateMachine too. */
  imported = hangar_test_create_machine (fixture, import_options ("imported", imported_disk),
                                         &error);
  g_assert_no_error (error);
  g_clear_pointer (&deleted, g_strfreev);
  g_clear_pointer (&kept, g_strfreev);
  hangar_dbus_machine1_call_delete_sync (imported, 1, &deleted, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (deleted), ==, 0);
  g_assert_cmpuint (g_strv_length (kept), ==, 1);

  lost = user_files_lost (files);
  g_test_message ("non-owned files deleted or changed: %u of %u (an ISO, an imported disk, "
                  "a read-only disk, a user's file in the place of Hangar's image)",
                  lost, files->len);
  g_assert_cmpuint (lost, ==, 0);
}

/* A failed import or install and a cancelled conversion leave the user's files alone. */
static void
test_failures_keep_user_files (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GArray) files = g_array_new (FALSE, TRUE, sizeof (UserFile));
  g_autofree char *big = g_build_filename (fixture->root, "big-source.img", NULL);
  g_autofree char *converted = g_build_filename (fixture->root, "converted.img", NULL);
  g_autofree char *job_path = NULL;
  g_autofree char *xml = hangar_test_guest_xml ("taken", NULL);
  g_autoptr(HangarDBusMachine1) taken = NULL;
  g_autoptr(HangarDBusMachine1) created = NULL;
  g_autoptr(HangarDBusJob1) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big_sum = NULL;
  g_auto(GVariantDict) convert = G_VARIANT_DICT_INIT (NULL);
  const char *disk, *iso;
  guint lost;
  int fd;

  g_array_set_clear_func (files, user_file_clear);
  disk = user_file (fixture, files, "to-import.img");
  iso = user_file (fixture, files, "installer.iso");
  taken = hangar_test_define (fixture, xml);

  /* Import under a name in use: AlreadyExists, the disk untouched. */
  created = hangar_test_create_machine (fixture, import_options ("taken", disk), &error);
  g_assert_null (created);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS);
  g_test_message ("import under a taken name: %s", error->message);
  g_clear_error (&error);

  /* An install from an ISO for an OS the catalogue does not know. */
  {
    g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

    g_variant_dict_insert (&dict, "name", "s", "installer");
    g_variant_dict_insert (&dict, "os-id", "s", "http://example.com/no-such-os");
    g_variant_dict_insert (&dict, "install", "s", "cdrom");
    g_variant_dict_insert (&dict, "media", "s", iso);
    g_variant_dict_insert (&dict, "disk", "s", disk);
    created = hangar_test_create_machine (fixture, g_variant_dict_end (&dict), &error);
    g_assert_null (created);
    g_assert_nonnull (error);
    g_test_message ("install of an unknown OS: %s", error->message);
    g_clear_error (&error);
  }

  /* A conversion cancelled at once: the half-written copy goes, the source stays. */
  fd = open (big, O_WRONLY | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1 << 30), ==, 0);
  g_assert_cmpint (pwrite (fd, "source", 6, 4096), ==, 6);
  close (fd);
  big_sum = head_and_size (big);
  g_variant_dict_insert (&convert, "path", "s", converted);
  g_variant_dict_insert (&convert, "source", "s", big);
  g_variant_dict_insert (&convert, "format", "s", "raw");
  g_variant_dict_insert (&convert, "preallocation", "s", "full");
  hangar_dbus_host1_call_create_volume_sync (fixture->host, g_variant_dict_end (&convert),
                                             &job_path, NULL, &error);
  g_assert_no_error (error);
  job = hangar_test_job_at (fixture, job_path);
  hangar_dbus_job1_call_cancel_sync (job, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_job (job, 60);
  g_assert_cmpstr (hangar_dbus_job1_get_state (job), ==, "cancelled");
  g_assert_false (g_file_test (converted, G_FILE_TEST_EXISTS));
  {
    g_autofree char *now = head_and_size (big);
    g_assert_cmpstr (now, ==, big_sum);
  }

  lost = user_files_lost (files);
  g_test_message ("after a failed import, a failed install and a cancelled conversion: "
                  "non-owned files deleted or changed: %u of %u", lost, files->len + 1);
  g_assert_cmpuint (lost, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/ownership/delete", Fixture, NULL, setup, test_delete_owned_only,
              teardown);
  g_test_add ("/reliability/ownership/failures", Fixture, NULL, setup,
              test_failures_keep_user_files, teardown);
  return g_test_run ();
}
