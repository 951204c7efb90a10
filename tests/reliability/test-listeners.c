/* test-listeners.c: no one gets in: nothing listens on the network, sockets are private
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "No one gets in", for a running guest with VNC, SPICE, a serial port and a
 * guest agent channel: neither QEMU nor the engine holds a TCP or UDP socket that
 * listens (read from /proc/net/{tcp,tcp6,udp,udp6} against the processes' socket
 * inodes); the runtime folder is 0700 and its sockets 0600; QEMU runs
 * sandboxed and not as root where the tests do not; the command line carries no secret.
 * Prints the listeners found.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <sys/stat.h>

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

/* The inodes of the sockets process @pid holds. */
static void
socket_inodes (GPid        pid,
               GHashTable *inodes)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (dir_path, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:["))
        g_hash_table_add (inodes, g_strndup (target + 8, strlen (target) - 9));
    }
}

/* Lines of /proc/net/@table whose inode is one of @inodes and that listen (TCP state 0A)
 * or are bound (UDP). */
static void
find_listeners (const char *table,
                GHashTable *inodes,
                GString    *found)
{
  g_autofree char *path = g_strdup_printf ("/proc/net/%s", table);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0')
          g_ptr_array_add (words, fields[j]);
      /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
      if (words->len < 10)
        continue;
      if (!g_hash_table_contains (inodes, g_ptr_array_index (words, 9)))
        continue;
      if (g_str_has_prefix (table, "udp") || g_str_equal (g_ptr_array_index (words, 3), "0A"))
        g_string_append_printf (found, "%s %s\n", table, (char *) g_ptr_array_index (words, 1));
    }
}

static void
test_listeners (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("private",
                                                "<graphics type='vnc'/><graphics type='spice'/>"
                                                "<video><model type='qxl'/></video>"
                                                "<channel type='unix'><target type='virtio' "
                                                "name='org.qemu.guest_agent.0'/></channel>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GHashTable) inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) found = g_string_new ("");
  g_autofree char *runtime = NULL, *cmdline_path = NULL, *cmdline = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gsize length = 0;
  struct stat st;
  GPid qemu;

  hangar_test_start_and_wait_ready (fixture, machine);
  qemu = hangar_dbus_machine1_get_pid (machine);
  socket_inodes (qemu, inodes);
  socket_inodes (atoi (g_subprocess_get_identifier (fixture->engine)), inodes);
  g_assert_cmpuint (g_hash_table_size (inodes), >, 0);
  find_listeners ("tcp", inodes, found);
  find_listeners ("tcp6", inodes, found);
  find_listeners ("udp", inodes, found);
  find_listeners ("udp6", inodes, found);
  g_test_message ("network listeners of QEMU and the engine (%u sockets): %s",
                  g_hash_table_size (inodes), found->len ? found->str : "none");
  g_assert_cmpuint (found->len, ==, 0);

  /* The runtime folder is the user's alone; so is every socket in it. */
  runtime = g_build_filename (fixture->runtime_dir, "hangar",
                              hangar_dbus_machine1_get_uuid (machine), NULL);
  g_assert_cmpint (stat (runtime, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  dir = g_dir_open (runtime, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (runtime, name, NULL);

      g_assert_cmpint (lstat (path, &st), ==, 0);
      if (S_ISSOCK (st.st_mode))
        {
          g_test_message ("%s %o", name, st.st_mode & 0777);
          /* Nobody else could even reach it through the 0700 folder; still, 0600. */
          g_assert_cmpint (st.st_mode & 0777, ==, 0600);
        }
    }

  /* Sandboxed, and nothing secret on the command line (there is no password at all:
   * consoles are sockets and fds). */
  cmdline_path = g_strdup_printf ("/proc/%d/cmdline", qemu);
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, NULL));
  for (gsize i = 0; i + 1 < length; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  g_assert_nonnull (strstr (cmdline,
                            "-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
                            "resourcecontrol=deny"));
  g_assert_null (strstr (cmdline, "password"));
  g_assert_null (strstr (cmdline, "tls-creds"));
  g_assert_null (strstr (cmdline, "port="));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/listeners", Fixture, NULL, setup, test_listeners, teardown);
  return g_test_run ();
}
