/* test-path-tricks.c: disk and media paths that try to reach host files
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Bad input": a disk at ../../etc/shadow, a symbolic link into /etc, a host
 * block device given as a file, a block device as a hard disk, a FIFO, a qcow2 image
 * whose backing file is /etc/shadow (as qcow2, and declared raw); a FIFO as install
 * media and to IdentifyMedia. Each is refused with a named error, or the machine runs
 * with the format the definition says and QEMU opens no file beyond those the
 * definition names (its /proc/PID/fd against that set). After each, the engine answers
 * at once: a FIFO never makes it wait. Prints what each got and the host files QEMU
 * opened outside the allowed set.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>
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

/* A call the engine's main loop answers: it must come back within a second. */
static void
assert_engine_answers (Fixture    *fixture,
                       const char *after)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  gint64 began = g_get_monotonic_time ();

  reply = g_dbus_connection_call_sync (bus, ENGINE_BUS_NAME, ENGINE_OBJECT_PATH "/host",
                                       "io.github.hangarvm.Hangar.Host1", "CheckMachineName",
                                       g_variant_new ("(s)", "ping"), NULL,
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, &error);
  if (reply == NULL)
    g_error ("The engine did not answer after %s: %s", after, error->message);
  g_assert_cmpint (g_get_monotonic_time () - began, <, G_USEC_PER_SEC);
}

static gboolean
fd_allowed (const char         *target,
            const char * const *named,
            const char         *runtime_dir)
{
  static const char * const devices[] = { "/dev/null", "/dev/zero", "/dev/urandom",
                                          "/dev/random", "/dev/kvm", "/dev/ptmx",
                                          "/dev/net/tun", NULL };

  if (target[0] != '/' || g_str_has_prefix (target, "/dev/pts/") ||
      g_str_has_prefix (target, "/usr/") || g_str_has_prefix (target, runtime_dir) ||
      g_strv_contains (devices, target) || g_str_has_prefix (target, "/memfd:"))
    return TRUE;
  return named != NULL && g_strv_contains (named, target);
}

/* Files QEMU @pid holds open that are neither the definition's nor QEMU's own. */
static guint
files_outside (GPid                pid,
               const char * const *named,
               const char         *runtime_dir,
               GString            *seen)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint outside = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (dir_path, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target == NULL)
        continue;
      if (!fd_allowed (target, named, runtime_dir))
        {
          g_string_append_printf (seen, " %s", target);
          outside++;
        }
      else if (target[0] == '/' && named != NULL && g_strv_contains (named, target))
        g_string_append_printf (seen, " (named: %s)", target);
    }
  return outside;
}

typedef struct
{
  const char *label;
  const char *type;    /* disk type: file or block */
  const char *format;
  const char *path;    /* NULL: filled in by the test */
} Trick;

static void
test_path_tricks (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->root, "shadow-link.img", NULL);
  g_autofree char *fifo = g_build_filename (fixture->root, "fifo.img", NULL);
  g_autofree char *backed = g_build_filename (fixture->root, "backed.qcow2", NULL);
  g_autofree char *runtime_dir = g_build_filename (fixture->runtime_dir, "hangar", NULL);
  const char *block_device = g_file_test ("/dev/sda", G_FILE_TEST_EXISTS) ? "/dev/sda" :
                             "/dev/loop0";
  Trick tricks[] = {
    { "relative ../../etc/shadow", "file", "raw", "../../etc/shadow" },
    { "symbolic link to /etc/shadow", "file", "raw", link },
    { "block device as a file", "file", "raw", block_device },
    { "block device as a hard disk", "block", "raw", block_device },
    { "FIFO", "file", "raw", fifo },
    { "qcow2 backed by /etc/shadow", "file", "qcow2", backed },
    { "the same qcow2 declared raw", "file", "raw", backed },
  };
  guint outside_total = 0, refused = 0, started = 0;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("/etc/shadow", link), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  {
    const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/shadow",
                           "-F", "raw", backed, "1M", NULL };
    int status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  for (guint i = 0; i < G_N_ELEMENTS (tricks); i++)
    {
      const Trick *trick = &tricks[i];
      g_autofree char *name = g_strdup_printf ("trick-%u", i);
      g_autofree char *escaped = g_markup_escape_text (trick->path, -1);
      g_autofree char *disk = g_strdup_printf (
        "<disk type='%s' device='disk'><driver name='qemu' type='%s'/>"
        "<source %s='%s'/><target dev='vdb' bus='virtio'/></disk>", trick->type,
        trick->format, g_str_equal (trick->type, "block") ? "dev" : "file", escaped);
      g_autofree char *xml = hangar_test_guest_xml (name, disk);
      g_autofree char *path = NULL;
      g_autoptr(HangarDBusMachine1) machine = NULL;
      g_autoptr(GString) seen = g_string_new (NULL);
      g_autofree char *resolved = realpath (trick->path, NULL);
      const char *named[] = { resolved ? resolved : trick->path, NULL };
      guint outside;

      hangar_dbus_host1_call_define_machine_sync (fixture->host, xml, &path, NULL, &error);
      assert_engine_answers (fixture, trick->label);
      if (error != NULL)
        {
          g_test_message ("%-30s refused at define: %s", trick->label, error->message);
          g_assert_true (error->domain == HANGAR_ERROR);
          g_clear_error (&error);
          refused++;
          continue;
        }
      machine = hangar_test_lookup (fixture, name);
      hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
      assert_engine_answers (fixture, trick->label);
      if (error != NULL)
        {
          g_test_message ("%-30s refused at start: %s", trick->label, error->message);
          g_assert_true (error->domain == HANGAR_ERROR);
          g_clear_error (&error);
          refused++;
          continue;
        }
      hangar_test_wait_state (machine, "running", 20);
      started++;
      outside = files_outside (hangar_dbus_machine1_get_pid (machine), named, runtime_dir,
                               seen);
      g_test_message ("%-30s runs, format %s; QEMU's files outside the allowed set: %u;%s",
                      trick->label, trick->format, outside, seen->str);
      outside_total += outside;
      hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
      g_assert_no_error (error);
      hangar_test_wait_state (machine, "shut-off", 20);
    }

  /* A FIFO as install media, and to identify: refused, and the engine never waits on it. */
  {
    g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
    g_autoptr(HangarDBusMachine1) created = NULL;
    g_autoptr(GVariant) info = NULL;

    g_variant_dict_insert (&dict, "name", "s", "fifo-install");
    g_variant_dict_insert (&dict, "install", "s", "cdrom");
    g_variant_dict_insert (&dict, "media", "s", fifo);
    created = hangar_test_create_machine (fixture, g_variant_dict_end (&dict), &error);
    g_assert_null (created);
    g_assert_true (error != NULL && error->domain == HANGAR_ERROR);
    g_test_message ("%-30s refused: %s", "FIFO as install media", error->message);
    g_clear_error (&error);
    refused++;
    assert_engine_answers (fixture, "a FIFO as install media");

    hangar_dbus_host1_call_identify_media_sync (fixture->host, fifo, &info, NULL, &error);
    g_assert_true (error != NULL && error->domain == HANGAR_ERROR);
    g_test_message ("%-30s refused: %s", "IdentifyMedia of a FIFO", error->message);
    g_clear_error (&error);
    refused++;
    assert_engine_answers (fixture, "IdentifyMedia of a FIFO");
  }

  g_test_message ("host files opened outside the allowed set: %u (%u tricks refused, %u ran "
                  "with the format their definition says)", outside_total, refused, started);
  g_assert_cmpuint (outside_total, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/path-tricks", Fixture, NULL, setup, test_path_tricks, teardown);
  return g_test_run ();
}
