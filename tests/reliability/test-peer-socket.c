/* test-peer-socket.c: engine.sock lets in the same user only
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "No one gets in", for the engine's peer-to-peer socket (what a second
 * `hangar-engine --stdio` of the user relays to): it is 0600 in a 0700 folder, the
 * user reads the engine through it, and another user is refused twice over: by the
 * folder, and, with the folder and socket opened up to everyone, by the engine's check
 * of the peer's credentials. The other user is `nobody` (setpriv), so this needs root; without
 * it the cross-user half is skipped with the reason. Prints what each peer got.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>
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

/* Runs the peer helper (as nobody when @as_nobody), with @fd as its fd 3 if >= 0.
 * Returns its exit status; its output in @out. */
static int
run_peer (gboolean    as_nobody,
          const char *address,
          int         fd,
          char      **out)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GError) error = NULL;

  if (as_nobody)
    {
      g_ptr_array_add (argv, "setpriv");
      g_ptr_array_add (argv, "--reuid=nobody");
      g_ptr_array_add (argv, "--regid=nogroup");
      g_ptr_array_add (argv, "--clear-groups");
      g_ptr_array_add (argv, "--");
    }
  g_ptr_array_add (argv, (gpointer) g_getenv ("HANGAR_TEST_PEER"));
  if (fd >= 0)
    {
      g_subprocess_launcher_take_fd (launcher, fd, 3);
      g_ptr_array_add (argv, "--fd");
      g_ptr_array_add (argv, "3");
    }
  else
    g_ptr_array_add (argv, (gpointer) address);
  g_ptr_array_add (argv, NULL);
  /* LeakSanitizer cannot run as nobody under ptrace restrictions: leaks are checked in
   * the same-user run. */
  if (as_nobody)
    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  peer = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (peer, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (peer));
  return g_subprocess_get_exit_status (peer);
}

static void
test_same_user_only (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->runtime_dir, "hangar", NULL);
  g_autofree char *path = g_build_filename (folder, "engine.sock", NULL);
  g_autofree char *escaped = g_dbus_address_escape_value (path);
  g_autofree char *address = g_strconcat ("unix:path=", escaped, NULL);
  g_autofree char *out = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (S_ISSOCK (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_uid, ==, getuid ());

  /* The user: let in. */
  g_assert_cmpint (run_peer (FALSE, address, -1, &out), ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, PACKAGE_VERSION);
  g_test_message ("same user (uid %u): %s", (guint) getuid (), out);
  g_clear_pointer (&out, g_free);

  if (getuid () != 0)
    {
      g_test_skip ("acting as another user (nobody) needs root; run the suite as root");
      return;
    }

  /* Another user by the path: the folder stops it. */
  g_assert_cmpint (run_peer (TRUE, address, -1, &out), ==, 1);
  g_test_message ("nobody, by the path: %s", g_strstrip (out));
  g_clear_pointer (&out, g_free);

  /* Another user, with the folder and the socket opened up to everyone (a mistake the
   * engine must survive): it connects, and the engine's check of the peer's credentials
   * refuses it. */
  g_assert_cmpint (g_chmod (fixture->runtime_root, 0711), ==, 0);
  g_assert_cmpint (g_chmod (fixture->runtime_dir, 0711), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0711), ==, 0);
  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  g_assert_cmpint (run_peer (TRUE, address, -1, &out), ==, 1);
  g_test_message ("nobody, through open permissions: %s", g_strstrip (out));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
  g_assert_cmpint (g_chmod (fixture->runtime_dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (fixture->runtime_root, 0700), ==, 0);

  /* The engine is unharmed and still serves the user. */
  g_assert_cmpint (run_peer (FALSE, address, -1, &out), ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, PACKAGE_VERSION);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/hangar/reliability/peer-socket/same-user-only", Fixture, NULL, setup,
              test_same_user_only, teardown);

  return g_test_run ();
}
