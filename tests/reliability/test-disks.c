/* test-disks.c: a disk is never lost, nor written by two machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Disks are never lost", the parts that hold today: creating an image over an
 * existing file is refused and the file keeps its bytes; a second machine cannot start
 * on a disk another one writes; converting an image in use is refused; inspecting one
 * works (qemu-img info -U). Prints what each attempt got.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

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

static char *
checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
make_image (const char *path)
{
  const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", path, "32M", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static gboolean
create_volume (Fixture     *fixture,
               const char  *path,
               const char  *source,
               GError     **error)
{
  GVariantDict options;
  g_autofree char *job_path = NULL;
  g_autoptr(HangarDBusJob1) job = NULL;

  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "path", "s", path);
  g_variant_dict_insert (&options, "format", "s", "qcow2");
  if (source != NULL)
    g_variant_dict_insert (&options, "source", "s", source);
  else
    g_variant_dict_insert (&options, "size", "t", (guint64) 32 << 20);
  if (!hangar_dbus_host1_call_create_volume_sync (fixture->host, g_variant_dict_end (&options),
                                                  &job_path, NULL, error))
    return FALSE;
  job = hangar_test_job_at (fixture, job_path);
  hangar_test_wait_job (job, 60);
  if (!g_str_equal (hangar_dbus_job1_get_state (job), "completed"))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED, "%s",
                   hangar_dbus_job1_get_error (job));
      return FALSE;
    }
  return TRUE;
}

static void
test_disks (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *image = g_build_filename (fixture->data_dir, "precious.qcow2", NULL);
  g_autofree char *copy = g_build_filename (fixture->data_dir, "copy.qcow2", NULL);
  g_autofree char *sum = NULL, *disk = NULL, *xml_a = NULL, *xml_b = NULL;
  g_autoptr(HangarDBusMachine1) a = NULL;
  g_autoptr(HangarDBusMachine1) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) table = g_string_new ("");

  make_image (image);
  sum = checksum (image);

  /* Over an existing file: refused, the bytes kept. */
  g_assert_false (create_volume (fixture, image, NULL, &error));
  g_assert_nonnull (error);
  g_string_append_printf (table, "%-28s %s\n", "create over an existing file", error->message);
  g_clear_error (&error);
  {
    g_autofree char *after = checksum (image);
    g_assert_cmpstr (after, ==, sum);
  }

  /* Two machines, one disk: the second cannot start while the first writes it. */
  disk = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                          "<source file='%s'/><target dev='vda' bus='virtio'/></disk>", image);
  xml_a = hangar_test_guest_xml ("writer-a", disk);
  xml_b = hangar_test_guest_xml ("writer-b", disk);
  a = hangar_test_define (fixture, xml_a);
  b = hangar_test_define (fixture, xml_b);
  hangar_test_start_and_wait_ready (fixture, a);
  g_assert_false (hangar_dbus_machine1_call_start_sync (b, NULL, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED);
  g_assert_nonnull (strstr (error->message, "lock"));
  g_string_append_printf (table, "%-28s %s\n", "start a second writer",
                          strstr (error->message, "Failed to get") ?
                          strstr (error->message, "Failed to get") : error->message);
  g_clear_error (&error);
  hangar_test_wait_state (b, "shut-off", 5);

  /* Converting it while it is written: refused, nothing made. */
  g_assert_false (create_volume (fixture, copy, image, &error));
  g_assert_nonnull (error);
  g_string_append_printf (table, "%-28s %s\n", "convert a disk in use", error->message);
  g_clear_error (&error);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));

  /* Looking at it is fine: qemu-img info -U. */
  {
    g_autoptr(GVariant) media = NULL;
    const char *format = NULL;

    g_assert_true (hangar_dbus_host1_call_identify_media_sync (fixture->host, image, &media,
                                                               NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (media, "format", "&s", &format));
    g_assert_cmpstr (format, ==, "qcow2");
    g_string_append_printf (table, "%-28s %s\n", "identify a disk in use", format);
  }

  hangar_dbus_machine1_call_force_off_sync (a, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("\n%s", table->str);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/disks", Fixture, NULL, setup, test_disks, teardown);
  return g_test_run ();
}
