/* test-remote-address.c: ssh addresses, ssh's failures, the engine version handshake
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <sys/wait.h>

#include "hangar-remote.h"

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarRemoteAddress) full = hangar_remote_address_parse ("ssh://ann@box.lan:2222",
                                                                     &error);
  g_autoptr(HangarRemoteAddress) bare = hangar_remote_address_parse ("ssh://box", &error);
  g_autoptr(HangarRemoteAddress) v6 = hangar_remote_address_parse ("ssh://ann@[::1]:22", &error);
  const char *bad[] = { "box", "ssh://", "ssh://-oProxyCommand=x", "ssh://ann@box:0",
                        "ssh://ann@box:70000", "ssh://ann@box:22x", "ssh://-l@box",
                        "ssh://ann@bo x", "http://box", "ssh://ann@[::1", NULL };

  g_assert_no_error (error);
  g_assert_cmpstr (full->user, ==, "ann");
  g_assert_cmpstr (full->host, ==, "box.lan");
  g_assert_cmpuint (full->port, ==, 2222);
  g_assert_null (bare->user);
  g_assert_cmpstr (bare->host, ==, "box");
  g_assert_cmpuint (bare->port, ==, 0);
  g_assert_cmpstr (v6->host, ==, "::1");
  g_assert_cmpuint (v6->port, ==, 22);
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(HangarRemoteAddress) address = hangar_remote_address_parse (bad[i], &error);

      g_assert_null (address);
      g_assert_error (error, HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_INVALID_ADDRESS);
      g_clear_error (&error);
    }
}

static void
test_argv (void)
{
  g_autoptr(HangarRemoteAddress) address = hangar_remote_address_parse ("ssh://ann@box:2222",
                                                                        NULL);
  const char *options[] = { "-o", "BatchMode=yes", NULL };
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;

  g_setenv ("HANGAR_SSH_CONFIG", "/tmp/cfg", TRUE);
  argv = hangar_remote_ssh_argv (address, "/k", options, "hangar-engine --stdio");
  joined = g_strjoinv (" ", argv);
  g_assert_cmpstr (joined, ==, "ssh -T -F /tmp/cfg -p 2222 -i /k -o BatchMode=yes -- ann@box "
                               "hangar-engine --stdio");
  g_unsetenv ("HANGAR_SSH_CONFIG");
}

static void
test_ssh_errors (void)
{
  g_autoptr(HangarRemoteAddress) address = hangar_remote_address_parse ("ssh://ann@box", NULL);
  struct { int status; const char *said; int code; } cases[] = {
    { 127, "sh: 1: hangar-engine: not found\n", HANGAR_REMOTE_ERROR_NOT_INSTALLED },
    { 255, "ann@box: Permission denied (publickey).\n",
      HANGAR_REMOTE_ERROR_AUTHENTICATION_FAILED },
    { 255, "ssh: connect to host box port 22: Connection refused\n",
      HANGAR_REMOTE_ERROR_UNREACHABLE },
    { 255, "ssh: Could not resolve hostname box: Name or service not known\n",
      HANGAR_REMOTE_ERROR_UNREACHABLE },
    { 255, "Host key verification failed.\n", HANGAR_REMOTE_ERROR_HOST_KEY },
    { 0, "", HANGAR_REMOTE_ERROR_DROPPED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = hangar_remote_ssh_error (address, cases[i].status << 8,
                                                         cases[i].said);

      g_assert_error (error, HANGAR_REMOTE_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
    }
}

static void
test_version (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (hangar_version_compare ("0.10.1", "0.9"), >, 0);
  g_assert_cmpint (hangar_version_compare ("1.0", "1"), ==, 0);
  g_assert_cmpint (hangar_version_compare ("0.1.0", "0.1.1"), <, 0);
  g_assert_cmpint (hangar_version_compare ("2.0~rc1", "2.0"), ==, 0);

  g_unsetenv ("HANGAR_REQUIRE_ENGINE_VERSION");
  g_assert_true (hangar_remote_check_engine_version ("box", HANGAR_ENGINE_MIN_VERSION, &error));
  g_assert_no_error (error);
  g_assert_false (hangar_remote_check_engine_version ("box", "0.0.9", &error));
  g_assert_error (error, HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_ENGINE_TOO_OLD);
  g_assert_cmpstr (error->message, ==, "hangar-engine on box is version 0.0.9; this Hangar "
                                       "needs " HANGAR_ENGINE_MIN_VERSION " or later.");
  g_clear_error (&error);
  g_assert_false (hangar_remote_check_engine_version ("box", "", &error));
  g_assert_error (error, HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_ENGINE_TOO_OLD);
  g_clear_error (&error);
  g_setenv ("HANGAR_REQUIRE_ENGINE_VERSION", "9.0", TRUE);
  g_assert_false (hangar_remote_check_engine_version ("box", HANGAR_ENGINE_MIN_VERSION, &error));
  g_assert_error (error, HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_ENGINE_TOO_OLD);
  g_unsetenv ("HANGAR_REQUIRE_ENGINE_VERSION");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/remote-address/parse", test_parse);
  g_test_add_func ("/hangar/remote-address/argv", test_argv);
  g_test_add_func ("/hangar/remote-address/ssh-errors", test_ssh_errors);
  g_test_add_func ("/hangar/remote-address/version", test_version);

  return g_test_run ();
}
