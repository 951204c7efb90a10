/* test-ssh-transport.c: what the ssh transport runs and how it reads ssh's end
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "hangar-ssh-transport.h"

/* Debian 12's OpenSSH 9.2, word for word. */
#define CHANGED_KEY \
  "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" \
  "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n" \
  "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" \
  "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n" \
  "Someone could be eavesdropping on you right now (man-in-the-middle attack)!\n" \
  "It is also possible that a host key has just been changed.\n" \
  "The fingerprint for the ED25519 key sent by the remote host is\n" \
  "SHA256:3mT8c1o1T9hB3W0XbWv4cQk0q5GQyq8pDk3v1Yk5Dxs.\n" \
  "Please contact your system administrator.\n" \
  "Add correct host key in /root/.ssh/known_hosts to get rid of this message.\n" \
  "Offending ED25519 key in /root/.ssh/known_hosts:1\n" \
  "Host key for [127.0.0.1]:2222 has changed and you have requested strict checking.\n" \
  "Host key verification failed.\n"

static void
assert_classified (int         status,
                   const char *text,
                   int         code,
                   const char *words)
{
  g_autoptr(GError) error = hangar_ssh_transport_classify (status, text);

  g_assert_error (error, HANGAR_SSH_ERROR, code);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
}

static void
test_classify (void)
{
  assert_classified (255, "ssh: Could not resolve hostname nowhere.invalid: Name or service not "
                     "known\n", HANGAR_SSH_ERROR_UNREACHABLE, "Could not resolve hostname");
  assert_classified (255, "ssh: connect to host 127.0.0.1 port 1: Connection refused\n",
                     HANGAR_SSH_ERROR_UNREACHABLE, "cannot be reached");
  assert_classified (255, "root@127.0.0.1: Permission denied (publickey).\n",
                     HANGAR_SSH_ERROR_AUTHENTICATION, "refused the login");
  assert_classified (255, CHANGED_KEY, HANGAR_SSH_ERROR_HOST_KEY_CHANGED,
                     "OpenSSH says:\nWARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!\n"
                     "The fingerprint for the ED25519 key sent by the remote host is\n"
                     "SHA256:3mT8c1o1T9hB3W0XbWv4cQk0q5GQyq8pDk3v1Yk5Dxs.\n"
                     "Offending ED25519 key in /root/.ssh/known_hosts:1");
  assert_classified (255, CHANGED_KEY, HANGAR_SSH_ERROR_HOST_KEY_CHANGED,
                     "The fingerprint for the ED25519 key sent by the remote host is\n"
                     "SHA256:3mT8c1o1T9hB3W0XbWv4cQk0q5GQyq8pDk3v1Yk5Dxs.");
  assert_classified (255, "Host key verification failed.\n", HANGAR_SSH_ERROR_HOST_KEY_REFUSED,
                     "not accepted");
  assert_classified (127, "bash: line 1: hangar-engine: command not found\n",
                     HANGAR_SSH_ERROR_ENGINE_MISSING, "sudo apt install hangar");
  assert_classified (-1, "", HANGAR_SSH_ERROR_DROPPED, "go on running");
  assert_classified (0, NULL, HANGAR_SSH_ERROR_DROPPED, "closed");
  assert_classified (1, "hangar-engine: cannot create /run/user/1000/hangar\n",
                     HANGAR_SSH_ERROR_FAILED, "cannot create /run/user/1000/hangar");
  assert_classified (255, "kex_exchange_identification: read: Connection reset by peer\n",
                     HANGAR_SSH_ERROR_FAILED, "Connection reset by peer");
}

static void
test_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hangar_ssh_transport_check ("alice@server", 22, NULL, NULL));
  g_assert_true (hangar_ssh_transport_check ("server.example.org", 0, "", NULL));
  g_assert_false (hangar_ssh_transport_check ("", 0, NULL, &error));
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hangar_ssh_transport_check ("-oProxyCommand=sh", 0, NULL, &error));
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hangar_ssh_transport_check ("alice@", 0, NULL, &error));
  g_clear_error (&error);
  g_assert_false (hangar_ssh_transport_check ("al ice@host", 0, NULL, &error));
  g_clear_error (&error);
  g_assert_false (hangar_ssh_transport_check ("host", 70000, NULL, &error));
  g_clear_error (&error);
  g_assert_false (hangar_ssh_transport_check ("host", 22, "/nonexistent/id_ed25519", &error));
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "/nonexistent/id_ed25519"));
}

static void
test_argv (void)
{
  g_autoptr(HangarSshTransport) transport = hangar_ssh_transport_new ("alice@server", 2222,
                                                                      "/etc/hostname");
  const char *command[] = { "hangar-engine", "--stdio", NULL };
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *expected = NULL;

  g_unsetenv ("HANGAR_SSH_CONFIG");
  argv = hangar_ssh_transport_build_argv (transport, command);
  joined = g_strjoinv (" ", argv);
  expected = g_strdup_printf ("ssh -T -o ControlMaster=auto -o ControlPath=%s/hangar/ssh-%%C "
                              "-o ControlPersist=60 -o ServerAliveInterval=15 -p 2222 "
                              "-i /etc/hostname -o IdentitiesOnly=yes -- alice@server "
                              "hangar-engine --stdio", g_get_user_runtime_dir ());
  g_assert_cmpstr (joined, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ssh-transport/classify", test_classify);
  g_test_add_func ("/hangar/ssh-transport/check", test_check);
  g_test_add_func ("/hangar/ssh-transport/argv", test_argv);

  return g_test_run ();
}
