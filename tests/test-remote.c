/* test-remote.c: the engine of another host, reached over a real sshd
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each test starts its own sshd on 127.0.0.1 (hangar-test-sshd.h); the engine at the
 * other end is the remote user's, with folders of its own.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"
#include "hangar-test-sshd.h"

typedef struct
{
  HangarTestSshd *sshd;
} Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_error_quark ();
  fixture->sshd = hangar_test_sshd_new ();
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->sshd, hangar_test_sshd_free);
}

/* ssh … hangar-engine --stdio reaches the remote user's engine, with its own folders. */
static void
test_ssh_stdio (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GDBusConnection) connection = hangar_test_sshd_connect (fixture->sshd, &ssh);
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GDBusObject) host_object = NULL;
  g_autoptr(HangarDBusHost1) host = NULL;
  g_autofree char *xml = hangar_test_guest_xml ("remote-tiny", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_sshd_define (fixture->sshd, connection,
                                                                   &manager, xml);
  g_autofree char *definition = NULL;
  g_autoptr(GError) error = NULL;

  host_object = g_dbus_object_manager_get_object (manager, ENGINE_OBJECT_PATH "/host");
  host = hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host_object));
  g_assert_cmpstr (hangar_dbus_host1_get_engine_version (host), ==, PACKAGE_VERSION);
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "shut-off");

  /* The definition is in the remote user's folder. */
  definition = g_strdup_printf ("%s/hangar/machines/%s.xml", fixture->sshd->remote_config_dir,
                                hangar_dbus_machine1_get_uuid (machine));
  g_assert_true (g_file_test (definition, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (hangar_test_sshd_remote_engine_pid (fixture->sshd), >, 0);

  /* Closing the connection ends ssh, and the remote engine with it. */
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_wait (ssh, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (ssh));
  for (guint i = 0; i < 500 && hangar_test_sshd_remote_engine_pid (fixture->sshd) != 0; i++)
    g_usleep (10000);
  g_assert_cmpint (hangar_test_sshd_remote_engine_pid (fixture->sshd), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/remote/ssh-stdio", test_ssh_stdio);
#undef ADD

  return g_test_run ();
}
